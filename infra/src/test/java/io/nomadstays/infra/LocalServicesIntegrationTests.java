package io.nomadstays.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Starts the real services (or finds them running) and talks to them. The services are left
 * running at the end: other modules' tests share them.
 */
class LocalServicesIntegrationTests {

    private static LocalServices.Endpoints endpoints;

    @BeforeAll
    static void start() {
        endpoints = LocalServices.ensureStarted();
    }

    @Test
    void ensureStartedIsCachedPerJvm() {
        assertThat(LocalServices.ensureStarted()).isSameAs(endpoints);
        assertThat(endpoints.pgHost()).isEqualTo("127.0.0.1");
        assertThat(endpoints.pgUser()).isEqualTo("nomad");
        assertThat(endpoints.pgDatabase()).isEqualTo("nomad");
        assertThat(endpoints.esUrl()).startsWith("http://127.0.0.1:");
        assertThat(endpoints.jdbcUrl("x")).isEqualTo("jdbc:postgresql://127.0.0.1:" + endpoints.pgPort() + "/x");
        assertThat(endpoints.r2dbcUrl("x")).isEqualTo("r2dbc:postgresql://127.0.0.1:" + endpoints.pgPort() + "/x");
    }

    @Test
    void postgresAnswers() throws Exception {
        try (Connection c = DriverManager.getConnection(endpoints.jdbcUrl(endpoints.pgDatabase()),
                endpoints.pgUser(), endpoints.pgPassword());
             ResultSet rs = c.createStatement().executeQuery("select version()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("PostgreSQL 1");
        }
    }

    @Test
    void elasticsearchIsYellowOrGreen() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(endpoints.esUrl() + "/_cluster/health"))
                        .timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).containsPattern("\"status\"\\s*:\\s*\"(green|yellow)\"");
        assertThat(response.body()).contains("\"cluster_name\":\"nomad-local\"");
    }

    @Test
    void secondStartFindsTheRunningServices() throws Exception {
        Path root = LocalServices.findRepoRoot(Path.of("").toAbsolutePath());
        Process p = new ProcessBuilder("bash", root.resolve(LocalServices.SCRIPT).toString(), "start")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        System.out.print(output);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("PostgreSQL: already running", "Elasticsearch: already running");
        assertThat(LocalServices.parse(LocalServices.envFile(root))).isEqualTo(endpoints);
    }

    @Test
    void createDatabaseIfMissingIsIdempotent() throws Exception {
        String name = "infra_it_db";
        LocalServices.createDatabaseIfMissing(endpoints, name);
        LocalServices.createDatabaseIfMissing(endpoints, name);
        try (Connection c = DriverManager.getConnection(endpoints.jdbcUrl(endpoints.pgDatabase()),
                endpoints.pgUser(), endpoints.pgPassword());
             PreparedStatement ps = c.prepareStatement("select count(*) from pg_database where datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
        // And the new database takes connections.
        try (Connection c = DriverManager.getConnection(endpoints.jdbcUrl(name), endpoints.pgUser(), endpoints.pgPassword())) {
            assertThat(c.isValid(5)).isTrue();
        }
    }
}
