package io.nomadstays.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class OperationsIntegrationTests extends IntegrationTest {

    @Test
    void healthCoversPostgresqlAndElasticsearch() {
        web.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.r2dbc.status").isEqualTo("UP")
                .jsonPath("$.components.elasticsearch.status").isEqualTo("UP");
    }

    @Test
    void prometheusExposesRequestAndGraphQlTimingsButNotTheSecurityChainsOwn() {
        post(null, "{ operator(slug: \"none\") { id } }", Map.of());
        String metrics = web.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("graphql_request_seconds").contains("graphql_datafetcher_seconds")
                .contains("http_server_requests_seconds_count{");
        // SecurityConfig.securityObservations: the filter chain, authentication and authorisation are not observed.
        assertThat(metrics).doesNotContain("spring_security_");
    }

    @Test
    void everyResponseCarriesARequestIdAndASaneOneIsKept() {
        web.post().uri("/graphql").header("Content-Type", "application/json").header("X-Request-Id", "abc-123")
                .bodyValue(Map.of("query", "{ me { id } }")).exchange()
                .expectHeader().valueEquals("X-Request-Id", "abc-123");
        web.post().uri("/graphql").header("Content-Type", "application/json").header("X-Request-Id", "bad id; with spaces and far too long ")
                .bodyValue(Map.of("query", "{ me { id } }")).exchange()
                .expectHeader().value("X-Request-Id", id -> assertThat(id).matches("[0-9a-f-]{36}"));
    }

    /**
     * With every pooled connection taken, a request that needs PostgreSQL answers an error once the
     * pool's acquire time (spring.r2dbc.pool.max-acquire-time, 10 s) is up, where the pool's default
     * would leave it waiting as long as the connections stay taken.
     */
    @Test
    void aRequestThatCannotGetAConnectionAnswersAnErrorInsteadOfHanging(@Autowired ConnectionFactory connections) {
        Fixtures.Ref operator = fixtures.operator("starved-op");
        Fixtures.Ref unit = fixtures.unit(operator, fixtures.property(operator, "Starved House"), "Room", true);
        ConnectionPool pool = (ConnectionPool) connections;
        int size = pool.getMetrics().orElseThrow().getMaxAllocatedSize();
        String node = "query($id: ID!) { node(id: $id) { id } }";
        List<Connection> taken = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                taken.add(Mono.from(pool.create()).block(Duration.ofSeconds(30)));
            }
            assertInternalErrorAfterTheTimeout(null, node, Map.of("id", unit.id()), "pool");
        } finally {
            taken.forEach(c -> Mono.from(c.close()).block(Duration.ofSeconds(10)));
        }
        // The connections are back: the same request answers.
        assertThat(post(null, node, Map.of("id", unit.id())).toString()).contains(unit.id());
    }

    /** A write waiting on a row lock another transaction holds gives up after PostgreSQL's lock_timeout (10 s). */
    @Test
    void aWriteWaitingOnALockAnswersAnErrorInsteadOfHanging(@Autowired ConnectionFactory connections) {
        Fixtures.Ref operator = fixtures.operator("locked-op");
        Fixtures.Ref unit = fixtures.unit(operator, fixtures.property(operator, "Locked House"), "Room", true);
        String manager = fixtures.staff(operator, "MANAGER");
        String rotate = "mutation($id: ID!) { rotateIcalExportUrl(input: {unitId: $id}) { icalExportUrl userErrors { code } } }";
        Connection holder = Mono.from(connections.create()).block(Duration.ofSeconds(30));
        try {
            assertThat(Flux.from(holder.createStatement("SHOW lock_timeout").execute())
                    .flatMap(r -> r.map((row, meta) -> row.get(0, String.class))).blockFirst()).isEqualTo("10s");
            Mono.from(holder.beginTransaction()).block();
            Flux.from(holder.createStatement("SELECT id FROM unit WHERE id = $1 FOR UPDATE").bind("$1", unit.uuid()).execute())
                    .flatMap(r -> r.map((row, meta) -> 1)).blockLast();
            assertInternalErrorAfterTheTimeout(manager, rotate, Map.of("id", unit.id()), "lock");
        } finally {
            Mono.from(holder.rollbackTransaction()).onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(10));
            Mono.from(holder.close()).block(Duration.ofSeconds(10));
        }
        assertThat(post(manager, rotate, Map.of("id", unit.id())).toString()).contains("userErrors=[]");
    }

    /** The request answers INTERNAL_ERROR, without internal detail, once a 10 s database timeout is up. */
    private void assertInternalErrorAfterTheTimeout(String subject, String document, Map<String, Object> variables, String detail) {
        long start = System.nanoTime();
        Map<String, Object> response = post(subject, document, variables);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(response.toString()).contains("classification=INTERNAL_ERROR").doesNotContain("Exception").doesNotContain(detail);
        assertThat(took).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(25));
    }

    @Test
    void otherActuatorEndpointsAreClosed() {
        web.get().uri("/actuator/env").exchange().expectStatus().value(s -> assertThat(s).isIn(401, 403, 404));
    }
}
