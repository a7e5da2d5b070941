package io.nomadstays.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Elasticsearch unreachable: search says so with a retryable code, health shows it, writes still succeed. */
@TestPropertySource(properties = {"spring.elasticsearch.uris=http://127.0.0.1:9", "nomad.search.query.timeout=2s"})
class SearchUnavailableIntegrationTests extends IntegrationTest {

    @Test
    @SuppressWarnings("unchecked")
    void searchAnswersRetryableAndWritesGoOn() {
        Map<String, Object> response = post(null, "{ searchStays(filter: {city: \"Lisbon\"}) { totalCount } }", Map.of());
        var errors = (List<Map<String, Object>>) response.get("errors");
        assertThat(errors).hasSize(1);
        var extensions = (Map<String, Object>) errors.get(0).get("extensions");
        assertThat(extensions).containsEntry("code", "SEARCH_UNAVAILABLE").containsEntry("retryable", true);
        assertThat(errors.toString()).doesNotContain("Connection refused").doesNotContain("Exception");

        web.get().uri("/actuator/health").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.components.elasticsearch.status").isEqualTo("DOWN");

        Fixtures.Ref operator = fixtures.operator("still-writing");
        Fixtures.Ref property = fixtures.property(operator, "Place");
        Fixtures.Ref unit = fixtures.unit(operator, property, "Room", false);
        as(fixtures.staff(operator, "MANAGER"))
                .document("mutation($id: ID!) { publishUnit(input: {unitId: $id}) { unit { status } userErrors { code } } }")
                .variable("id", unit.id()).execute()
                .path("publishUnit.unit.status").entity(String.class).isEqualTo("PUBLISHED");
        assertThat(fixtures.count("outbox_event")).isEqualTo(1);
    }
}
