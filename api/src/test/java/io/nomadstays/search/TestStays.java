package io.nomadstays.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Stay documents written straight to a test index, shaped as docs/search-document.md says, for
 * query tests that need exact control (unavailable dates, windows, far-away places).
 * {@code SearchFreshnessIntegrationTests} holds them to the shape the indexer writes from PostgreSQL.
 */
final class TestStays {

    private final ElasticsearchClient client;
    private final String index;

    /** Documents go through {@code alias}, the one the application searches. */
    TestStays(ElasticsearchClient client, String alias) {
        this.client = client;
        this.index = alias;
    }

    /** Replaces whatever is behind the alias with a new, empty index made from the real definition file. */
    void reset() {
        try {
            String concrete = index + "-" + System.nanoTime();
            client.indices().delete(d -> d.index(index + "-*").ignoreUnavailable(true).allowNoIndices(true));
            client.indices().delete(d -> d.index(index).ignoreUnavailable(true).allowNoIndices(true));
            try (InputStream definition = getClass().getResourceAsStream("/search/stays-v1.json")) {
                client.indices().create(c -> c.index(concrete).withJson(definition));
            }
            client.indices().putAlias(a -> a.index(concrete).name(index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A builder of one document with sensible defaults: a private room in Canggu at 25 USD a night. */
    static final class Doc {
        final UUID unitId = UUID.randomUUID();
        UUID operatorId = UUID.fromString("00000000-0000-7000-8000-000000000001");
        /** Null: no field, as in documents written before it existed. */
        Boolean acceptsPayments = true;
        String name = "Room";
        String description = "A room";
        String type = "PRIVATE_ROOM";
        int capacity = 1;
        int maxGuests = 2;
        Double sizeM2 = 20.0;
        boolean furnished = true;
        String granularity = "NIGHT";
        int minStay = 1;
        Integer maxStay;
        String city = "Canggu";
        String cityLocal;
        String country = "ID";
        double lat = -8.6478;
        double lon = 115.1385;
        String timeZone = "Asia/Makassar";
        List<String> amenities = List.of("wifi");
        String currency = "USD";
        Long nightly = 2_500L;
        Long monthly = 45_000L;
        Long weekly;
        long cleaning;
        long deposit;
        Double downloadMbps;
        boolean verified;
        List<LocalDate[]> unavailable = new ArrayList<>();

        Doc with(Consumer<Doc> change) {
            change.accept(this);
            return this;
        }
    }

    String index(Doc d, io.nomadstays.index.ExchangeRates rates) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("unit_id", d.unitId.toString());
        doc.put("property_id", d.unitId.toString());
        doc.put("operator_id", d.operatorId.toString());
        if (d.acceptsPayments != null) {
            doc.put("accepts_payments", d.acceptsPayments);
        }
        doc.put("unit_type", d.type);
        doc.put("capacity", d.capacity);
        doc.put("max_guests", d.maxGuests);
        doc.put("size_m2", d.sizeM2);
        doc.put("furnished", d.furnished);
        doc.put("granularity", d.granularity);
        int factor = d.granularity.equals("MONTH") ? 28 : 1;
        doc.put("min_stay_nights", d.minStay * factor);
        if (d.maxStay != null) {
            doc.put("max_stay_nights", d.maxStay * factor);
        }
        doc.put("city", d.city.toLowerCase(Locale.ROOT));
        doc.put("city_text", d.cityLocal == null ? d.city : d.city + " " + d.cityLocal);
        if (d.cityLocal != null) {
            doc.put("city_local", d.cityLocal);
        }
        doc.put("country", d.country);
        doc.put("location", Map.of("lat", d.lat, "lon", d.lon));
        doc.put("amenities", d.amenities);
        doc.put("text", String.join("\n", d.name, d.description, d.city, d.cityLocal == null ? "" : d.cityLocal));
        doc.put("currency", d.currency);
        Long nightly = d.nightly != null ? d.nightly : d.monthly == null ? null : Math.round(d.monthly / 30.0);
        Long monthly = d.monthly != null ? d.monthly : d.nightly == null ? null : d.nightly * 30;
        if (nightly != null) {
            doc.put("nightly_price", nightly);
            doc.put("nightly_usd", rates.toUsdCents(nightly, d.currency));
        }
        if (monthly != null) {
            doc.put("monthly_price", monthly);
            doc.put("monthly_usd", rates.toUsdCents(monthly, d.currency));
        }
        if (d.downloadMbps != null) {
            doc.put("download_mbps", d.downloadMbps);
            doc.put("upload_mbps", d.downloadMbps / 4);
            doc.put("internet_verified", d.verified);
            doc.put("internet_measured_at", Instant.now().toString());
        }
        // Always, as the indexer writes it: empty when nothing is unavailable.
        doc.put("unavailable", d.unavailable.stream().map(r -> Map.of("gte", r[0].toString(), "lt", r[1].toString())).toList());
        if (!d.unavailable.isEmpty()) {
            List<Map<String, Object>> windows = new ArrayList<>();
            LocalDate start = LocalDate.of(1970, 1, 1);
            for (LocalDate[] r : d.unavailable) {
                windows.add(window(start, r[0]));
                start = r[1];
            }
            windows.add(window(start, LocalDate.of(9999, 12, 31)));
            doc.put("free_windows", windows);
        }
        doc.put("updated_at", Instant.now().toString());
        doc.put("display", display(d));
        try {
            client.index(i -> i.index(index).id(d.unitId.toString()).document(doc).refresh(Refresh.True));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d.unitId.toString();
    }

    /** Deletes a unit's document, searchable at once. */
    void remove(String unitId) {
        try {
            client.delete(d -> d.index(index).id(unitId).refresh(Refresh.True));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> window(LocalDate start, LocalDate end) {
        long nights = Math.min(100_000, java.time.temporal.ChronoUnit.DAYS.between(start, end));
        return Map.of("start", start.toString(), "end", end.toString(), "nights", nights);
    }

    private static Map<String, Object> display(Doc d) {
        String now = Instant.now().toString();
        Map<String, Object> unit = new HashMap<>();
        unit.put("id", d.unitId.toString());
        unit.put("operatorId", d.operatorId.toString());
        unit.put("propertyId", d.unitId.toString());
        unit.put("name", d.name);
        unit.put("description", d.description);
        unit.put("type", d.type);
        unit.put("capacity", d.capacity);
        unit.put("maxGuests", d.maxGuests);
        unit.put("sizeM2", d.sizeM2);
        unit.put("furnished", d.furnished);
        unit.put("granularity", d.granularity);
        unit.put("minStay", d.minStay);
        unit.put("maxStay", d.maxStay);
        unit.put("amenities", d.amenities);
        unit.put("status", "PUBLISHED");
        unit.put("publishedAt", now);
        unit.put("createdAt", now);
        unit.put("updatedAt", now);
        unit.put("version", 1);
        Map<String, Object> property = new HashMap<>();
        property.put("id", d.unitId.toString());
        property.put("operatorId", d.operatorId.toString());
        property.put("name", d.name + " house");
        property.put("description", "");
        property.put("addressLine", "Main street 1");
        property.put("city", d.city);
        property.put("cityLocal", d.cityLocal);
        property.put("countryCode", d.country);
        property.put("postalCode", null);
        property.put("lat", d.lat);
        property.put("lon", d.lon);
        property.put("timeZone", d.timeZone);
        property.put("amenities", List.of());
        property.put("houseRules", "");
        property.put("createdAt", now);
        property.put("updatedAt", now);
        Map<String, Object> operator = Map.of("id", d.operatorId.toString(), "slug", "op-" + d.operatorId.toString().substring(34),
                "name", "Operator", "defaultCurrency", "USD", "commissionBps", 1000, "createdAt", now);
        Map<String, Object> pricing = new HashMap<>();
        pricing.put("currency", d.currency);
        pricing.put("hourly", null);
        pricing.put("daily", null);
        pricing.put("nightly", d.nightly);
        pricing.put("weekly", d.weekly);
        pricing.put("monthly", d.monthly);
        pricing.put("cleaning", d.cleaning);
        pricing.put("deposit", d.deposit);
        pricing.put("longStayDiscounts", List.of());
        pricing.put("updatedAt", now);
        Map<String, Object> display = new HashMap<>();
        display.put("unit", unit);
        display.put("property", property);
        display.put("operator", operator);
        display.put("pricing", pricing);
        display.put("internet", d.downloadMbps == null ? null : Map.of("medianDownloadMbps", d.downloadMbps,
                "medianUploadMbps", d.downloadMbps / 4, "medianLatencyMs", 12.5, "testCount", 3, "verified", d.verified, "lastMeasuredAt", now));
        return display;
    }
}
