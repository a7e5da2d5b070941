package io.nomadstays.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.IntConsumer;
import javax.sql.DataSource;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A full reindex: builds a new concrete index from PostgreSQL while the live indexer keeps writing
 * through the alias into the old one, replays the outbox events of the meantime into the new index,
 * swaps the alias atomically and deletes old indices.
 *
 * <p>Versions: the run starts from {@code snapshot = xmin} of a PostgreSQL snapshot. Every
 * transaction below it has ended, so every document read afterwards contains its changes and is
 * written with version {@code snapshot - 1}; every event with {@code txid >= snapshot} is replayed
 * (twice: before and after the swap, so events the live indexer wrote into the old index in
 * between are not lost). External versions make the overlap harmless.
 *
 * <p>Runs are recorded in {@code search_reindex_run}: one that crashed is resumed from its
 * {@code last_unit_id} into the same index by the next run ({@code fresh} starts over). A session
 * advisory lock per alias keeps two runs apart.
 */
final class Reindexer {

    private static final System.Logger log = System.getLogger(Reindexer.class.getName());
    private static final UUID BEFORE_ALL = new UUID(0, 0);
    private static final int BULK_ATTEMPTS = 6;

    private final DataSource dataSource;
    private final SearchSettings settings;
    private final StaysIndex index;
    private final DocumentWriter writer;

    /** Called after each completed batch with the batch count of this call; tests throw to simulate a crash. */
    IntConsumer afterBatch = n -> {
    };
    /** A progress bar on stderr (the CLI), or nothing (tests). */
    boolean progressBar = true;

    Reindexer(DataSource dataSource, ElasticsearchClient es, SearchSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.index = new StaysIndex(es, settings);
        this.writer = new DocumentWriter(es);
    }

    /**
     * @param units    documents written by this call (a resumed run: the rest only)
     * @param replayed outbox events replayed into the new index
     * @param previous the indices the alias pointed at before
     * @param deleted  old indices deleted
     */
    record Result(String index, boolean resumed, long units, Duration elapsed, long replayed, Set<String> previous,
                  List<String> deleted) {

        double unitsPerSecond() {
            return units / Math.max(0.001, elapsed.toMillis() / 1000.0);
        }

        @Override
        public String toString() {
            return "%s %d units into %s in %.1f s (%.0f units/s); replayed %d outbox events; alias now points to %s%s; deleted %s"
                    .formatted(resumed ? "Resumed and indexed" : "Indexed", units, index, elapsed.toMillis() / 1000.0,
                            unitsPerSecond(), replayed, index, previous.isEmpty() ? "" : " (was " + String.join(", ", previous) + ")",
                            deleted.isEmpty() ? "no old index" : String.join(", ", deleted));
        }
    }

    private record Run(long id, String indexName, long snapshot, UUID lastUnitId, long unitsIndexed) {
    }

    /** A bulk request being written or in flight, and where the scan stands once it has completed. */
    private record Pending(Future<?> bulk, UUID lastUnitId, int units) {
    }

    Result run(boolean fresh) throws Exception {
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            if (!tryLock(c)) {
                throw new IllegalStateException("Another reindex of alias " + settings.alias() + " is running");
            }
            index.checkReachable();
            Run run = running(c);
            if (run != null && (fresh || !index.exists(run.indexName()))) {
                log.log(System.Logger.Level.INFO, "Abandoning reindex run {0} into {1}", run.id(), run.indexName());
                finish(c, run, "ABANDONED");
                index.delete(run.indexName());
                run = null;
            }
            boolean resumed = run != null;
            if (run == null) {
                run = start(c);
            } else {
                log.log(System.Logger.Level.INFO, "Resuming reindex run {0} into {1} after unit {2}",
                        run.id(), run.indexName(), run.lastUnitId());
            }

            long loading = System.nanoTime();
            long units = load(c, run);
            long loaded = System.nanoTime();
            index.finishBulkLoad(run.indexName());
            long settled = System.nanoTime();
            long replayed = replay(c, run);
            index.refresh(run.indexName());
            Set<String> previous = index.swap(run.indexName());
            replayed += replay(c, run);
            finish(c, run, "DONE");
            long swapped = System.nanoTime();
            List<String> deleted = index.deleteOld(settings.keepOldIndices(), runningIndices(c));
            // Where the time went, for whoever tunes the batch size, the concurrency or the JVM (docs/benchmarks.md).
            log.log(System.Logger.Level.INFO, "Reindex run {0} phases: start {1} ms, documents {2} ms, settings and refresh {3} ms, "
                    + "replay and swap {4} ms, old indices {5} ms", run.id(), millis(started, loading), millis(loading, loaded),
                    millis(loaded, settled), millis(settled, swapped), millis(swapped, System.nanoTime()));
            return new Result(run.indexName(), resumed, units, Duration.ofNanos(System.nanoTime() - started), replayed,
                    previous, deleted);
        }
    }

    private static String millis(long from, long to) {
        return Long.toString((to - from) / 1_000_000);
    }

    private Run start(Connection c) throws SQLException, IOException {
        long snapshot;
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_snapshot_xmin(pg_current_snapshot())::text");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            snapshot = Long.parseLong(rs.getString(1));
        }
        // Names are unique per second; one used by an abandoned run may be free in Elasticsearch but not in our table.
        Set<String> taken = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT index_name FROM search_reindex_run WHERE alias = ?")) {
            ps.setString(1, settings.alias());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    taken.add(rs.getString(1));
                }
            }
        }
        String name = index.create(true, false, taken);
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO search_reindex_run (alias, index_name, snapshot_txid, status)
                VALUES (?, ?, ?::xid8, 'RUNNING') RETURNING id""")) {
            ps.setString(1, settings.alias());
            ps.setString(2, name);
            ps.setString(3, Long.toString(snapshot));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                log.log(System.Logger.Level.INFO, "Reindex run {0}: new index {1}, snapshot txid {2}", rs.getLong(1), name, snapshot);
                return new Run(rs.getLong(1), name, snapshot, null, 0);
            }
        }
    }

    /**
     * The keyset scan of published units, with up to {@code reindexConcurrency} bulk requests in flight
     * and the next request's body already written: when a request completes, the next one goes out at
     * once instead of after its 1,000 documents are written (Elasticsearch would idle meanwhile).
     */
    private long load(Connection c, Run run) throws Exception {
        long version = run.snapshot() - 1;
        UUID last = run.lastUnitId() == null ? BEFORE_ALL : run.lastUnitId();
        long remaining = countAfter(c, last);
        int concurrency = settings.reindexConcurrency();
        Semaphore requests = new Semaphore(concurrency);
        Deque<Pending> pending = new ArrayDeque<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency + 1, r -> {
            Thread t = new Thread(r, "reindex-bulk");
            t.setDaemon(true);
            return t;
        });
        ProgressBar bar = progressBar ? new ProgressBarBuilder().setTaskName("reindex").setMaxRenderedLength(120)
                .setInitialMax(run.unitsIndexed() + remaining).startsFrom(run.unitsIndexed(), Duration.ZERO)
                .setUnit(" units", 1).showSpeed().setSpeedUnit(ChronoUnit.SECONDS).setUpdateIntervalMillis(250).build() : null;
        long written = 0;
        int batches = 0;
        try {
            while (true) {
                List<UUID> ids = idsAfter(c, last);
                if (ids.isEmpty()) {
                    break;
                }
                last = ids.get(ids.size() - 1);
                // Read while the bulk requests are in flight, then wait until at most one batch is ahead of them.
                StayDocuments.Batch documents = StayDocuments.read(c, ids);
                while (pending.size() > concurrency) {
                    written += complete(c, run, pending.poll(), bar);
                    afterBatch.accept(++batches);
                }
                // Writing the documents is about half the CPU a unit costs: a pool thread does it while this one
                // reads the next batch, and only then waits for a request slot.
                pending.add(new Pending(pool.submit(() -> {
                    DocumentWriter.Bulk bulk = new DocumentWriter.Bulk(documents.units().size());
                    for (UUID unit : documents.units()) {
                        bulk.add(unit, version, documents);
                    }
                    requests.acquire();
                    try {
                        return bulkWithRetries(run.indexName(), bulk);
                    } finally {
                        requests.release();
                    }
                }), last, documents.units().size()));
            }
            while (!pending.isEmpty()) {
                written += complete(c, run, pending.poll(), bar);
                afterBatch.accept(++batches);
            }
        } finally {
            pool.shutdownNow();
            if (bar != null) {
                bar.close();
            }
        }
        return written;
    }

    /** Waits for the oldest bulk (so last_unit_id only ever covers completed batches) and records progress. */
    private long complete(Connection c, Run run, Pending pending, ProgressBar bar) throws Exception {
        try {
            pending.bulk().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE search_reindex_run SET last_unit_id = ?, units_indexed = units_indexed + ?, updated_at = now()
                 WHERE id = ?""")) {
            ps.setObject(1, pending.lastUnitId());
            ps.setLong(2, pending.units());
            ps.setLong(3, run.id());
            ps.executeUpdate();
        }
        if (bar != null) {
            bar.stepBy(pending.units());
        }
        return pending.units();
    }

    private Void bulkWithRetries(String target, DocumentWriter.Bulk bulk) throws Exception {
        long backoff = Math.max(1, settings.backoffInitial().toMillis());
        for (int attempt = 1; ; attempt++) {
            Exception failure;
            try {
                // Resending documents that were written is harmless: their external version equals the stored one.
                DocumentWriter.Outcome outcome = writer.bulk(target, false, bulk);
                if (outcome.failed().isEmpty()) {
                    return null;
                }
                failure = new IOException(outcome.failed().size() + " documents refused, e.g. "
                        + outcome.failed().entrySet().iterator().next());
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
            if (attempt >= BULK_ATTEMPTS || Thread.currentThread().isInterrupted()) {
                // Out of attempts, or the run is being torn down after another batch failed.
                throw failure;
            }
            log.log(System.Logger.Level.WARNING, "Reindex bulk failed (attempt {0}), retrying in {1} ms: {2}", attempt, backoff, failure);
            Thread.sleep(backoff);
            backoff = Math.min(backoff * 2, settings.backoffMax().toMillis());
        }
    }

    /**
     * Writes the documents of units changed by events since the snapshot into the new index. Only
     * settled events: the others are still pending and the live indexer writes them (through the alias,
     * into the new index once swapped).
     */
    private long replay(Connection c, Run run) throws Exception {
        long after = 0;
        long total = 0;
        while (true) {
            List<OutboxEvents.Event> events;
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, aggregate_type, aggregate_id, txid::text FROM outbox_event
                     WHERE txid >= ?::xid8 AND id > ? AND %s
                     ORDER BY id LIMIT ?""".formatted(OutboxEvents.SETTLED))) {
                ps.setString(1, Long.toString(run.snapshot()));
                ps.setLong(2, after);
                ps.setInt(3, settings.reindexBatchSize());
                events = OutboxEvents.read(ps);
            }
            if (events.isEmpty()) {
                return total;
            }
            OutboxEvents.Resolved resolved = OutboxEvents.resolve(c, events);
            for (int attempt = 1; ; attempt++) {
                DocumentWriter.Outcome outcome = writer.write(c, run.indexName(), false, resolved.versions());
                if (outcome.failed().isEmpty()) {
                    break;
                }
                if (attempt >= BULK_ATTEMPTS) {
                    throw new IOException("Replay into " + run.indexName() + " failed: " + outcome.failed());
                }
                Thread.sleep(settings.backoffInitial().toMillis() << attempt);
            }
            total += events.size();
            after = events.get(events.size() - 1).id();
        }
    }

    private List<UUID> idsAfter(Connection c, UUID last) throws SQLException {
        List<UUID> ids = new ArrayList<>(settings.reindexBatchSize());
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM unit WHERE status = 'PUBLISHED' AND id > ? ORDER BY id LIMIT ?")) {
            ps.setObject(1, last);
            ps.setInt(2, settings.reindexBatchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

    private long countAfter(Connection c, UUID last) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM unit WHERE status = 'PUBLISHED' AND id > ?")) {
            ps.setObject(1, last);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            ps.setString(1, "nomad-search:reindex:" + settings.alias());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private Run running(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, index_name, snapshot_txid::text, last_unit_id, units_indexed FROM search_reindex_run
                 WHERE alias = ? AND status = 'RUNNING'""")) {
            ps.setString(1, settings.alias());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Run(rs.getLong(1), rs.getString(2), Long.parseLong(rs.getString(3)),
                        rs.getObject(4, UUID.class), rs.getLong(5)) : null;
            }
        }
    }

    private Set<String> runningIndices(Connection c) throws SQLException {
        Set<String> names = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT index_name FROM search_reindex_run WHERE status = 'RUNNING'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private void finish(Connection c, Run run, String status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE search_reindex_run SET status = ?, finished_at = now(), updated_at = now() WHERE id = ?")) {
            ps.setString(1, status);
            ps.setLong(2, run.id());
            ps.executeUpdate();
        }
    }
}
