package io.nomadstays.search;

import io.nomadstays.internet.InternetSummary;
import io.nomadstays.operator.Operator;
import io.nomadstays.property.Property;
import io.nomadstays.unit.Unit;
import io.nomadstays.unit.UnitPricing;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads the {@code display} object of a stay document (docs/search-document.md) back into the
 * records the rest of the API resolves, so a search page needs no PostgreSQL round trip.
 */
record StayDisplay(Unit unit, Property property, Operator operator, UnitPricing pricing, InternetSummary internet) {

    @SuppressWarnings("unchecked")
    static StayDisplay from(Map<String, Object> display) {
        var u = (Map<String, Object>) display.get("unit");
        var p = (Map<String, Object>) display.get("property");
        var o = (Map<String, Object>) display.get("operator");
        var pr = (Map<String, Object>) display.get("pricing");
        var i = (Map<String, Object>) display.get("internet");
        Unit unit = new Unit(uuid(u, "id"), uuid(u, "operatorId"), uuid(u, "propertyId"), str(u, "name"), str(u, "description"),
                Unit.UnitType.valueOf(str(u, "type")), integer(u, "capacity"), integer(u, "maxGuests"),
                u.get("sizeM2") == null ? null : new BigDecimal(u.get("sizeM2").toString()), bool(u, "furnished"),
                Unit.Granularity.valueOf(str(u, "granularity")), integer(u, "minStay"),
                u.get("maxStay") == null ? null : integer(u, "maxStay"), strings(u, "amenities"),
                Unit.Status.valueOf(str(u, "status")), instant(u, "publishedAt"), instant(u, "createdAt"),
                instant(u, "updatedAt"), ((Number) u.get("version")).longValue());
        Property property = new Property(uuid(p, "id"), uuid(p, "operatorId"), str(p, "name"), str(p, "description"),
                new Property.Address(str(p, "addressLine"), str(p, "city"), str(p, "cityLocal"), str(p, "postalCode"),
                        str(p, "countryCode")),
                new Property.GeoPoint(number(p, "lat"), number(p, "lon")), str(p, "timeZone"), strings(p, "amenities"),
                str(p, "houseRules"), instant(p, "createdAt"), instant(p, "updatedAt"));
        Operator operator = new Operator(uuid(o, "id"), str(o, "slug"), str(o, "name"), str(o, "defaultCurrency"),
                integer(o, "commissionBps"), instant(o, "createdAt"));
        UnitPricing pricing = pr == null ? null : new UnitPricing(unit.uuid(), str(pr, "currency"), lng(pr, "hourly"),
                lng(pr, "nightly"), lng(pr, "daily"), lng(pr, "weekly"), lng(pr, "monthly"), lng(pr, "cleaning"),
                lng(pr, "deposit"), discounts(pr), instant(pr, "updatedAt"));
        InternetSummary internet = i == null ? null : new InternetSummary(number(i, "medianDownloadMbps"),
                number(i, "medianUploadMbps"), i.get("medianLatencyMs") == null ? null : number(i, "medianLatencyMs"),
                integer(i, "testCount"), bool(i, "verified"), instant(i, "lastMeasuredAt"));
        return new StayDisplay(unit, property, operator, pricing, internet);
    }

    @SuppressWarnings("unchecked")
    private static List<UnitPricing.LongStayDiscount> discounts(Map<String, Object> pricing) {
        var list = (List<Map<String, Object>>) pricing.get("longStayDiscounts");
        return list == null ? List.of() : list.stream()
                .map(d -> new UnitPricing.LongStayDiscount(integer(d, "minNights"), integer(d, "percentBps"))).toList();
    }

    private static String str(Map<String, Object> m, String key) {
        Object value = m.get(key);
        return value == null ? null : value.toString();
    }

    private static UUID uuid(Map<String, Object> m, String key) {
        return UUID.fromString(str(m, key));
    }

    private static int integer(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).intValue();
    }

    private static Long lng(Map<String, Object> m, String key) {
        Object value = m.get(key);
        return value == null ? null : ((Number) value).longValue();
    }

    private static double number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    private static boolean bool(Map<String, Object> m, String key) {
        return Boolean.TRUE.equals(m.get(key));
    }

    private static Instant instant(Map<String, Object> m, String key) {
        Object value = m.get(key);
        return value == null ? null : Instant.parse(value.toString());
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Map<String, Object> m, String key) {
        Object value = m.get(key);
        return value == null ? List.of() : List.copyOf((List<String>) value);
    }
}
