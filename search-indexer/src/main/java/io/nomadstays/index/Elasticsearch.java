package io.nomadstays.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;

/**
 * A client for the standalone indexer and the tests (the api uses Spring Boot's). Short connect
 * timeout, so an unreachable cluster fails a batch fast and the indexer backs off.
 */
final class Elasticsearch {

    private Elasticsearch() {
    }

    /** Close with {@code client._transport().close()}. */
    static ElasticsearchClient connect(String url, String apiKey) {
        var builder = Rest5Client.builder(URI.create(url))
                .setConnectionConfigCallback(c -> c.setConnectTimeout(Timeout.ofSeconds(2)))
                .setRequestConfigCallback(r -> r.setResponseTimeout(Timeout.ofSeconds(60)));
        if (apiKey != null && !apiKey.isBlank()) {
            builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", "ApiKey " + apiKey)});
        }
        return new ElasticsearchClient(new Rest5ClientTransport(builder.build(), new Jackson3JsonpMapper()));
    }

    /**
     * Performs {@code request} and returns a 2xx answer; anything else below 500 (which the
     * low-level client returns instead of throwing) becomes {@link ElasticsearchRefused}.
     */
    static Response ok(Rest5Client rest, Request request) throws IOException {
        Response response = rest.performRequest(request);
        int status = response.getStatusCode();
        if (status / 100 == 2) {
            return response;
        }
        String what = request.getMethod() + " " + request.getEndpoint();
        if (response.getEntity() == null) {
            throw ElasticsearchRefused.of(what, status, null);
        }
        try (InputStream in = response.getEntity().getContent()) {
            throw ElasticsearchRefused.of(what, status, in);
        }
    }
}
