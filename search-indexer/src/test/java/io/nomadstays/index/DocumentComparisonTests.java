package io.nomadstays.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The consistency check compares documents by value, whatever key order and number form the two sides have. */
class DocumentComparisonTests {

    @Test
    void keyOrderAndNumberFormDoNotMatter() {
        ObjectNode built = Json.MAPPER.createObjectNode();
        built.put("unit_id", "a");
        built.put("size_m2", new java.math.BigDecimal("18.50"));
        built.put("download_mbps", 80.0);
        built.putObject("display").putObject("pricing").put("nightly", 100L).putNull("hourly");
        JsonNode indexed = Json.MAPPER.readTree("""
                {"display": {"pricing": {"hourly": null, "nightly": 100}}, "download_mbps": 80.0, "size_m2": 18.5,
                 "unit_id": "a"}""");

        assertThat(ConsistencyCheck.sameContent(built, indexed)).isTrue();
    }

    @Test
    void anyOtherDifferenceMatters() {
        JsonNode a = Json.MAPPER.readTree("""
                {"unit_id": "a", "amenities": ["desk", "wifi"], "display": {"unit": {"name": "A"}}}""");
        JsonNode reordered = Json.MAPPER.readTree("""
                {"unit_id": "a", "amenities": ["wifi", "desk"], "display": {"unit": {"name": "A"}}}""");
        JsonNode renamed = Json.MAPPER.readTree("""
                {"unit_id": "a", "amenities": ["desk", "wifi"], "display": {"unit": {"name": "B"}}}""");
        JsonNode longer = Json.MAPPER.readTree("""
                {"unit_id": "a", "amenities": ["desk", "wifi"], "display": {"unit": {"name": "A"}}, "rating": 4.5}""");
        JsonNode nullInstead = Json.MAPPER.readTree("""
                {"unit_id": "a", "amenities": ["desk", "wifi"], "display": {"unit": {"name": null}}}""");

        assertThat(ConsistencyCheck.sameContent(a, reordered)).isFalse();
        assertThat(ConsistencyCheck.sameContent(a, renamed)).isFalse();
        assertThat(ConsistencyCheck.sameContent(a, longer)).isFalse();
        assertThat(ConsistencyCheck.sameContent(longer, a)).isFalse();
        assertThat(ConsistencyCheck.sameContent(a, nullInstead)).isFalse();
    }
}
