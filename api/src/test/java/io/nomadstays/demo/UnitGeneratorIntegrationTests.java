package io.nomadstays.demo;

import static io.nomadstays.demo.DemoTestDatabase.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UnitGeneratorIntegrationTests {

    private static final String SYNTHETIC_UNITS = """
            SELECT count(*) FROM unit u JOIN operator o ON o.id = u.operator_id WHERE o.slug LIKE 'synthetic-%'""";

    private JdbcTarget db;

    @BeforeEach
    void cleanDatabase() throws SQLException {
        db = DemoTestDatabase.migrated();
        DemoTestDatabase.clean(db);
    }

    private UnitGenerator generator(int batchSize) {
        return new UnitGenerator(db, UnitGenerator.Settings.defaults().withBatchSize(batchSize).withProgress(false));
    }

    @Test
    void aLargerSecondRunAddsOnlyTheMissingUnits() throws SQLException {
        UnitGenerator.Report first = generator(1000).generate(2000);
        UnitGenerator.Report second = generator(1000).generate(3000);

        assertThat(first.insertedUnits()).isEqualTo(2000);
        assertThat(second.insertedUnits()).isEqualTo(1000);
        assertThat(second.alreadyPresent()).isEqualTo(2000);
        assertThat(count(db, SYNTHETIC_UNITS)).isEqualTo(3000);
        assertThat(count(db, "SELECT count(*) FROM unit WHERE status = 'PUBLISHED' AND published_at IS NOT NULL"))
                .isEqualTo(3000);
        assertThat(count(db, "SELECT count(DISTINCT city) FROM property")).isGreaterThanOrEqualTo(50);
        assertThat(count(db, "SELECT count(*) FROM operator WHERE slug LIKE 'synthetic-%'")).isEqualTo(20);
        assertNoDuplicatesAndEveryUnitComplete(3000);
    }

    @Test
    void anInterruptedRunResumesWithoutDuplicates() throws SQLException {
        UnitGenerator.BatchListener crashAfterBatchTwo = (batch, inserted) -> {
            if (batch == 2) {
                throw new IllegalStateException("simulated crash after batch 2");
            }
        };
        assertThatThrownBy(() -> generator(500).generate(3000, crashAfterBatchTwo))
                .hasMessageContaining("simulated crash");
        assertThat(count(db, SYNTHETIC_UNITS)).isEqualTo(1500);

        UnitGenerator.Report resumed = generator(500).generate(3000);

        assertThat(resumed.insertedUnits()).isEqualTo(1500);
        assertThat(count(db, SYNTHETIC_UNITS)).isEqualTo(3000);
        assertNoDuplicatesAndEveryUnitComplete(3000);
    }

    @Test
    void aRunEndingInsideAPropertyIsCompletedByTheNextOne() throws SQLException {
        // 502 units end two units into property 100; the next run, with another batch size, adds its other three.
        generator(500).generate(502);
        generator(300).generate(1000);

        assertThat(count(db, SYNTHETIC_UNITS)).isEqualTo(1000);
        assertThat(count(db, "SELECT count(*) FROM property")).isEqualTo(1000 / SyntheticListings.UNITS_PER_PROPERTY);
        assertThat(count(db, """
                SELECT count(*) FROM property p
                WHERE (SELECT count(*) FROM unit u WHERE u.property_id = p.id) <> 5""")).isZero();
        assertNoDuplicatesAndEveryUnitComplete(1000);
    }

    @Test
    void propertiesLieWithinTenKilometresOfTheirCityCentre() throws SQLException {
        generator(2000).generate(2000);

        int properties = 0;
        try (Connection connection = db.connect();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT city, time_zone, latitude, longitude FROM property")) {
            while (rs.next()) {
                City city = City.named(rs.getString(1));
                assertThat(rs.getString(2)).isEqualTo(city.timeZone());
                GeoPoint location = new GeoPoint(rs.getDouble(3), rs.getDouble(4));
                assertThat(city.centre().distanceKm(location)).as("%s at %s", city.name(), location)
                        .isLessThanOrEqualTo(SyntheticListings.RADIUS_KM + 0.05);
                properties++;
            }
        }
        assertThat(properties).isEqualTo(2000 / SyntheticListings.UNITS_PER_PROPERTY);
        assertThat(count(db, "SELECT count(DISTINCT currency) FROM unit_pricing")).isGreaterThan(25);
    }

    private void assertNoDuplicatesAndEveryUnitComplete(int units) throws SQLException {
        assertThat(count(db, "SELECT count(*) FROM outbox_event")).isEqualTo(units);
        assertThat(count(db, "SELECT count(DISTINCT aggregate_id) FROM outbox_event")).isEqualTo(units);
        assertThat(count(db, "SELECT count(*) FROM unit_pricing")).isEqualTo(units);
        assertThat(count(db, """
                SELECT count(*) FROM unit u
                WHERE NOT EXISTS (SELECT 1 FROM outbox_event e WHERE e.aggregate_id = u.id)""")).isZero();
        assertThat(count(db, "SELECT count(*) FROM speed_test"))
                .isEqualTo(3 * count(db, "SELECT count(*) FROM property"));
    }
}
