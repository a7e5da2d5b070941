package io.nomadstays.internet;

import io.nomadstays.graphql.Connection;
import io.nomadstays.graphql.PageRequest;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Speed tests and the internet summary derived from them, computed by PostgreSQL. */
@Component
public class SpeedTests {

    private static final String COLUMNS = """
            id, operator_id, property_id, unit_id, download_mbps, upload_mbps, latency_ms, measured_at, source""";

    private final DatabaseClient db;

    public SpeedTests(DatabaseClient db) {
        this.db = db;
    }

    Mono<Void> insert(SpeedTest t, UUID reportedBy) {
        return db.sql("""
                        INSERT INTO speed_test (id, operator_id, property_id, unit_id, download_mbps, upload_mbps, latency_ms,
                                                measured_at, source, reported_by)
                        VALUES (:id, :operator, :property, :unit, :down, :up, :latency, :measured, :source, :by)""")
                .bind("id", t.uuid()).bind("operator", t.operatorId()).bind("property", t.propertyId())
                .bind("unit", t.unitId() == null ? Parameter.empty(UUID.class) : Parameter.from(t.unitId()))
                .bind("down", BigDecimal.valueOf(t.downloadMbps())).bind("up", BigDecimal.valueOf(t.uploadMbps()))
                .bind("latency", t.latencyMs() == null ? Parameter.empty(BigDecimal.class) : Parameter.from(BigDecimal.valueOf(t.latencyMs())))
                .bind("measured", t.measuredAt()).bind("source", t.source().name())
                .bind("by", reportedBy == null ? Parameter.empty(UUID.class) : Parameter.from(reportedBy))
                .then();
    }

    Mono<SpeedTest> findById(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM speed_test WHERE id = :id").bind("id", id).map(SpeedTests::map).one();
    }

    /** Newest recorded first (keyset on the time-ordered id). */
    Mono<Connection<SpeedTest>> page(UUID propertyId, PageRequest page) {
        Mono<List<SpeedTest>> rows = db.sql("SELECT " + COLUMNS + " FROM speed_test WHERE property_id = :property"
                        + " AND (CAST(:after AS uuid) IS NULL OR id < :after) ORDER BY id DESC LIMIT :limit")
                .bind("property", propertyId)
                .bind("after", page.after() == null ? Parameter.empty(UUID.class) : Parameter.from(page.after()))
                .bind("limit", page.limit())
                .map(SpeedTests::map).all().collectList();
        Mono<Integer> total = db.sql("SELECT count(*) AS n FROM speed_test WHERE property_id = :property")
                .bind("property", propertyId).map(row -> row.get("n", Long.class).intValue()).one();
        return Mono.zip(rows, total).map(t -> Connection.of(t.getT1(), page, SpeedTest::uuid, t.getT2()));
    }

    /** Internet summaries of several properties at once; properties without recent tests are absent. */
    public Mono<Map<UUID, InternetSummary>> summaries(Collection<UUID> propertyIds) {
        return db.sql("""
                        SELECT property_id,
                               percentile_cont(0.5) WITHIN GROUP (ORDER BY download_mbps) AS down,
                               percentile_cont(0.5) WITHIN GROUP (ORDER BY upload_mbps) AS up,
                               percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS latency,
                               count(*) AS n,
                               bool_or(source = 'PROBE')
                                 OR count(DISTINCT reported_by) FILTER (WHERE source = 'GUEST') >= :guests AS verified,
                               max(measured_at) AS last
                          FROM speed_test
                         WHERE property_id = ANY(:ids) AND measured_at >= now() - make_interval(days => :days)
                         GROUP BY property_id""")
                .bind("ids", propertyIds.toArray(UUID[]::new))
                .bind("guests", InternetSummary.GUESTS_TO_VERIFY)
                .bind("days", InternetSummary.WINDOW_DAYS)
                .map(row -> Map.entry(row.get("property_id", UUID.class), new InternetSummary(
                        round(row.get("down", Double.class)), round(row.get("up", Double.class)),
                        row.get("latency", Double.class) == null ? null : round(row.get("latency", Double.class)),
                        row.get("n", Long.class).intValue(), row.get("verified", Boolean.class), row.get("last", Instant.class))))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static SpeedTest map(Readable row) {
        BigDecimal latency = row.get("latency_ms", BigDecimal.class);
        return new SpeedTest(row.get("id", UUID.class), row.get("operator_id", UUID.class), row.get("property_id", UUID.class),
                row.get("unit_id", UUID.class), row.get("download_mbps", BigDecimal.class).doubleValue(),
                row.get("upload_mbps", BigDecimal.class).doubleValue(), latency == null ? null : latency.doubleValue(),
                row.get("measured_at", Instant.class), SpeedTest.Source.valueOf(row.get("source", String.class)));
    }
}
