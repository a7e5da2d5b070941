package io.nomadstays.indexing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.json.JsonData;
import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The indexer runs inside the application: a published unit becomes searchable, health and metrics show it. */
class SearchIndexingIntegrationTests extends IntegrationTest {

    @Autowired
    ElasticsearchClient elasticsearch;

    @Autowired
    IndexingProperties properties;

    @Test
    void aPublishedUnitReachesTheIndexWithinSeconds() {
        Fixtures.Ref operator = fixtures.operator("indexed");
        Fixtures.Ref property = fixtures.property(operator, "Indexed House");
        Fixtures.Ref unit = fixtures.unit(operator, property, "Indexed Room", false);

        as(fixtures.staff(operator, "MANAGER"))
                .document("mutation($id: ID!) { publishUnit(input: {unitId: $id}) { unit { status } } }")
                .variable("id", unit.id()).execute()
                .path("publishUnit.unit.status").entity(String.class).isEqualTo("PUBLISHED");

        await().atMost(Duration.ofSeconds(10)).until(() -> indexed(unit) != null);
        var source = indexed(unit).source().toJson(elasticsearch._jsonpMapper()).asJsonObject();
        assertThat(source.getString("city")).isEqualTo("canggu");
        assertThat(source.getJsonNumber("nightly_usd").longValue()).isEqualTo(2_500L);
        assertThat(fixtures.count("outbox_event")).isEqualTo(1);
    }

    @Test
    void healthAndMetricsShowTheIndexer() {
        web.get().uri("/actuator/health").exchange()
                .expectBody()
                .jsonPath("$.components.searchIndexer.status").isEqualTo("UP")
                .jsonPath("$.components.searchIndexer.details.alias").isEqualTo(properties.alias())
                .jsonPath("$.components.searchIndexer.details.lagMillis").isNumber();
        web.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body)
                        .contains("nomad_search_indexer_events_total", "nomad_search_indexer_lag_seconds"));
    }

    @Autowired
    SearchIndexing indexing;

    @Test
    void theShippedRatesAreLoadedIntoAnEmptyTableAtStartUp() {
        db.sql("TRUNCATE exchange_rate").then().block();

        indexing.afterSingletonsInstantiated();

        assertThat(fixtures.count("exchange_rate")).isGreaterThan(50);
    }

    @Test
    void theScheduledConsistencyCheckPutsBackADocumentTheIndexLost() throws Exception {
        Fixtures.Ref operator = fixtures.operator("checked");
        Fixtures.Ref property = fixtures.property(operator, "Checked House");
        Fixtures.Ref unit = fixtures.unit(operator, property, "Checked Room", false);
        as(fixtures.staff(operator, "MANAGER"))
                .document("mutation($id: ID!) { publishUnit(input: {unitId: $id}) { unit { status } } }")
                .variable("id", unit.id()).execute()
                .path("publishUnit.unit.status").entity(String.class).isEqualTo("PUBLISHED");
        await().atMost(Duration.ofSeconds(10)).until(() -> indexed(unit) != null);
        await().atMost(Duration.ofSeconds(10)).until(() -> db.sql("SELECT count(*) AS n FROM outbox_event WHERE processed_at IS NULL")
                .map(r -> r.get("n", Long.class)).one().block() == 0);

        elasticsearch.delete(d -> d.index(properties.alias()).id(unit.uuid().toString()).refresh(co.elastic.clients.elasticsearch._types.Refresh.True));
        assertThat(indexed(unit)).isNull();

        var outcome = indexing.checkAndRepair();
        assertThat(outcome.consistentBefore()).isFalse();
        assertThat(outcome.repaired()).isGreaterThanOrEqualTo(1);
        assertThat(outcome.consistentAfter()).as(outcome.report()).isTrue();
        assertThat(outcome.report()).contains("missing: 1");
        assertThat(indexed(unit)).isNotNull();
        assertThat(indexing.checkAndRepair().consistentBefore()).isTrue();
    }

    private GetResponse<JsonData> indexed(Fixtures.Ref unit) {
        try {
            GetResponse<JsonData> get = elasticsearch.get(g -> g.index(properties.alias()).id(unit.uuid().toString()), JsonData.class);
            return get.found() ? get : null;
        } catch (ElasticsearchException e) {
            return null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
