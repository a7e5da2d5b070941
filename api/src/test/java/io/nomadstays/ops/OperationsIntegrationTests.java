package io.nomadstays.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.support.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

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

    @Test
    void otherActuatorEndpointsAreClosed() {
        web.get().uri("/actuator/env").exchange().expectStatus().value(s -> assertThat(s).isIn(401, 403, 404));
    }
}
