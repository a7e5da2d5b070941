package io.nomadstays.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.graphql.ApiException;
import io.nomadstays.index.ElasticsearchRefused;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** What a nomad is told when the search call fails: retry, or an internal error that a retry would not fix. */
class SearchFailureTests {

    @Test
    void outagesAndAMissingIndexAreWorthARetry() {
        for (Throwable e : new Throwable[] {new ConnectException("Connection refused"), new TimeoutException("3s"),
                new CompletionException(refused(404, "index_not_found_exception")), refused(503, "cluster_block_exception"),
                new IOException("Connection reset")}) {
            assertThat(SearchController.failed(e)).as(e.toString())
                    .isInstanceOfSatisfying(ApiException.class, api -> assertThat(api.code()).isEqualTo("SEARCH_UNAVAILABLE"));
        }
    }

    @Test
    void aQueryElasticsearchRefusesIsAnInternalErrorNotARetry() {
        for (Throwable e : new Throwable[] {refused(400, "search_phase_execution_exception"),
                new CompletionException(refused(400, "parsing_exception"))}) {
            Throwable mapped = SearchController.failed(e);
            assertThat(mapped).as(e.toString()).isNotInstanceOf(ApiException.class);
            assertThat(mapped.getCause()).isInstanceOf(ElasticsearchRefused.class);
        }
    }

    private static ElasticsearchRefused refused(int status, String type) {
        String body = "{\"error\":{\"type\":\"" + type + "\",\"reason\":\"no\"},\"status\":" + status + "}";
        return ElasticsearchRefused.of("POST /stays/_search", status, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }
}
