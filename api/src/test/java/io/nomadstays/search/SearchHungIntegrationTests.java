package io.nomadstays.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nomadstays.support.IntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Elasticsearch that takes connections and never answers (a hung node, a full queue): each search
 * ends within its timeout with the retryable SEARCH_UNAVAILABLE, instead of holding the nomad's
 * request open, and gives its place at the gate (one search at a time here) to the next. The
 * in-process indexer and the scheduled check are off: they would wait on it too.
 */
@TestPropertySource(properties = {"nomad.search.query.timeout=1s", "nomad.search.query.gate=1",
        "nomad.search.indexer.enabled=false", "nomad.search.consistency.enabled=false"})
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

    @Autowired
    SearchCall searchCall;

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
            // It leaves the gate as its exchange is aborted, which may come just after the answer.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(searchCall.searchesInside() + searchCall.searchesWaiting()).isZero());
        }
    }

    /**
     * Three at once through a gate for one: the first holds the place until its timeout, the
     * others wait for it within theirs, and all three end retryable, leaving the gate empty.
     */
    @Test
    @SuppressWarnings("unchecked")
    void searchesWaitingAtTheGateEndWithinTheirTimeoutToo() throws Exception {
        var pool = Executors.newFixedThreadPool(3);
        try {
            long start = System.nanoTime();
            List<Future<Map<String, Object>>> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(pool.submit(() -> post(null, "{ searchStays(filter: {city: \"Porto\"}) { totalCount } }", Map.of())));
            }
            for (Future<Map<String, Object>> answer : answers) {
                var errors = (List<Map<String, Object>>) answer.get(30, TimeUnit.SECONDS).get("errors");
                assertThat((Map<String, Object>) errors.get(0).get("extensions")).containsEntry("code", "SEARCH_UNAVAILABLE");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(searchCall.searchesInside() + searchCall.searchesWaiting()).isZero());
        } finally {
            pool.shutdownNow();
        }
    }
}
