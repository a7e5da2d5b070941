package io.nomadstays.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
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
}
