package io.nomadstays.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Keeps the index true: claims pending outbox events in id order with
 * {@code SELECT ... FOR UPDATE SKIP LOCKED}, resolves them to units, builds the documents, bulk-writes
 * them through the alias with external versions, and marks the events processed in the transaction
 * that held the locks. Several threads or processes can run at once: a locked event is skipped by
 * the others, so no work is done twice.
 *
 * <p>Failures never lose an event: when Elasticsearch (or PostgreSQL) fails, the transaction rolls
 * back, the events stay pending and the thread backs off (doubling up to a maximum) and retries.
 * A document refused for another reason than a version conflict leaves its events pending, to be
 * retried and logged until it succeeds.
 */
public final class OutboxIndexer implements AutoCloseable {

    private static final System.Logger log = System.getLogger(OutboxIndexer.class.getName());

    /** How often the lag (age of the oldest pending event) is measured. */
    private static final long LAG_EVERY_MILLIS = 1000;
    private static final int PRUNE_CHUNK = 10_000;
    private static final String LOCK_TABLES = """
            LOCK TABLE operator, property, unit, unit_pricing, unit_long_stay_discount, speed_test, currency, exchange_rate
                IN ACCESS SHARE MODE;
            LOCK TABLE outbox_event IN ROW SHARE MODE""";

    /**
     * What the indexer has done since it started, for health and metrics.
     *
     * @param lag            age of the oldest pending outbox event (zero when none), measured every second
     * @param retryingEvents pending events whose document was refused at least once (waiting for their retry)
     * @param lastError      the last failure (whole batch or one document), null if none
     */
    public record Status(boolean running, int threads, long eventsProcessed, long documentsIndexed, long documentsDeleted,
                         long versionConflicts, long failures, Duration lag, long retryingEvents, Instant lastSuccessAt,
                         String lastError, Instant lastErrorAt) {

        /** The last attempt succeeded (or nothing failed yet). */
        public boolean healthy() {
            return lastErrorAt == null || (lastSuccessAt != null && lastSuccessAt.isAfter(lastErrorAt));
        }
    }

    private final DataSource dataSource;
    private final SearchSettings settings;
    private final StaysIndex index;
    private final DocumentWriter writer;

    private final AtomicLong eventsProcessed = new AtomicLong();
    private final AtomicLong documentsIndexed = new AtomicLong();
    private final AtomicLong documentsDeleted = new AtomicLong();
    private final AtomicLong versionConflicts = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong nextPruneAt = new AtomicLong();
    private final AtomicLong nextLagAt = new AtomicLong();
    private volatile Duration lag = Duration.ZERO;
    private volatile long retrying;
    private volatile Instant lastSuccessAt;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile boolean aliasReady;

    private final CountDownLatch stopping = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();

    /** Called with the ids of the events each committed batch processed (tests count them). */
    volatile Consumer<List<Long>> onCommitted = ids -> {
    };

    public OutboxIndexer(DataSource dataSource, ElasticsearchClient es, SearchSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.index = new StaysIndex(es, settings);
        this.writer = new DocumentWriter(es);
        this.nextPruneAt.set(System.currentTimeMillis() + settings.pruneInterval().toMillis());
    }

    /** Starts {@code settings.threads()} indexer threads. */
    public synchronized void start() {
        if (!threads.isEmpty()) {
            throw new IllegalStateException("Already started");
        }
        for (int i = 0; i < settings.threads(); i++) {
            Thread thread = new Thread(this::loop, "search-indexer-" + settings.alias() + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        log.log(System.Logger.Level.INFO, "Search indexer started: {0} thread(s), alias {1}", threads.size(), settings.alias());
    }

    /** Lets the running batches finish (they commit or roll back) and waits for the threads. */
    public void stop(Duration timeout) {
        stopping.countDown();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Thread> started;
        synchronized (this) {
            started = List.copyOf(threads);
        }
        for (Thread thread : started) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                // A batch stuck in I/O: its transaction rolls back when the connection goes, so nothing is lost.
                log.log(System.Logger.Level.WARNING, "{0} did not stop within {1}", thread.getName(), timeout);
            }
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    public Status status() {
        boolean running;
        int count;
        synchronized (this) {
            running = threads.stream().anyMatch(Thread::isAlive);
            count = threads.size();
        }
        return new Status(running, count, eventsProcessed.get(), documentsIndexed.get(), documentsDeleted.get(),
                versionConflicts.get(), failures.get(), lag, retrying, lastSuccessAt, lastError, lastErrorAt);
    }

    private void loop() {
        Connection c = null;
        long backoff = 0;
        while (stopping.getCount() > 0) {
            boolean full = false;
            try {
                if (c == null) {
                    c = dataSource.getConnection();
                    c.setAutoCommit(false);
                }
                if (!aliasReady) {
                    index.ensure(c);
                    aliasReady = true;
                }
                Batch batch = runBatch(c);
                full = batch.events() >= settings.batchSize();
                maintain(c);
                backoff = 0;
                if (batch.failedDocuments() == 0) {
                    lastSuccessAt = Instant.now();
                }
            } catch (Exception e) {
                failed(e.toString(), e);
                aliasReady = false;
                if (c != null && e instanceof SQLException) {
                    closeQuietly(c);
                    c = null;
                }
                measureLagQuietly(c);
                backoff = nextBackoff(backoff);
            }
            if (backoff > 0) {
                log.log(System.Logger.Level.WARNING, "Search indexer retrying in {0} ms: {1}", backoff, lastError);
            }
            long wait = backoff > 0 ? backoff : full ? 0 : settings.pollInterval().toMillis();
            if (wait > 0 && sleep(wait)) {
                break;
            }
        }
        closeQuietly(c);
    }

    /** What one batch did. */
    record Batch(int events, int failedDocuments) {
    }

    /**
     * One transaction: claim, resolve, build, bulk, mark. Package-private so that tests and the
     * consistency repair can drive batches themselves.
     */
    Batch runBatch(Connection c) throws Exception {
        try {
            try (Statement st = c.createStatement()) {
                // The batch's table locks up front, in foreign-key order (the order in which a multi-table
                // TRUNCATE or a migration takes them): such a statement then waits for the batch instead of
                // deadlocking with it (claiming outbox rows first and reading units later did, in tests).
                st.execute(LOCK_TABLES);
            }
            List<OutboxEvents.Event> events;
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, aggregate_type, aggregate_id, txid::text FROM outbox_event
                     WHERE processed_at IS NULL AND %s AND (retry_at IS NULL OR retry_at <= now())
                     ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED""".formatted(OutboxEvents.SETTLED))) {
                ps.setInt(1, settings.batchSize());
                events = OutboxEvents.read(ps);
            }
            if (events.isEmpty()) {
                c.commit();
                return new Batch(0, 0);
            }
            OutboxEvents.Resolved resolved = OutboxEvents.resolve(c, events);
            DocumentWriter.Outcome outcome = writer.write(c, settings.alias(), true, resolved.versions());

            Set<UUID> failedUnits = outcome.failed().keySet();
            List<Long> done = new ArrayList<>(events.size());
            List<Long> retry = new ArrayList<>();
            for (Map.Entry<Long, Set<UUID>> e : resolved.unitsByEvent().entrySet()) {
                (failedUnits.stream().noneMatch(e.getValue()::contains) ? done : retry).add(e.getKey());
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox_event SET processed_at = now() WHERE id = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("bigint", done.toArray()));
                ps.executeUpdate();
            }
            if (!retry.isEmpty()) {
                // Not dropped: still pending, retried after a backoff of its own while everything else goes on.
                try (PreparedStatement ps = c.prepareStatement("""
                        UPDATE outbox_event SET attempts = attempts + 1,
                               retry_at = now() + make_interval(secs => least(? * power(2, attempts), ?))
                         WHERE id = ANY(?)""")) {
                    ps.setDouble(1, settings.backoffInitial().toMillis() / 1000.0);
                    ps.setDouble(2, settings.backoffMax().toMillis() / 1000.0);
                    ps.setArray(3, c.createArrayOf("bigint", retry.toArray()));
                    ps.executeUpdate();
                }
            }
            c.commit();

            eventsProcessed.addAndGet(done.size());
            documentsIndexed.addAndGet(outcome.indexed());
            documentsDeleted.addAndGet(outcome.deleted());
            versionConflicts.addAndGet(outcome.conflicts());
            if (!outcome.failed().isEmpty()) {
                String refused = outcome.failed().entrySet().stream().limit(3).map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining("; "));
                failed(outcome.failed().size() + " document(s) refused, " + retry.size() + " event(s) will be retried: "
                        + refused, null);
                log.log(System.Logger.Level.WARNING, "Search indexer: {0} document(s) refused, {1} event(s) will be retried: {2}",
                        outcome.failed().size(), retry.size(), refused);
            }
            onCommitted.accept(List.copyOf(done));
            return new Batch(events.size(), outcome.failed().size());
        } catch (Exception e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    /**
     * Processes batches until none is claimable or {@code deadline} passes, on the caller's thread
     * (the consistency repair uses it so that its events are indexed without a running indexer).
     */
    int drain(Connection c, Instant deadline) throws Exception {
        index.ensure(c);
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            int total = 0;
            while (Instant.now().isBefore(deadline)) {
                Batch batch = runBatch(c);
                total += batch.events();
                if (batch.events() == 0) {
                    break;
                }
                if (batch.failedDocuments() > 0) {
                    throw new IllegalStateException(lastError);
                }
            }
            return total;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** The lag now and then, and the outbox pruned now and then. */
    private void maintain(Connection c) throws SQLException {
        measureLag(c);
        long now = System.currentTimeMillis();
        long due = nextPruneAt.get();
        if (now >= due && nextPruneAt.compareAndSet(due, now + settings.pruneInterval().toMillis())) {
            long pruned = prune(c);
            if (pruned > 0) {
                log.log(System.Logger.Level.INFO, "Pruned {0} processed outbox events older than {1}", pruned, settings.retention());
            }
        }
    }

    /**
     * Deletes processed events older than the retention, in chunks, except those a running full
     * reindex still has to replay into its new index.
     */
    long prune(Connection c) throws SQLException {
        long total = 0;
        int deleted;
        do {
            try (PreparedStatement ps = c.prepareStatement("""
                    DELETE FROM outbox_event WHERE id IN (
                        SELECT e.id FROM outbox_event e
                         WHERE e.processed_at < now() - make_interval(secs => ?)
                           AND NOT EXISTS (SELECT 1 FROM search_reindex_run r
                                            WHERE r.status = 'RUNNING' AND e.txid >= r.snapshot_txid)
                         LIMIT ? FOR UPDATE SKIP LOCKED)""")) {
                ps.setDouble(1, settings.retention().toMillis() / 1000.0);
                ps.setInt(2, PRUNE_CHUNK);
                deleted = ps.executeUpdate();
            }
            c.commit();
            total += deleted;
        } while (deleted == PRUNE_CHUNK && stopping.getCount() > 0);
        return total;
    }

    private void measureLag(Connection c) throws SQLException {
        long now = System.currentTimeMillis();
        long due = nextLagAt.get();
        if (now < due || !nextLagAt.compareAndSet(due, now + LAG_EVERY_MILLIS)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT extract(epoch FROM clock_timestamp() - created_at) FROM outbox_event
                 WHERE processed_at IS NULL ORDER BY id LIMIT 1""");
             ResultSet rs = ps.executeQuery()) {
            lag = rs.next() ? Duration.ofMillis(Math.max(0, Math.round(rs.getDouble(1) * 1000))) : Duration.ZERO;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM outbox_event WHERE processed_at IS NULL AND attempts > 0");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            retrying = rs.getLong(1);
        }
        c.commit();
    }

    private void measureLagQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            measureLag(c);
        } catch (SQLException e) {
            rollbackQuietly(c);
        }
    }

    private void failed(String message, Exception e) {
        failures.incrementAndGet();
        lastError = message;
        lastErrorAt = Instant.now();
        if (e != null && !(e instanceof java.io.IOException) && !(e instanceof SQLException)) {
            // Not an outage but a bug or bad data: keep the stack trace.
            log.log(System.Logger.Level.ERROR, "Search indexer batch failed", e);
        }
    }

    private long nextBackoff(long current) {
        long initial = Math.max(1, settings.backoffInitial().toMillis());
        return current == 0 ? initial : Math.min(current * 2, settings.backoffMax().toMillis());
    }

    /** @return true when stopping */
    private boolean sleep(long millis) {
        try {
            return stopping.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the server rolls the transaction back when it goes.
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Nothing to do: the server ends the session.
            }
        }
    }
}
