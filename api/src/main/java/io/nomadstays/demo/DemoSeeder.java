package io.nomadstays.demo;

import io.nomadstays.demo.DemoCatalog.OperatorSeed;
import io.nomadstays.demo.DemoCatalog.PropertySeed;
import io.nomadstays.demo.DemoCatalog.Rates;
import io.nomadstays.demo.DemoCatalog.UnitSeed;
import io.nomadstays.demo.ListingWriter.Source;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Writes the hand-written demo data of {@link DemoCatalog}: two nomads and a platform admin, the nine
 * operators with an owner, a manager and a viewer each, their properties, units, prices and speed
 * tests, and an outbox event per published unit.
 *
 * <p>Idempotent: each operator is written in its own transaction, which starts by inserting the
 * operator row with {@code ON CONFLICT (slug) DO NOTHING}; an operator that is already there
 * (or being written by a concurrent seeder, whose commit the insert waits for) is skipped whole.
 */
public final class DemoSeeder {

    public record Report(int operatorsCreated, int operatorsSkipped, int properties, int units, int publishedUnits) {
    }

    private record User(String username, String displayName, boolean platformAdmin) {
        String subject() {
            return "demo:" + username;
        }
    }

    private static final User NINA = new User("nina", "Nina Nomad", false);
    /** A second nomad, so that guest speed tests come from two different people. */
    private static final User LEO = new User("leo", "Leo Laptop", false);
    private static final User ADMIN = new User("admin", "Ada Admin", true);

    private final JdbcTarget target;

    public DemoSeeder(JdbcTarget target) {
        this.target = target;
    }

    public Report seed() throws SQLException {
        Instant now = Instant.now();
        int created = 0;
        int skipped = 0;
        int properties = 0;
        int units = 0;
        int published = 0;
        try (Connection connection = target.connect()) {
            connection.setAutoCommit(false);
            try {
                Map<String, Integer> minorUnits = ListingWriter.currencyMinorUnits(connection);
                UUID nina = ensureUser(connection, NINA);
                UUID leo = ensureUser(connection, LEO);
                ensureUser(connection, ADMIN);
                connection.commit();

                for (OperatorSeed operator : DemoCatalog.operators()) {
                    UUID operatorId = DemoIds.named("operator:" + operator.slug());
                    if (!insertOperator(connection, operatorId, operator)) {
                        connection.rollback();
                        skipped++;
                        continue;
                    }
                    UUID owner = addStaff(connection, operatorId, operator, "owner", "OWNER");
                    addStaff(connection, operatorId, operator, "manager", "MANAGER");
                    addStaff(connection, operatorId, operator, "viewer", "VIEWER");
                    ListingWriter writer = new ListingWriter(connection, now);
                    for (PropertySeed property : operator.properties()) {
                        addProperty(writer, operatorId, operator, property, minorUnits, now, owner, nina, leo);
                    }
                    writer.flush();
                    bookingRules(connection, operatorId, operator.slug());
                    units += writer.units();
                    published += writer.publishedUnits();
                    connection.commit();
                    created++;
                    properties += operator.properties().size();
                }
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        return new Report(created, skipped, properties, units, published);
    }

    /**
     * How the demo operators take bookings, as PRODUCT.md describes them: the youth community asks
     * applicants questions and approves them (request-to-book), long-stay operators cancel under the
     * long-stay policy, the hostel is flexible and keeps a day between private-room stays.
     */
    private static void bookingRules(Connection connection, UUID operatorId, String slug) throws SQLException {
        String sql = switch (slug) {
            case "coyoung" -> "UPDATE unit SET booking_mode = 'REQUEST', cancellation_policy = 'STRICT', booking_questions = "
                    + "ARRAY['What brings you to the community (purpose of your stay)?', 'What do you do (occupation or studies)?'] "
                    + "WHERE operator_id = ?";
            case "fangyu", "hearth-living", "casa-common" -> "UPDATE unit SET cancellation_policy = 'LONG_STAY' WHERE operator_id = ?";
            case "canggu-surf-work" -> "UPDATE unit SET cancellation_policy = 'FLEXIBLE', "
                    + "preparation_days = CASE WHEN type = 'PRIVATE_ROOM' THEN 1 ELSE 0 END WHERE operator_id = ?";
            default -> null;
        };
        if (sql == null) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setObject(1, operatorId);
            update.executeUpdate();
        }
    }

    private static void addProperty(ListingWriter writer, UUID operatorId, OperatorSeed operator, PropertySeed seed,
                                    Map<String, Integer> minorUnits, Instant now, UUID owner, UUID nina, UUID leo)
            throws SQLException {
        String key = operator.slug() + "/" + seed.key();
        City city = City.named(seed.city());
        UUID propertyId = DemoIds.named("property:" + key);
        writer.add(new ListingWriter.Property(propertyId, operatorId, seed.name(), seed.description(), seed.address(),
                city, seed.postalCode(), city.centre().offsetKm(seed.northKm(), seed.eastKm()), seed.amenities(),
                seed.houseRules()));

        String currency = seed.currency() != null ? seed.currency() : city.currency();
        int minor = minorUnits.get(currency);
        for (UnitSeed unit : seed.units()) {
            writer.add(new ListingWriter.Unit(DemoIds.named("unit:" + key + "/" + unit.key()), operatorId, propertyId,
                    unit.name(), unit.description(), unit.type(), unit.capacity(), unit.maxGuests(), unit.sizeM2(),
                    unit.furnished(), unit.granularity(), unit.minStay(), unit.maxStay(), unit.amenities(),
                    !unit.draft(), pricing(unit.rates(), currency, minor)));
        }

        // Recent tests from everyone who measures: the operator, two guests and, for some, a probe.
        // Ratios make guests a little slower than the operator claims, as they usually are.
        double down = seed.internet().downloadMbps();
        double up = seed.internet().uploadMbps();
        double latency = down < 50 ? 45 : 12;
        int n = 0;
        writer.add(speedTest(key, n++, operatorId, propertyId, down * 1.05, up, latency, now.minus(Duration.ofDays(2)),
                Source.OPERATOR, owner));
        writer.add(speedTest(key, n++, operatorId, propertyId, down * 1.10, up * 1.1, latency, now.minus(Duration.ofDays(75)),
                Source.OPERATOR, owner));
        writer.add(speedTest(key, n++, operatorId, propertyId, down * 0.92, up * 0.9, latency * 1.3,
                now.minus(Duration.ofDays(12)), Source.GUEST, nina));
        writer.add(speedTest(key, n++, operatorId, propertyId, down * 0.85, up * 0.8, latency * 1.6,
                now.minus(Duration.ofDays(41)), Source.GUEST, leo));
        if (seed.internet().probe()) {
            writer.add(speedTest(key, n, operatorId, propertyId, down * 0.97, up * 0.95, latency,
                    now.minus(Duration.ofDays(5)), Source.PROBE, null));
        }
    }

    private static ListingWriter.SpeedTest speedTest(String propertyKey, int n, UUID operatorId, UUID propertyId,
                                                     double down, double up, double latency, Instant at,
                                                     Source source, UUID reportedBy) {
        return new ListingWriter.SpeedTest(DemoIds.named("speed-test:" + propertyKey + "/" + n), operatorId,
                propertyId, null, down, up, latency, at, source, reportedBy);
    }

    private static ListingWriter.Pricing pricing(Rates rates, String currency, int minorUnits) {
        return new ListingWriter.Pricing(currency, minor(rates.hourly(), minorUnits), minor(rates.nightly(), minorUnits),
                minor(rates.daily(), minorUnits), minor(rates.weekly(), minorUnits), minor(rates.monthly(), minorUnits),
                minor(rates.cleaningFee(), minorUnits), minor(rates.deposit(), minorUnits), rates.discounts());
    }

    private static Long minor(Long major, int minorUnits) {
        return major == null ? null : PriceBook.toMinor(BigDecimal.valueOf(major), minorUnits);
    }

    private static boolean insertOperator(Connection connection, UUID id, OperatorSeed operator) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO operator (id, slug, name, default_currency, commission_bps) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (slug) DO NOTHING""")) {
            insert.setObject(1, id);
            insert.setString(2, operator.slug());
            insert.setString(3, operator.name());
            insert.setString(4, operator.currency());
            insert.setInt(5, operator.commissionBps());
            return insert.executeUpdate() == 1;
        }
    }

    /** Adds {@code demo:<slug>-<suffix>} as staff with the role; returns the user's id. */
    private static UUID addStaff(Connection connection, UUID operatorId, OperatorSeed operator, String suffix,
                                 String role) throws SQLException {
        String displayName = operator.name() + " " + Character.toUpperCase(suffix.charAt(0)) + suffix.substring(1);
        UUID userId = ensureUser(connection, new User(operator.slug() + "-" + suffix, displayName, false));
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO staff_membership (operator_id, user_id, role) VALUES (?, ?, ?)
                ON CONFLICT (operator_id, user_id) DO NOTHING""")) {
            insert.setObject(1, operatorId);
            insert.setObject(2, userId);
            insert.setString(3, role);
            insert.executeUpdate();
        }
        return userId;
    }

    /** Inserts the user unless its subject exists; returns the id either way (it may predate the demo ids). */
    private static UUID ensureUser(Connection connection, User user) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO app_user (id, subject, display_name, email, platform_admin) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (subject) DO NOTHING""")) {
            insert.setObject(1, DemoIds.named("user:" + user.subject()));
            insert.setString(2, user.subject());
            insert.setString(3, user.displayName());
            insert.setString(4, user.username() + "@example.com");
            insert.setBoolean(5, user.platformAdmin());
            insert.executeUpdate();
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM app_user WHERE subject = ?")) {
            select.setString(1, user.subject());
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        }
    }
}
