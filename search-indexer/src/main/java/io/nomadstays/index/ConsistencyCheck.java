package io.nomadstays.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Compares PostgreSQL with the index behind the alias: every published unit must have a document,
 * equal (but for its build time) to the one the indexer would build now, and nothing else may be
 * in the index. Both sides are streamed in unit id order and merged, so memory stays flat.
 *
 * <p>Content, not versions, decides "stale": a document can be behind without any event, for
 * instance when speed tests leave the 90-day window. Units with pending outbox events are left out
 * (the indexer is about to rewrite them) and counted as pending.
 *
 * <p>{@code repair} records an {@code IndexRepairRequested} outbox event for every differing unit and
 * processes the outbox until they are done, so repairs take the same path, with the same versions,
 * as every other change.
 */
final class ConsistencyCheck {

    private static final int PAGE = 1000;
    private static final int EXAMPLES = 5;
    private static final Duration REPAIR_DEADLINE = Duration.ofMinutes(10);

    private final DataSource dataSource;
    private final ElasticsearchClient es;
    private final SearchSettings settings;
    private final StaysIndex index;

    ConsistencyCheck(DataSource dataSource, ElasticsearchClient es, SearchSettings settings) {
        this.dataSource = dataSource;
        this.es = es;
        this.settings = settings;
        this.index = new StaysIndex(es, settings);
    }

    /** Units of one kind of difference: how many, a few examples, and all of them (for repair). */
    record Difference(long count, List<String> examples, Map<String, UUID> operators) {

        static Difference of(Map<String, UUID> all) {
            return new Difference(all.size(), all.keySet().stream().limit(EXAMPLES).toList(), all);
        }

        String line(String name) {
            return "  %-8s %d%s".formatted(name + ":", count, examples.isEmpty() ? "" : "   e.g. " + String.join(", ", examples));
        }
    }

    record Report(String alias, Set<String> indices, long published, long documents, Difference missing, Difference extra,
                  Difference stale, long pending) {

        boolean consistent() {
            return missing.count() == 0 && extra.count() == 0 && stale.count() == 0;
        }

        @Override
        public String toString() {
            return String.join("\n",
                    "check %s (%s): %d published units in PostgreSQL, %d documents in the index"
                            .formatted(alias, String.join(", ", indices), published, documents),
                    missing.line("missing"), extra.line("extra"), stale.line("stale"),
                    "  pending: %d (units with outbox events not indexed yet; not compared)".formatted(pending),
                    consistent() ? "consistent" : "NOT consistent");
        }
    }

    Report check() throws Exception {
        Set<String> indices = index.aliasedIndices();
        if (indices.isEmpty()) {
            throw new IllegalStateException("Alias " + settings.alias() + " does not exist");
        }
        // Documents written in the last refresh interval are not searchable yet; they are not missing.
        index.refresh(settings.alias());
        try (Connection c = dataSource.getConnection()) {
            Set<UUID> pending = pendingUnits(c);
            Map<String, UUID> missing = new TreeMap<>();
            Map<String, UUID> extra = new TreeMap<>();
            Map<String, UUID> stale = new TreeMap<>();
            long published = 0;
            long documents = 0;

            Iterator<Side> database = new DatabaseSide(c);
            try (IndexSide search = new IndexSide()) {
                Side a = next(database);
                Side b = next(search);
                while (a != null || b != null) {
                    int order = a == null ? 1 : b == null ? -1 : a.id().compareTo(b.id());
                    if (order <= 0) {
                        published++;
                    }
                    if (order >= 0) {
                        documents++;
                    }
                    String id = order <= 0 ? a.id() : b.id();
                    if (!pending.contains(UUID.fromString(id))) {
                        if (order < 0) {
                            missing.put(id, a.operatorId());
                        } else if (order > 0) {
                            extra.put(id, b.operatorId());
                        } else if (!sameContent(a.content(), b.content())) {
                            stale.put(id, a.operatorId());
                        }
                    }
                    if (order <= 0) {
                        a = next(database);
                    }
                    if (order >= 0) {
                        b = next(search);
                    }
                }
            }
            // Changes made while we scanned are pending now: leave them to the indexer.
            Set<UUID> pendingAfter = pendingUnits(c);
            pending.addAll(pendingAfter);
            for (Map<String, UUID> kind : List.of(missing, extra, stale)) {
                kind.keySet().removeIf(id -> pendingAfter.contains(UUID.fromString(id)));
            }
            return new Report(settings.alias(), indices, published, documents, Difference.of(missing), Difference.of(extra),
                    Difference.of(stale), pending.size());
        }
    }

    /**
     * Enqueues every differing unit and processes the outbox until they are indexed (or deleted).
     *
     * @return the number of repair events recorded
     */
    int repair(Report report) throws Exception {
        Map<String, UUID> units = new TreeMap<>();
        units.putAll(report.missing().operators());
        units.putAll(report.extra().operators());
        units.putAll(report.stale().operators());
        if (units.isEmpty()) {
            return 0;
        }
        List<Long> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO outbox_event (operator_id, aggregate_type, aggregate_id, event_type)
                    SELECT op, 'unit', unit, 'IndexRepairRequested' FROM unnest(?::uuid[], ?::uuid[]) AS t(unit, op)
                    RETURNING id""")) {
                ps.setArray(1, c.createArrayOf("uuid", units.keySet().stream().map(UUID::fromString).toArray()));
                ps.setArray(2, c.createArrayOf("uuid", units.values().toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            c.commit();

            // Process the outbox here; a running indexer may take some of them, which is just as good.
            OutboxIndexer indexer = new OutboxIndexer(dataSource, es, settings);
            Instant deadline = Instant.now().plus(REPAIR_DEADLINE);
            while (true) {
                indexer.drain(c, deadline);
                if (pendingCount(c, ids) == 0) {
                    break;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Repair events still pending after " + REPAIR_DEADLINE);
                }
                // Another indexer holds some of them: give it a moment.
                Thread.sleep(100);
            }
        }
        index.refresh(settings.alias());
        return ids.size();
    }

    private static long pendingCount(Connection c, List<Long> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM outbox_event WHERE id = ANY(?) AND processed_at IS NULL")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long n = rs.getLong(1);
                c.commit();
                return n;
            }
        }
    }

    /** Units with pending outbox events, directly or through their property. */
    private static Set<UUID> pendingUnits(Connection c) throws SQLException {
        Set<UUID> units = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT aggregate_id FROM outbox_event WHERE processed_at IS NULL AND aggregate_type = 'unit'
                UNION
                SELECT u.id FROM outbox_event e JOIN unit u ON u.property_id = e.aggregate_id
                 WHERE e.processed_at IS NULL AND e.aggregate_type = 'property'""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                units.add(rs.getObject(1, UUID.class));
            }
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
        return units;
    }

    /** A unit on one side: its id (lower-case UUID text, which sorts like PostgreSQL's uuid), owner and content. */
    private record Side(String id, UUID operatorId, JsonNode content) {
    }

    private static Side next(Iterator<Side> side) {
        return side.hasNext() ? side.next() : null;
    }

    /** Published units in id order, built as the indexer would build them. */
    private static final class DatabaseSide implements Iterator<Side> {

        private final Connection c;
        private final Deque<Side> buffer = new ArrayDeque<>();
        private UUID last = new UUID(0, 0);
        private boolean exhausted;

        DatabaseSide(Connection c) {
            this.c = c;
        }

        @Override
        public boolean hasNext() {
            if (buffer.isEmpty() && !exhausted) {
                try {
                    fill();
                } catch (SQLException e) {
                    throw new IllegalStateException("Reading PostgreSQL failed", e);
                }
            }
            return !buffer.isEmpty();
        }

        @Override
        public Side next() {
            hasNext();
            return buffer.poll();
        }

        private void fill() throws SQLException {
            List<UUID> ids = new ArrayList<>(PAGE);
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM unit WHERE status = 'PUBLISHED' AND id > ? ORDER BY id LIMIT ?")) {
                ps.setObject(1, last);
                ps.setInt(2, PAGE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            if (ids.size() < PAGE) {
                exhausted = true;
            }
            if (ids.isEmpty()) {
                return;
            }
            last = ids.get(ids.size() - 1);
            // A unit unpublished between the two queries is simply not built: it is not published any more.
            StayDocuments.build(c, ids).forEach((id, document) ->
                    buffer.add(new Side(id.toString(), UUID.fromString(document.get("operator_id").asString()), withoutBuildTime(document))));
        }
    }

    /** The documents behind the alias in unit id order, read from a point in time with search_after. */
    private final class IndexSide implements Iterator<Side>, AutoCloseable {

        private final String pit;
        private final Deque<Side> buffer = new ArrayDeque<>();
        private List<FieldValue> after;
        private boolean exhausted;

        IndexSide() throws IOException {
            pit = es.openPointInTime(p -> p.index(settings.alias()).keepAlive(t -> t.time("2m"))).id();
        }

        @Override
        public boolean hasNext() {
            if (buffer.isEmpty() && !exhausted) {
                try {
                    fill();
                } catch (IOException e) {
                    throw new IllegalStateException("Reading Elasticsearch failed", e);
                }
            }
            return !buffer.isEmpty();
        }

        @Override
        public Side next() {
            hasNext();
            return buffer.poll();
        }

        private void fill() throws IOException {
            // The whole _source: filtering would make Elasticsearch parse and re-print every document.
            SearchResponse<ObjectNode> page = es.search(s -> {
                s.pit(p -> p.id(pit).keepAlive(t -> t.time("2m")))
                        .size(PAGE)
                        .trackTotalHits(t -> t.enabled(false))
                        .sort(o -> o.field(f -> f.field("unit_id").order(SortOrder.Asc)));
                if (after != null) {
                    s.searchAfter(after);
                }
                return s;
            }, ObjectNode.class);
            List<Hit<ObjectNode>> hits = page.hits().hits();
            if (hits.size() < PAGE) {
                exhausted = true;
            }
            for (Hit<ObjectNode> hit : hits) {
                ObjectNode source = hit.source();
                JsonNode operator = source.get("operator_id");
                buffer.add(new Side(hit.id(), operator == null ? new UUID(0, 0) : UUID.fromString(operator.asString()),
                        withoutBuildTime(source)));
            }
            if (!hits.isEmpty()) {
                after = hits.get(hits.size() - 1).sort();
            }
        }

        @Override
        public void close() {
            try {
                es.closePointInTime(p -> p.id(pit));
            } catch (IOException | RuntimeException ignored) {
                // It expires by itself.
            }
        }
    }

    /** Numbers by value (18.5 built as a decimal, read back as a double), everything else exactly. */
    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue())
            : a.equals(b) ? 0 : 1;

    /** Whether two documents say the same, whatever the order of their keys and the form of their numbers. */
    static boolean sameContent(JsonNode a, JsonNode b) {
        return a.equals(BY_VALUE, b);
    }

    private static ObjectNode withoutBuildTime(ObjectNode document) {
        document.remove(StayDocuments.BUILD_TIME_FIELD);
        // Both sides as a build today would write them: ranges that have aged out say nothing.
        StayDocuments.clipAvailability(document, java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1));
        return document;
    }
}
