package io.nomadstays.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.json.JsonData;
import io.nomadstays.infra.LocalServices;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.postgresql.ds.PGSimpleDataSource;
import tools.jackson.databind.JsonNode;

/**
 * Base of the module's {@code *IntegrationTests}: the real PostgreSQL and Elasticsearch of
 * infra/bin/services.sh, a database of our own migrated with the api's migrations, and an alias of
 * our own per test ({@code test-stays-<random>}), deleted afterwards with its indices.
 */
abstract class IndexerIntegrationTest {

    static final String DATABASE = "nomad_test_indexer";
    static final Path MIGRATIONS = Path.of("../api/src/main/resources/db/migration");
    static final Path SHIPPED_RATES = Path.of("../api/src/main/resources/rates/exchange-rates.csv");

    static final LocalServices.Endpoints SERVICES = LocalServices.ensureStarted();
    static final DataSource DATA_SOURCE = migrate();
    static final ElasticsearchClient ES = Elasticsearch.connect(SERVICES.esUrl(), null);

    protected String alias;
    protected SearchSettings settings;
    protected Listings listings;
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    private static DataSource migrate() {
        LocalServices.createDatabaseIfMissing(SERVICES, DATABASE);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(SERVICES.jdbcUrl(DATABASE));
        ds.setUser(SERVICES.pgUser());
        ds.setPassword(SERVICES.pgPassword());
        Flyway flyway = Flyway.configure().dataSource(ds).locations("filesystem:" + MIGRATIONS).cleanDisabled(false).load();
        try {
            flyway.migrate();
        } catch (FlywayValidateException e) {
            // A migration was edited since this test database was made: it is ours alone, start it over.
            flyway.clean();
            flyway.migrate();
        }
        return ds;
    }

    @BeforeEach
    void freshState() throws Exception {
        alias = "test-stays-" + UUID.randomUUID().toString().substring(0, 8);
        settings = SearchSettings.defaults().withAlias(alias)
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .withIndexer(1, 100, Duration.ofMillis(20));
        try (Connection c = DATA_SOURCE.getConnection(); Statement st = c.createStatement()) {
            st.execute("""
                    TRUNCATE app_user, operator, staff_membership, property, unit, unit_pricing, unit_long_stay_discount,
                             speed_test, outbox_event, search_reindex_run, exchange_rate RESTART IDENTITY CASCADE""");
        }
        RatesRefresh.refresh(DATA_SOURCE, shippedRates());
        listings = new Listings(DATA_SOURCE);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
        // Wildcard deletes are refused (action.destructive_requires_name): delete by name.
        StaysIndex index = new StaysIndex(ES, settings);
        for (String name : index.concreteIndices()) {
            index.delete(name);
        }
    }

    /** Stopped (or closed) after the test, before its indices are deleted. */
    protected <T extends AutoCloseable> T closeAfter(T resource) {
        closeAfter.add(resource);
        return resource;
    }

    static RatesRefresh.RatesFile shippedRates() throws IOException {
        try (Reader reader = Files.newBufferedReader(SHIPPED_RATES, StandardCharsets.UTF_8)) {
            return RatesRefresh.RatesFile.parse(reader, SHIPPED_RATES.toString());
        }
    }

    /** An indexer with this test's settings, stopped after the test. */
    protected OutboxIndexer indexer(SearchSettings s, ElasticsearchClient es) {
        return closeAfter(new OutboxIndexer(DATA_SOURCE, es, s));
    }

    protected long pendingEvents() throws SQLException {
        return count("SELECT count(*) FROM outbox_event WHERE processed_at IS NULL");
    }

    protected long count(String sql) throws SQLException {
        try (Connection c = DATA_SOURCE.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    protected void execute(String sql) throws SQLException {
        try (Connection c = DATA_SOURCE.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** The document of a unit read through the alias (real-time get, no refresh needed), or null. */
    protected JsonNode document(UUID unit) throws IOException {
        GetResponse<JsonData> get = get(unit);
        return get != null && get.found() ? Json.MAPPER.readTree(get.source().toJson(ES._jsonpMapper()).toString()) : null;
    }

    protected Long version(UUID unit) throws IOException {
        GetResponse<JsonData> get = get(unit);
        return get != null && get.found() ? get.version() : null;
    }

    /** Null while the alias does not exist yet (the indexer creates it when it starts). */
    private GetResponse<JsonData> get(UUID unit) throws IOException {
        try {
            return ES.get(g -> g.index(alias).id(unit.toString()), JsonData.class);
        } catch (ElasticsearchException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    protected long searchCount() throws IOException {
        ES.indices().refresh(r -> r.index(alias));
        return ES.count(c -> c.index(alias)).count();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
