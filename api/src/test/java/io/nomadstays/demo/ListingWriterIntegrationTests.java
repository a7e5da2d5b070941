package io.nomadstays.demo;

import static io.nomadstays.demo.DemoTestDatabase.queryString;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** COPY text format has its own escaping; text that needs it must come back unchanged. */
class ListingWriterIntegrationTests {

    private JdbcTarget db;

    @BeforeEach
    void cleanDatabase() throws SQLException {
        db = DemoTestDatabase.migrated();
        DemoTestDatabase.clean(db);
    }

    @Test
    void awkwardTextRoundTrips() throws SQLException {
        String name = "Tab\there, back\\slash, \"quotes\", 大理 \\N";
        String rules = "Line one\nline two\r\nline three";
        List<String> amenities = List.of("wifi", "with space", "comma,inside", "quote\"d", "back\\slash", "{braces}");
        UUID operatorId = UUID.randomUUID();
        UUID propertyId = UUID.randomUUID();
        try (Connection connection = db.connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO operator (id, slug, name, default_currency) VALUES (?, 'escapes', 'Escapes', 'USD')")) {
                insert.setObject(1, operatorId);
                insert.executeUpdate();
            }
            ListingWriter writer = new ListingWriter(connection, Instant.now());
            writer.add(new ListingWriter.Property(propertyId, operatorId, name, "", "1 Road", City.named("Dali"), null,
                    City.named("Dali").centre(), amenities, rules));
            writer.flush();
            connection.commit();
        }

        assertThat(queryString(db, "SELECT name FROM property WHERE id = ?", propertyId)).isEqualTo(name);
        assertThat(queryString(db, "SELECT house_rules FROM property WHERE id = ?", propertyId)).isEqualTo(rules);
        assertThat(queryString(db, "SELECT postal_code IS NULL FROM property WHERE id = ?", propertyId)).isEqualTo("t");
        for (int i = 0; i < amenities.size(); i++) {
            assertThat(queryString(db, "SELECT amenities[" + (i + 1) + "] FROM property WHERE id = ?", propertyId))
                    .isEqualTo(amenities.get(i));
        }
    }
}
