package io.nomadstays.demo;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import me.tongfei.progressbar.ProgressBar;

/**
 * Adds synthetic published units, with their properties, prices, speed tests and outbox events,
 * spread over the 68 cities of {@code demo/nomad-cities.csv} and owned by the operators
 * {@code synthetic-1} .. {@code synthetic-K} (created if missing).
 *
 * <p>Rows are written with COPY ({@link ListingWriter}), about 5,000 units a second here, so
 * 100,000 take some 20 seconds on this shared 2-core machine; PostgreSQL's foreign-key checks are
 * most of that.
 *
 * <p>Units are numbered 0..N-1 and each has a fixed id ({@link SyntheticListings}). The run is cut
 * into batches of consecutive numbers, each written and committed in its own transaction, and a
 * batch first asks which of its units already exist. So a run that crashed resumes where it
 * stopped, {@code generate(1000)} after {@code generate(500)} adds units 500..999, and nothing is
 * written twice, outbox events included. A session advisory lock keeps two generators from
 * racing on the same database.
 */
public final class UnitGenerator {

    /**
     * @param seed          decides the content of unit number i (not its id); keep it across runs
     * @param batchSize     units per transaction
     * @param operatorCount synthetic operators that own the units
     * @param showProgress  draw a progress bar on the console
     */
    public record Settings(long seed, int batchSize, int operatorCount, boolean showProgress) {
        public Settings {
            if (batchSize < 1 || batchSize > 50_000) {
                throw new IllegalArgumentException("batchSize must be 1..50000: " + batchSize);
            }
            if (operatorCount < 1 || operatorCount > 1000) {
                throw new IllegalArgumentException("operatorCount must be 1..1000: " + operatorCount);
            }
        }

        public static Settings defaults() {
            return new Settings(42, 2_000, 20, true);
        }

        public Settings withBatchSize(int batchSize) {
            return new Settings(seed, batchSize, operatorCount, showProgress);
        }

        public Settings withProgress(boolean showProgress) {
            return new Settings(seed, batchSize, operatorCount, showProgress);
        }
    }

    /** Called after each batch has been committed; an exception thrown here stops the run. */
    @FunctionalInterface
    public interface BatchListener {
        void batchCommitted(int batchNumber, int unitsInserted);
    }

    public record Report(int requestedUnits, int insertedUnits, int alreadyPresent, Duration elapsed) {
        public double insertedPerSecond() {
            double seconds = elapsed.toNanos() / 1e9;
            return seconds > 0 ? insertedUnits / seconds : 0;
        }
    }

    private static final long ADVISORY_LOCK_KEY = 0x4E6F6D6164_47656EL; // "Nomad", "Gen"

    private static final String[] OPERATOR_NAMES = {
            "Atlas Coliving Group", "Driftwood Stays", "Harborlight Living", "Monsoon Workspaces", "Cedar & Co. Homes",
            "Lantern Hostels", "Basecamp Nomad Houses", "Saffron Suites", "Tidewater Coliving", "Summit Desk Network",
            "Juniper Residences", "Canopy Collective", "Orchard Street Living", "Mosaic Coworking", "Compass Hostels",
            "Willow Studios", "Ember Live & Work", "Terrace Apartments", "Lighthouse Coliving", "Palm Grove Stays"};

    private final JdbcTarget target;
    private final Settings settings;
    private final PriceBook prices = PriceBook.load();

    public UnitGenerator(JdbcTarget target, Settings settings) {
        this.target = target;
        this.settings = settings;
    }

    public Report generate(int units) throws SQLException {
        return generate(units, (batch, inserted) -> { });
    }

    public Report generate(int units, BatchListener listener) throws SQLException {
        if (units < 0) {
            throw new IllegalArgumentException("units must be >= 0: " + units);
        }
        long started = System.nanoTime();
        Instant now = Instant.now();
        int inserted = 0;
        try (Connection connection = target.connect()) {
            lock(connection);
            connection.setAutoCommit(false);
            try {
                List<UUID> operators = ensureOperators(connection);
                Map<String, Integer> minorUnits = ListingWriter.currencyMinorUnits(connection);
                connection.commit();
                SyntheticListings listings = new SyntheticListings(settings.seed(), prices, minorUnits, operators, now);

                int batches = (units + settings.batchSize() - 1) / settings.batchSize();
                // A null resource is allowed in try-with-resources and simply not closed.
                ListingWriter writer = new ListingWriter(connection, now);
                try (ProgressBar bar = settings.showProgress() ? progressBar(units) : null) {
                    for (int batch = 0; batch < batches; batch++) {
                        int from = batch * settings.batchSize();
                        int to = Math.min(from + settings.batchSize(), units);
                        int written = writeBatch(connection, writer, listings, from, to);
                        connection.commit();
                        inserted += written;
                        if (bar != null) {
                            bar.stepBy(to - from);
                            bar.setExtraMessage(" new " + inserted);
                        }
                        listener.batchCommitted(batch, written);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        return new Report(units, inserted, units - inserted, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Writes the units numbered from..to-1 that do not exist yet; returns how many it wrote. */
    private static int writeBatch(Connection connection, ListingWriter writer, SyntheticListings listings,
                                  int from, int to) throws SQLException {
        List<UUID> unitIds = new ArrayList<>(to - from);
        for (long i = from; i < to; i++) {
            unitIds.add(SyntheticListings.unitId(i));
        }
        Set<UUID> existingUnits = existing(connection, "unit", unitIds);
        if (existingUnits.size() == unitIds.size()) {
            return 0;
        }
        // A property may already exist when an earlier run ended inside its five units.
        Set<Long> propertyIndexes = new LinkedHashSet<>();
        for (long i = from; i < to; i++) {
            propertyIndexes.add(SyntheticListings.propertyIndexOf(i));
        }
        List<UUID> propertyIds = propertyIndexes.stream().map(SyntheticListings::propertyId).toList();
        Set<UUID> existingProperties = existing(connection, "property", propertyIds);
        for (long p : propertyIndexes) {
            if (!existingProperties.contains(SyntheticListings.propertyId(p))) {
                writer.add(listings.property(p));
                for (ListingWriter.SpeedTest test : listings.speedTests(p)) {
                    writer.add(test);
                }
            }
        }
        int written = 0;
        for (long i = from; i < to; i++) {
            if (!existingUnits.contains(unitIds.get((int) (i - from)))) {
                writer.add(listings.unit(i));
                written++;
            }
        }
        writer.flush();
        return written;
    }

    /** Which of the ids are in the table; the table name is one of ours, never input. */
    private static Set<UUID> existing(Connection connection, String table, List<UUID> ids) throws SQLException {
        Set<UUID> found = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM " + table + " WHERE id = ANY (?)")) {
            Array array = connection.createArrayOf("uuid", ids.toArray());
            select.setArray(1, array);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return found;
    }

    /** Creates {@code synthetic-1..K} if missing and returns their ids in order. */
    private List<UUID> ensureOperators(Connection connection) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO operator (id, slug, name, default_currency) VALUES (?, ?, ?, 'USD')
                     ON CONFLICT (slug) DO NOTHING""");
             PreparedStatement select = connection.prepareStatement("SELECT id FROM operator WHERE slug = ?")) {
            for (int n = 1; n <= settings.operatorCount(); n++) {
                String slug = "synthetic-" + n;
                String name = n <= OPERATOR_NAMES.length ? OPERATOR_NAMES[n - 1] : "Synthetic Operator " + n;
                insert.setObject(1, DemoIds.named("operator:" + slug));
                insert.setString(2, slug);
                insert.setString(3, name);
                insert.executeUpdate();
                select.setString(1, slug);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

    private static void lock(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            select.setLong(1, ADVISORY_LOCK_KEY);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new IllegalStateException("Another unit generator is writing to this database; "
                            + "run again when it has finished");
                }
            }
        }
        // Released when the connection closes.
    }

    private static ProgressBar progressBar(int units) {
        return ProgressBar.builder()
                .setTaskName("Synthetic units")
                .setInitialMax(units)
                .setUnit(" units", 1)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setUpdateIntervalMillis(500)
                .build();
    }
}
