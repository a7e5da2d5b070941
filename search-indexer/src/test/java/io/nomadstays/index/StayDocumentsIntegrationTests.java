package io.nomadstays.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.json.JsonData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The documents match docs/search-document.md. */
class StayDocumentsIntegrationTests extends IndexerIntegrationTest {

    @Test
    void chineseUnitPricedInRupiahIsSearchableAndNormalisedToUsd() throws Exception {
        UUID operator = listings.operator("dali-nomads");
        UUID property = listings.property(operator, Listings.Place.dali());
        UUID unit = listings.unit(operator, property, Listings.Stay.room("洱海景观房 Lake view room", "IDR", 25_000_000L, 480_000_000L));
        listings.speedTest(property, 80, 20, "PROBE", Instant.now().minus(1, ChronoUnit.DAYS));

        OutboxIndexer indexer = indexer(settings, ES);
        indexer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingEvents() == 0);

        JsonNode doc = document(unit);
        assertThat(doc).isNotNull();
        assertThat(doc.get("unit_id").asString()).isEqualTo(unit.toString());
        assertThat(doc.get("property_id").asString()).isEqualTo(property.toString());
        assertThat(doc.get("operator_id").asString()).isEqualTo(operator.toString());
        assertThat(doc.get("accepts_payments").asBoolean()).as("no Stripe account").isFalse();
        assertThat(doc.get("unit_type").asString()).isEqualTo("PRIVATE_ROOM");
        assertThat(doc.get("granularity").asString()).isEqualTo("NIGHT");
        assertThat(doc.get("min_stay_nights").asInt()).isEqualTo(7);
        assertThat(doc.get("max_stay_nights").asInt()).isEqualTo(180);
        assertThat(doc.get("size_m2").asDouble()).isEqualTo(18.5);
        assertThat(doc.get("city").asString()).isEqualTo("dali");
        assertThat(doc.get("city_text").asString()).isEqualTo("Dali 大理");
        assertThat(doc.get("city_local").asString()).isEqualTo("大理");
        assertThat(doc.get("country").asString()).isEqualTo("CN");
        assertThat(doc.get("location").get("lat").asDouble()).isEqualTo(25.6065);
        assertThat(strings(doc.get("amenities"))).containsExactly("aircon", "coworking", "desk", "wifi");
        assertThat(doc.get("text").asString()).isEqualTo(
                "洱海景观房 Lake view room\n苍山客栈 Cangshan Lodge\nA quiet room\n洱海边的数字游民之家\nDali\n大理");
        assertThat(doc.get("currency").asString()).isEqualTo("IDR");
        assertThat(doc.get("nightly_price").asLong()).isEqualTo(25_000_000L);
        assertThat(doc.get("monthly_price").asLong()).isEqualTo(480_000_000L);
        // 250,000.00 IDR x 0.00006 USD = 15.00 USD; 4,800,000.00 IDR = 288.00 USD.
        assertThat(doc.get("nightly_usd").asLong()).isEqualTo(1_500L);
        assertThat(doc.get("monthly_usd").asLong()).isEqualTo(28_800L);
        assertThat(doc.get("download_mbps").asDouble()).isEqualTo(80.0);
        assertThat(doc.get("upload_mbps").asDouble()).isEqualTo(20.0);
        assertThat(doc.get("internet_verified").asBoolean()).isTrue();
        assertThat(doc.get("internet_measured_at").asString()).isNotBlank();
        assertThat(doc.get("unavailable").isArray()).isTrue();
        assertThat(doc.get("unavailable")).isEmpty();
        assertThat(doc.has("rating")).isFalse();
        assertThat(Instant.parse(doc.get("updated_at").asString())).isAfter(Instant.now().minusSeconds(60));

        JsonNode display = doc.get("display");
        assertThat(display.get("unit").get("name").asString()).isEqualTo("洱海景观房 Lake view room");
        assertThat(display.get("unit").get("status").asString()).isEqualTo("PUBLISHED");
        assertThat(display.get("unit").get("minStay").asInt()).isEqualTo(7);
        assertThat(strings(display.get("unit").get("amenities"))).containsExactly("desk", "aircon");
        assertThat(display.get("unit").get("version").asLong()).isEqualTo(1);
        assertThat(display.get("property").get("cityLocal").asString()).isEqualTo("大理");
        assertThat(display.get("property").get("postalCode").isNull()).isTrue();
        assertThat(display.get("property").get("timeZone").asString()).isEqualTo("Asia/Shanghai");
        assertThat(display.get("operator").get("slug").asString()).isEqualTo("dali-nomads");
        assertThat(display.get("operator").get("defaultCurrency").asString()).isEqualTo("USD");
        assertThat(display.get("pricing").get("currency").asString()).isEqualTo("IDR");
        assertThat(display.get("pricing").get("nightly").asLong()).isEqualTo(25_000_000L);
        assertThat(display.get("pricing").get("hourly").isNull()).isTrue();
        assertThat(display.get("pricing").get("longStayDiscounts").isArray()).isTrue();
        assertThat(display.get("internet").get("testCount").asInt()).isEqualTo(1);
        assertThat(display.get("internet").get("verified").asBoolean()).isTrue();
        assertThat(display.get("internet").get("medianLatencyMs").asDouble()).isEqualTo(12.0);
        // Timestamps: the database's own, to the microsecond, written as Instant#toString writes them.
        assertThat(display.get("unit").get("createdAt").asString()).isEqualTo(timestamp("SELECT created_at FROM unit WHERE id = ?", unit));
        assertThat(display.get("unit").get("publishedAt").asString()).isEqualTo(timestamp("SELECT published_at FROM unit WHERE id = ?", unit));
        assertThat(display.get("property").get("updatedAt").asString())
                .isEqualTo(timestamp("SELECT updated_at FROM property WHERE id = ?", property));
        assertThat(display.get("operator").get("createdAt").asString())
                .isEqualTo(timestamp("SELECT created_at FROM operator WHERE id = ?", operator));
        assertThat(display.get("pricing").get("updatedAt").asString())
                .isEqualTo(timestamp("SELECT updated_at FROM unit_pricing WHERE unit_id = ?", unit));
        assertThat(display.get("internet").get("lastMeasuredAt").asString()).isEqualTo(doc.get("internet_measured_at").asString())
                .isEqualTo(timestamp("SELECT max(measured_at) FROM speed_test WHERE property_id = ?", property));

        // Free text: the standard tokenizer makes one token per CJK character, so the phrase matches.
        await().atMost(Duration.ofSeconds(5)).until(() -> hits("text", "大理") == 1);
        assertThat(hits("text", "洱海")).isEqualTo(1);
        assertThat(hits("text", "上海")).isZero();
        SearchResponse<JsonData> byUsd = ES.search(s -> s.index(alias)
                .query(q -> q.bool(b -> b.filter(f -> f.term(t -> t.field("city").value("dali")))
                        .filter(f -> f.range(r -> r.number(n -> n.field("nightly_usd").lte(2_000.0)))))), JsonData.class);
        assertThat(byUsd.hits().hits()).hasSize(1);
    }

    @Test
    void staysAreCountedInNightsAndPricedPerNightAndMonth() throws Exception {
        UUID operator = listings.operator("desk-co");
        UUID property = listings.property(operator, Listings.Place.canggu());
        UUID office = listings.unit(operator, property, Listings.Stay.room("Office", "USD", null, 300_000L).monthly(3, 12));
        UUID meeting = listings.unit(operator, property, Listings.Stay.room("Meeting", "USD", null, null).hourly(2_000));
        UUID roundsUp = listings.unit(operator, property, Listings.Stay.room("Cheap", "USD", null, 45L));
        UUID draft = listings.unit(operator, property, Listings.Stay.room("Draft", "USD", 1_000L, null).draft());

        Map<UUID, ObjectNode> docs;
        try (Connection c = DATA_SOURCE.getConnection()) {
            docs = StayDocuments.build(c, List.of(office, meeting, roundsUp, draft));
        }
        assertThat(docs).containsOnlyKeys(office, meeting, roundsUp);

        ObjectNode monthly = docs.get(office);
        assertThat(monthly.get("min_stay_nights").asInt()).isEqualTo(84);
        assertThat(monthly.get("max_stay_nights").asInt()).isEqualTo(336);
        assertThat(monthly.get("nightly_price").asLong()).isEqualTo(10_000L);
        assertThat(monthly.get("monthly_price").asLong()).isEqualTo(300_000L);
        assertThat(monthly.get("nightly_usd").asLong()).isEqualTo(10_000L);
        assertThat(monthly.has("download_mbps")).isFalse();
        assertThat(monthly.get("display").get("internet").isNull()).isTrue();
        assertThat(monthly.get("city_text").asString()).isEqualTo("Canggu");
        assertThat(monthly.has("city_local")).isFalse();

        ObjectNode hourly = docs.get(meeting);
        assertThat(hourly.get("min_stay_nights").asInt()).isEqualTo(1);
        assertThat(hourly.has("max_stay_nights")).isFalse();
        assertThat(hourly.has("nightly_price")).isFalse();
        assertThat(hourly.has("monthly_price")).isFalse();
        assertThat(hourly.has("nightly_usd")).isFalse();
        assertThat(hourly.get("display").get("pricing").get("hourly").asLong()).isEqualTo(2_000L);

        // 45 / 30 = 1.5, half-up.
        assertThat(docs.get(roundsUp).get("nightly_price").asLong()).isEqualTo(2L);
        assertThat(docs.get(roundsUp).get("monthly_price").asLong()).isEqualTo(45L);
    }

    private long hits(String field, String phrase) throws Exception {
        ES.indices().refresh(r -> r.index(alias));
        return ES.search(s -> s.index(alias).query(q -> q.matchPhrase(m -> m.field(field).query(phrase))), JsonData.class)
                .hits().hits().size();
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }

    private static String timestamp(String sql, UUID id) throws SQLException {
        try (Connection c = DATA_SOURCE.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getObject(1, OffsetDateTime.class).toInstant().toString();
            }
        }
    }

    @Test
    void anIndexBuiltBeforeAFieldWasAddedTakesTheFieldWhenTheIndexerStarts() throws Exception {
        // The alias's index as the definition before accepts_payments built it (the mapping is strict).
        ObjectNode before = IndexDefinition.load(settings.definition()).json().deepCopy();
        ((ObjectNode) before.get("mappings").get("properties")).remove("accepts_payments");
        java.nio.file.Path file = java.nio.file.Files.createTempFile("stays-v1-", ".json");
        java.nio.file.Files.writeString(file, Json.MAPPER.writeValueAsString(before));
        try (Connection c = DATA_SOURCE.getConnection()) {
            new StaysIndex(ES, settings.withDefinition("file:" + file)).ensure(c);
        }
        assertThat(mappedFields()).doesNotContain("accepts_payments");

        UUID operator = listings.operator("paid-nomads");
        listings.payoutAccount(operator, true);
        UUID property = listings.property(operator, Listings.Place.dali());
        UUID unit = listings.unit(operator, property, Listings.Stay.room("Paid room", "IDR", 25_000_000L, null));
        OutboxIndexer indexer = indexer(settings, ES);
        indexer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingEvents() == 0);

        assertThat(mappedFields()).contains("accepts_payments");
        assertThat(document(unit).get("accepts_payments").asBoolean()).isTrue();
        assertThat(indexer.status().failures()).isZero();
    }

    private java.util.Set<String> mappedFields() throws java.io.IOException {
        return ES.indices().getMapping(g -> g.index(alias)).mappings().values().iterator().next().mappings().properties().keySet();
    }
}
