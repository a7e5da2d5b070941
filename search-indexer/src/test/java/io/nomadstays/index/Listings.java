package io.nomadstays.index;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Test data written straight to PostgreSQL the way the api writes it: every change that search
 * shows records its outbox event in the same transaction.
 */
final class Listings {

    private final DataSource dataSource;

    Listings(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    record Place(String name, String description, String city, String cityLocal, String country, double lat, double lon,
                 String timeZone, List<String> amenities) {

        static Place dali() {
            return new Place("苍山客栈 Cangshan Lodge", "洱海边的数字游民之家", "Dali", "大理", "CN", 25.6065, 100.2676,
                    "Asia/Shanghai", List.of("wifi", "coworking"));
        }

        static Place canggu() {
            return new Place("Canggu Coliving", "Surf and work", "Canggu", null, "ID", -8.6478, 115.1385, "Asia/Makassar",
                    List.of("pool", "wifi"));
        }
    }

    record Stay(String name, String description, String type, String granularity, int minStay, Integer maxStay,
                List<String> amenities, boolean published, String currency, Long hourly, Long nightly, Long daily, Long weekly,
                Long monthly) {

        static Stay room(String name, String currency, Long nightly, Long monthly) {
            return new Stay(name, "A quiet room", "PRIVATE_ROOM", "NIGHT", 7, 180, List.of("desk", "aircon"), true, currency,
                    null, nightly, null, null, monthly);
        }

        Stay draft() {
            return new Stay(name, description, type, granularity, minStay, maxStay, amenities, false, currency, hourly, nightly,
                    daily, weekly, monthly);
        }

        Stay monthly(int minMonths, Integer maxMonths) {
            return new Stay(name, description, "PRIVATE_OFFICE", "MONTH", minMonths, maxMonths, amenities, published, currency,
                    hourly, null, null, null, monthly);
        }

        Stay hourly(long rate) {
            return new Stay(name, description, "MEETING_ROOM", "HOUR", 2, 8, amenities, published, currency, rate, null, null,
                    null, null);
        }
    }

    UUID operator(String slug) throws SQLException {
        UUID id = UUID.randomUUID();
        update("INSERT INTO operator (id, slug, name, default_currency) VALUES (?, ?, ?, 'USD')", id, slug, "Operator " + slug);
        return id;
    }

    /** The operator's Stripe account, as a webhook would have stored it. */
    void payoutAccount(UUID operator, boolean chargesEnabled) throws SQLException {
        update("INSERT INTO payout_account (operator_id, stripe_account_id, charges_enabled) VALUES (?, ?, ?)",
                operator, "acct_" + operator.toString().replace("-", ""), chargesEnabled);
    }

    UUID property(UUID operator, Place p) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO property (id, operator_id, name, description, address_line, city, city_local, country_code,
                                           latitude, longitude, time_zone, amenities, house_rules)
                     VALUES (?, ?, ?, ?, '1 Main Street', ?, ?, ?, ?, ?, ?, ?, 'No parties')""")) {
            ps.setObject(1, id);
            ps.setObject(2, operator);
            ps.setString(3, p.name());
            ps.setString(4, p.description());
            ps.setString(5, p.city());
            ps.setString(6, p.cityLocal());
            ps.setString(7, p.country());
            ps.setDouble(8, p.lat());
            ps.setDouble(9, p.lon());
            ps.setString(10, p.timeZone());
            ps.setArray(11, c.createArrayOf("text", p.amenities().toArray()));
            ps.executeUpdate();
        }
        return id;
    }

    UUID unit(UUID operator, UUID property, Stay s) throws SQLException {
        return units(operator, property, List.of(s)).get(0);
    }

    /** Units with their price lists; a UnitPublished event for each published one. One transaction. */
    List<UUID> units(UUID operator, UUID property, List<Stay> stays) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement unit = c.prepareStatement("""
                         INSERT INTO unit (id, operator_id, property_id, name, description, type, capacity, max_guests, size_m2,
                                           booking_granularity, min_stay, max_stay, amenities, status, published_at)
                         VALUES (?, ?, ?, ?, ?, ?, 1, 2, 18.5, ?, ?, ?, ?, ?, CASE WHEN ? THEN now() END)""");
                 PreparedStatement pricing = c.prepareStatement("""
                         INSERT INTO unit_pricing (unit_id, operator_id, currency, hourly_rate, nightly_rate, daily_rate,
                                                   weekly_rate, monthly_rate, deposit)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)""");
                 PreparedStatement event = c.prepareStatement("""
                         INSERT INTO outbox_event (operator_id, aggregate_type, aggregate_id, event_type)
                         VALUES (?, 'unit', ?, 'UnitPublished')""")) {
                for (Stay s : stays) {
                    UUID id = UUID.randomUUID();
                    ids.add(id);
                    unit.setObject(1, id);
                    unit.setObject(2, operator);
                    unit.setObject(3, property);
                    unit.setString(4, s.name());
                    unit.setString(5, s.description());
                    unit.setString(6, s.type());
                    unit.setString(7, s.granularity());
                    unit.setInt(8, s.minStay());
                    unit.setObject(9, s.maxStay());
                    unit.setArray(10, c.createArrayOf("text", s.amenities().toArray()));
                    unit.setString(11, s.published() ? "PUBLISHED" : "DRAFT");
                    unit.setBoolean(12, s.published());
                    unit.addBatch();
                    pricing.setObject(1, id);
                    pricing.setObject(2, operator);
                    pricing.setString(3, s.currency());
                    pricing.setObject(4, s.hourly());
                    pricing.setObject(5, s.nightly());
                    pricing.setObject(6, s.daily());
                    pricing.setObject(7, s.weekly());
                    pricing.setObject(8, s.monthly());
                    pricing.addBatch();
                    if (s.published()) {
                        event.setObject(1, operator);
                        event.setObject(2, id);
                        event.addBatch();
                    }
                }
                unit.executeBatch();
                pricing.executeBatch();
                event.executeBatch();
            }
            c.commit();
        }
        return ids;
    }

    /** The operator changes a unit's prices (UnitPriced). */
    void price(UUID unit, String currency, Long nightly, Long monthly) throws SQLException {
        change(unit, "unit", "UnitPriced",
                "UPDATE unit_pricing SET currency = ?, nightly_rate = ?, monthly_rate = ?, updated_at = now() WHERE unit_id = ?",
                currency, nightly, monthly, unit);
    }

    void unpublish(UUID unit) throws SQLException {
        change(unit, "unit", "UnitUnpublished",
                "UPDATE unit SET status = 'DRAFT', updated_at = now(), version = version + 1 WHERE id = ?", unit);
    }

    void publish(UUID unit) throws SQLException {
        change(unit, "unit", "UnitPublished",
                "UPDATE unit SET status = 'PUBLISHED', published_at = now(), updated_at = now(), version = version + 1 WHERE id = ?",
                unit);
    }

    void renameProperty(UUID property, String name) throws SQLException {
        change(property, "property", "PropertyUpdated", "UPDATE property SET name = ?, updated_at = now() WHERE id = ?", name, property);
    }

    void speedTest(UUID property, double down, double up, String source, Instant at) throws SQLException {
        change(property, "property", "SpeedTestRecorded", """
                INSERT INTO speed_test (id, operator_id, property_id, download_mbps, upload_mbps, latency_ms, measured_at, source)
                SELECT ?, operator_id, id, ?, ?, 12, ?, ? FROM property WHERE id = ?""",
                UUID.randomUUID(), down, up, Timestamp.from(at), source, property);
    }

    /** A change and its outbox event in one transaction, as the api's controllers do. */
    private void change(UUID aggregate, String type, String event, String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO outbox_event (operator_id, aggregate_type, aggregate_id, event_type)
                    SELECT operator_id, ?, id, ? FROM %s WHERE id = ?""".formatted(type.equals("unit") ? "unit" : "property"))) {
                ps.setString(1, type);
                ps.setString(2, event);
                ps.setObject(3, aggregate);
                ps.executeUpdate();
            }
            c.commit();
        }
    }

    private void update(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }
}
