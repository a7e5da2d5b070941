package io.nomadstays.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.infra.LocalServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;

/**
 * The PostgreSQL database of the demo integration tests, {@code nomad_test_demo}, migrated once per JVM.
 * A run given its own database with {@code -Dnomad.test.database=NAME} (several worktrees sharing one
 * PostgreSQL, each with its own migrations) uses {@code NAME_demo} instead.
 *
 * <p>By default the project's PostgreSQL, started by {@link LocalServices}. The system property
 * {@code nomad.test.jdbc-url} (e.g. {@code jdbc:postgresql://127.0.0.1:55499/nomad_test_demo},
 * with {@code nomad.test.jdbc-user} and {@code nomad.test.jdbc-password}) points the tests at
 * another server instead. These tests need no Spring context, so they do not extend the api's
 * {@code IntegrationTest} base class.
 */
final class DemoTestDatabase {

    /** nomad_test_demo, or {@code <nomad.test.database>_demo} when the api tests use another database (another worktree). */
    static final String DATABASE = System.getProperty("nomad.test.database") == null ? "nomad_test_demo"
            : System.getProperty("nomad.test.database") + "_demo";

    private static JdbcTarget migrated;

    private DemoTestDatabase() {
    }

    static synchronized JdbcTarget migrated() throws SQLException {
        if (migrated == null) {
            String url = System.getProperty("nomad.test.jdbc-url");
            JdbcTarget target;
            if (url == null || url.isBlank()) {
                LocalServices.Endpoints services = LocalServices.ensureStarted();
                LocalServices.createDatabaseIfMissing(services, DATABASE);
                target = new JdbcTarget(services.jdbcUrl(DATABASE), services.pgUser(), services.pgPassword());
            } else {
                target = new JdbcTarget(url, System.getProperty("nomad.test.jdbc-user"),
                        System.getProperty("nomad.test.jdbc-password"));
            }
            // The tests truncate every table: refuse any database but our own.
            assertThat(queryString(target, "SELECT current_database()")).isEqualTo(DATABASE);
            Flyway.configure().dataSource(target.dataSource()).locations("classpath:db/migration").load().migrate();
            migrated = target;
        }
        return migrated;
    }

    /** Empties every table the demo jobs write (not the currency table, which the migration fills). */
    static void clean(JdbcTarget target) throws SQLException {
        try (Connection connection = target.connect(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    TRUNCATE outbox_event, speed_test, unit_long_stay_discount, unit_pricing, unit, property,
                             staff_membership, operator, app_user RESTART IDENTITY CASCADE""");
        }
    }

    static long count(JdbcTarget target, String sql, Object... parameters) throws SQLException {
        return Long.parseLong(queryString(target, sql, parameters));
    }

    static String queryString(JdbcTarget target, String sql, Object... parameters) throws SQLException {
        try (Connection connection = target.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).as("a row from %s", sql).isTrue();
                return rs.getString(1);
            }
        }
    }
}
