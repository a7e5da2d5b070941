package io.nomadstays.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone commands, configured by environment variables as in .local/services.env. */
class IndexerMainIntegrationTests extends IndexerIntegrationTest {

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private int run(String... args) {
        output.reset();
        Map<String, String> env = Map.of(
                "NOMAD_PG_HOST", SERVICES.pgHost(), "NOMAD_PG_PORT", Integer.toString(SERVICES.pgPort()),
                "NOMAD_PG_USER", SERVICES.pgUser(), "NOMAD_PG_PASSWORD", SERVICES.pgPassword(),
                "NOMAD_PG_DATABASE", DATABASE, "NOMAD_ES_URL", SERVICES.esUrl(), "NOMAD_SEARCH_ALIAS", alias);
        return IndexerMain.run(args, env, new PrintStream(output, true, StandardCharsets.UTF_8), false);
    }

    private String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    @Test
    void reindexCheckRepairAndRefreshRates(@TempDir Path dir) throws Exception {
        UUID operator = listings.operator("cli");
        UUID property = listings.property(operator, Listings.Place.dali());
        List<UUID> units = listings.units(operator, property, List.of(
                Listings.Stay.room("One", "IDR", 25_000_000L, null), Listings.Stay.room("Two", "CNY", 20_000L, null)));

        assertThat(run("reindex")).isZero();
        assertThat(output()).startsWith("Indexed 2 units into " + alias + "-v1-");
        // The UnitPublished events are still pending (a reindex leaves them to the indexer), and the check
        // leaves units with pending events alone: let an indexer take them.
        try (Connection c = DATA_SOURCE.getConnection()) {
            new OutboxIndexer(DATA_SOURCE, ES, settings).drain(c, Instant.now().plusSeconds(30));
        }

        assertThat(run("check")).isZero();
        assertThat(output()).contains("2 published units in PostgreSQL, 2 documents in the index", "consistent");

        execute("UPDATE unit SET name = 'Quietly renamed' WHERE id = '" + units.get(1) + "'");
        assertThat(run("check")).isEqualTo(IndexerMain.DIFFERENCES);
        assertThat(output()).contains("stale:   1   e.g. " + units.get(1), "NOT consistent");

        assertThat(run("check", "--repair")).isZero();
        assertThat(output()).contains("repair: 1 units re-indexed through the outbox").endsWith("consistent\n");
        assertThat(document(units.get(1)).get("display").get("unit").get("name").asString()).isEqualTo("Quietly renamed");

        Path rates = dir.resolve("rates.csv");
        Files.writeString(rates, "as_of,2026-11-29\ncurrency,usd_per_unit\nIDR,0.000065\nCNY,0.1406\n");
        assertThat(run("refresh-rates", rates.toString())).isZero();
        assertThat(output()).contains("2 currencies loaded, 1 changed [IDR]", "1 units re-enqueued for indexing");
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertThat(run("reindex", "--quickly")).isEqualTo(IndexerMain.USAGE_ERROR);
        assertThat(run("index-everything")).isEqualTo(IndexerMain.USAGE_ERROR);
        assertThat(run("refresh-rates")).isEqualTo(IndexerMain.USAGE_ERROR);
        assertThat(run("--help")).isZero();
        assertThat(output()).contains("refresh-rates <file>");
    }
}
