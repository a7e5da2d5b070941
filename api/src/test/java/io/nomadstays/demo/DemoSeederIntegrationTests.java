package io.nomadstays.demo;

import static io.nomadstays.demo.DemoTestDatabase.count;
import static io.nomadstays.demo.DemoTestDatabase.queryString;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DemoSeederIntegrationTests {

    private static final List<String> TABLES = List.of("app_user", "operator", "staff_membership", "property", "unit",
            "unit_pricing", "unit_long_stay_discount", "speed_test", "outbox_event");

    private JdbcTarget db;

    @BeforeEach
    void cleanDatabase() throws SQLException {
        db = DemoTestDatabase.migrated();
        DemoTestDatabase.clean(db);
    }

    @Test
    void seedingTwiceChangesNothing() throws SQLException {
        DemoSeeder.Report first = new DemoSeeder(db).seed();
        Map<String, Long> counts = rowCounts();

        DemoSeeder.Report second = new DemoSeeder(db).seed();

        assertThat(first.operatorsCreated()).isEqualTo(9);
        assertThat(second.operatorsCreated()).isZero();
        assertThat(second.operatorsSkipped()).isEqualTo(9);
        assertThat(rowCounts()).isEqualTo(counts);
        assertThat(counts.get("unit")).isEqualTo(first.units());
    }

    @Test
    void nineOperatorsEachWithOwnerManagerAndViewer() throws SQLException {
        new DemoSeeder(db).seed();

        assertThat(count(db, "SELECT count(*) FROM operator")).isEqualTo(9);
        assertThat(count(db, """
                SELECT count(*) FROM operator o
                WHERE (SELECT count(DISTINCT role) FROM staff_membership s WHERE s.operator_id = o.id) = 3""")).isEqualTo(9);
        assertThat(queryString(db, """
                SELECT u.subject FROM staff_membership s JOIN app_user u ON u.id = s.user_id
                JOIN operator o ON o.id = s.operator_id WHERE o.slug = 'canggu-surf-work' AND s.role = 'VIEWER'"""))
                .isEqualTo("demo:canggu-surf-work-viewer");
        assertThat(queryString(db, "SELECT display_name FROM app_user WHERE subject = 'demo:nina'")).isEqualTo("Nina Nomad");
        assertThat(queryString(db, "SELECT platform_admin FROM app_user WHERE subject = 'demo:admin'")).isEqualTo("t");
    }

    @Test
    void theYouthCommunityTakesRequestsWithQuestionsAndLongStayOperatorsTheirPolicy() throws SQLException {
        new DemoSeeder(db).seed();

        assertThat(count(db, """
                SELECT count(*) FROM unit u JOIN operator o ON o.id = u.operator_id
                WHERE o.slug = 'coyoung' AND (u.booking_mode <> 'REQUEST' OR cardinality(u.booking_questions) <> 2)""")).isZero();
        assertThat(count(db, "SELECT count(*) FROM unit u JOIN operator o ON o.id = u.operator_id WHERE o.slug = 'coyoung'")).isGreaterThan(0);
        assertThat(count(db, """
                SELECT count(*) FROM unit u JOIN operator o ON o.id = u.operator_id
                WHERE o.slug = 'hearth-living' AND u.cancellation_policy <> 'LONG_STAY'""")).isZero();
        assertThat(count(db, "SELECT count(*) FROM unit WHERE booking_mode = 'REQUEST'"))
                .isEqualTo(count(db, "SELECT count(*) FROM unit u JOIN operator o ON o.id = u.operator_id WHERE o.slug = 'coyoung'"));
    }

    @Test
    void chineseNamesRoundTrip() throws SQLException {
        new DemoSeeder(db).seed();

        assertThat(queryString(db, "SELECT name FROM property WHERE name LIKE ?", "%大理%")).isEqualTo("方寓 大理古城店");
        assertThat(queryString(db, "SELECT city_local FROM property WHERE name = ?", "方寓 大理古城店")).isEqualTo("大理");
        assertThat(count(db, "SELECT count(*) FROM property WHERE description LIKE ?", "%北京%")).isGreaterThan(0);
    }

    @Test
    void everyPublishedUnitHasPricingAndAnOutboxEvent() throws SQLException {
        new DemoSeeder(db).seed();

        long published = count(db, "SELECT count(*) FROM unit WHERE status = 'PUBLISHED'");
        assertThat(published).isGreaterThan(50);
        assertThat(count(db, "SELECT count(*) FROM unit WHERE status = 'DRAFT'")).isGreaterThan(0);
        assertThat(count(db, """
                SELECT count(*) FROM unit u WHERE u.status = 'PUBLISHED'
                AND (u.published_at IS NULL OR NOT EXISTS (SELECT 1 FROM unit_pricing p WHERE p.unit_id = u.id))""")).isZero();
        assertThat(count(db, """
                SELECT count(*) FROM outbox_event e JOIN unit u ON u.id = e.aggregate_id
                WHERE e.aggregate_type = 'unit' AND e.event_type = 'UnitPublished' AND u.status = 'PUBLISHED'"""))
                .isEqualTo(published);
        assertThat(count(db, "SELECT count(*) FROM outbox_event")).isEqualTo(published);
    }

    @Test
    void pricesAreInMinorUnitsOfTheUnitsCurrency() throws SQLException {
        new DemoSeeder(db).seed();

        // 300 USD a month for a bed in the Canggu dorm; IDR has two minor units in ISO 4217.
        assertThat(queryString(db, """
                SELECT p.currency || ' ' || p.monthly_rate FROM unit_pricing p JOIN unit u ON u.id = p.unit_id
                WHERE u.name = '8-bed mixed dorm, pool side'""")).isEqualTo("USD 30000");
        assertThat(queryString(db, """
                SELECT p.currency || ' ' || p.nightly_rate FROM unit_pricing p JOIN unit u ON u.id = p.unit_id
                WHERE u.name = '6-bed dorm'""")).isEqualTo("IDR 25000000");
        assertThat(queryString(db, """
                SELECT u.capacity || ' ' || u.booking_granularity FROM unit u JOIN property p ON p.id = u.property_id
                WHERE u.type = 'HOT_DESK' AND p.name LIKE 'Canggu Surf%'""")).isEqualTo("30 DAY");
        assertThat(count(db, "SELECT count(*) FROM unit WHERE type = 'MEETING_ROOM' AND booking_granularity <> 'HOUR'"))
                .isZero();
        assertThat(count(db, "SELECT count(*) FROM unit_pricing WHERE currency = 'CNY'")).isGreaterThan(10);
        assertThat(count(db, "SELECT count(*) FROM unit_long_stay_discount")).isGreaterThan(0);
    }

    @Test
    void coversTheRequiredCitiesAndRecentSpeedTestsFromEverySource() throws SQLException {
        new DemoSeeder(db).seed();

        for (String city : List.of("Canggu", "New York", "Los Angeles", "Beijing", "Shanghai", "Dali", "Lisbon",
                "Chiang Mai", "Mexico City", "Berlin")) {
            assertThat(count(db, "SELECT count(*) FROM property WHERE city = ?", city)).as(city).isGreaterThan(0);
        }
        assertThat(count(db, "SELECT count(DISTINCT source) FROM speed_test")).isEqualTo(3);
        assertThat(count(db, "SELECT count(DISTINCT reported_by) FROM speed_test WHERE source = 'GUEST'")).isEqualTo(2);
        assertThat(count(db, "SELECT count(*) FROM speed_test WHERE measured_at < now() - interval '90 days'")).isZero();
        assertThat(count(db, "SELECT count(*) FROM speed_test WHERE download_mbps >= 50")).isGreaterThan(0);
        assertThat(count(db, "SELECT count(*) FROM speed_test WHERE download_mbps < 50")).isGreaterThan(0);
    }

    private Map<String, Long> rowCounts() throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, count(db, "SELECT count(*) FROM " + table));
        }
        return counts;
    }
}
