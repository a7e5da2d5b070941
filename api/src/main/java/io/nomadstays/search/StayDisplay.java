package io.nomadstays.search;

import io.nomadstays.internet.InternetSummary;
import io.nomadstays.operator.Operator;
import io.nomadstays.property.Property;
import io.nomadstays.unit.Unit;
import io.nomadstays.unit.UnitPricing;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * Reads the {@code display} object of a stay document (docs/search-document.md) back into the
 * records the rest of the API resolves, so a search page needs no PostgreSQL round trip.
 */
record StayDisplay(Unit unit, Property property, Operator operator, UnitPricing pricing, InternetSummary internet) {

    static StayDisplay from(StayDocument.Display display) {
        var u = display.unit();
        var p = display.property();
        var o = display.operator();
        var pr = display.pricing();
        var i = display.internet();
        Unit unit = new Unit(UUID.fromString(u.id()), UUID.fromString(u.operatorId()), UUID.fromString(u.propertyId()),
                u.name(), u.description(), Unit.UnitType.valueOf(u.type()), u.capacity().intValue(), u.maxGuests().intValue(),
                u.sizeM2() == null ? null : new BigDecimal(u.sizeM2().toString()), Boolean.TRUE.equals(u.furnished()),
                Unit.Granularity.valueOf(u.granularity()), u.minStay().intValue(),
                u.maxStay() == null ? null : u.maxStay().intValue(), strings(u.amenities()),
                Unit.Status.valueOf(u.status()), instant(u.publishedAt()), instant(u.createdAt()),
                instant(u.updatedAt()), u.version().longValue());
        Property property = new Property(UUID.fromString(p.id()), UUID.fromString(p.operatorId()), p.name(), p.description(),
                new Property.Address(p.addressLine(), p.city(), p.cityLocal(), p.postalCode(), p.countryCode()),
                new Property.GeoPoint(p.lat().doubleValue(), p.lon().doubleValue()), p.timeZone(), strings(p.amenities()),
                p.houseRules(), instant(p.createdAt()), instant(p.updatedAt()));
        Operator operator = new Operator(UUID.fromString(o.id()), o.slug(), o.name(), o.defaultCurrency(),
                o.commissionBps().intValue(), instant(o.createdAt()));
        UnitPricing pricing = pr == null ? null : new UnitPricing(unit.uuid(), pr.currency(), lng(pr.hourly()),
                lng(pr.nightly()), lng(pr.daily()), lng(pr.weekly()), lng(pr.monthly()), lng(pr.cleaning()),
                lng(pr.deposit()), discounts(pr.longStayDiscounts()), instant(pr.updatedAt()));
        InternetSummary internet = i == null ? null : new InternetSummary(i.medianDownloadMbps().doubleValue(),
                i.medianUploadMbps().doubleValue(), i.medianLatencyMs() == null ? null : i.medianLatencyMs().doubleValue(),
                i.testCount().intValue(), Boolean.TRUE.equals(i.verified()), instant(i.lastMeasuredAt()));
        return new StayDisplay(unit, property, operator, pricing, internet);
    }

    private static List<UnitPricing.LongStayDiscount> discounts(List<StayDocument.Discount> list) {
        return list == null ? List.of() : list.stream()
                .map(d -> new UnitPricing.LongStayDiscount(d.minNights().intValue(), d.percentBps().intValue())).toList();
    }

    private static Long lng(Number value) {
        return value == null ? null : value.longValue();
    }

    private static List<String> strings(List<String> value) {
        return value == null ? List.of() : List.copyOf(value);
    }

    /**
     * {@link Instant#parse} of an ISO instant. The indexer writes {@link Instant#toString} (UTC,
     * {@code 2026-11-28T18:21:57.869162Z}); those are read here directly, several times faster
     * than through a {@code DateTimeFormatter}, and anything else goes to {@link Instant#parse}.
     */
    static Instant instant(String value) {
        if (value == null) {
            return null;
        }
        int n = value.length();
        if (n < 20 || n > 30 || value.charAt(4) != '-' || value.charAt(7) != '-' || value.charAt(10) != 'T'
                || value.charAt(13) != ':' || value.charAt(16) != ':' || value.charAt(n - 1) != 'Z'
                || (n > 20 && (n == 21 || value.charAt(19) != '.'))) {
            return Instant.parse(value);
        }
        int year = digits(value, 0, 4);
        int month = digits(value, 5, 7);
        int day = digits(value, 8, 10);
        int hour = digits(value, 11, 13);
        int minute = digits(value, 14, 16);
        int second = digits(value, 17, 19);
        int nanos = 0;
        if (n > 20) {
            int fraction = digits(value, 20, n - 1);
            if (fraction < 0) {
                return Instant.parse(value);
            }
            nanos = fraction;
            for (int k = n - 1 - 20; k < 9; k++) {
                nanos *= 10;
            }
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return Instant.parse(value);
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number of {@code value[from, to)}, or -1 when that is not all ASCII digits. */
    private static int digits(String value, int from, int to) {
        int result = 0;
        for (int k = from; k < to; k++) {
            char c = value.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            result = result * 10 + (c - '0');
        }
        return result;
    }
}
