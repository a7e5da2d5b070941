package io.nomadstays.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.support.IntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Elasticsearch that takes connections and never answers (a hung node, a full queue): each search
 * ends within its timeout with the retryable SEARCH_UNAVAILABLE, instead of holding the nomad's
 * request open. The in-process indexer and the scheduled check are off: they would wait on it too.
 */
@TestPropertySource(properties = {"nomad.search.query.timeout=1s", "nomad.search.indexer.enabled=false",
        "nomad.search.consistency.enabled=false"})
class SearchHungIntegrationTests extends IntegrationTest {

    /** Never accepts: the kernel completes connections into its backlog, and nothing reads the requests. */
    private static final ServerSocket SILENT = silent();

    private static ServerSocket silent() {
        try {
            return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void silentElasticsearch(DynamicPropertyRegistry registry) {
        registry.add("spring.elasticsearch.uris", () -> "http://127.0.0.1:" + SILENT.getLocalPort());
    }

    @AfterAll
    static void close() throws IOException {
        SILENT.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void searchesEndRetryableWithinTheirTimeout() {
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            Map<String, Object> response = post(null, "{ searchStays(filter: {city: \"Lisbon\"}) { totalCount } }", Map.of());
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            var errors = (List<Map<String, Object>>) response.get("errors");
            assertThat(errors).as("answer %s", response).hasSize(1);
            assertThat((Map<String, Object>) errors.get(0).get("extensions"))
                    .containsEntry("code", "SEARCH_UNAVAILABLE").containsEntry("retryable", true);
            // The 1 s timeout, with room for a busy machine; Elasticsearch's client would wait 30 s.
            assertThat(took).as("search %d", i).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofSeconds(10));
        }
    }
}
