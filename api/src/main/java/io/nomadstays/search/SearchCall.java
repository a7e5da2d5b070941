package io.nomadstays.search;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.transport.rest5_client.low_level.Cancellable;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.RequestOptions;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import co.elastic.clients.transport.rest5_client.low_level.ResponseListener;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import io.nomadstays.index.ElasticsearchRefused;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * One search request: the body the typed client's builders made ({@link StayQuery}), sent through
 * the client's low-level REST client, and the answer read with Jackson's streaming parser straight
 * into what {@link SearchController} uses: the total, each hit's sort values and {@code _source}
 * (read into a {@link StayDocument} by {@link StayDocumentReader}), and the aggregations as trees.
 * The typed client's response model cost a fifth of a search's API CPU, and a search uses a few of
 * its fields (docs/benchmarks.md, "Profiling").
 *
 * <p>Searches pass a {@link SearchGate} on their way to Elasticsearch and leave it once their answer
 * is built.
 */
final class SearchCall {

    // Aggregations are read as trees in the middle of the answer, so what follows one is not an error.
    private static final JsonMapper MAPPER = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /**
     * What a search reads from Elasticsearch's answer: map tiles (geotile_grid aggregations) read
     * as {@link Tile}s, since a map view has hundreds of them; other aggregations as trees.
     */
    record Answer(long total, List<Hit> hits, Map<String, JsonNode> aggregations, Map<String, List<Tile>> tiles) {

        /**
         * An aggregation by the name it was asked under (a missing node when absent). Its
         * sub-aggregations keep their typed names, such as {@code min#min_price}.
         */
        JsonNode aggregation(String name) {
            return aggregations.getOrDefault(name, MissingNode.getInstance());
        }

        /** The tiles of a geotile_grid aggregation by the name it was asked under (none when absent). */
        List<Tile> tiles(String name) {
            return tiles.getOrDefault(name, List.of());
        }
    }

    /**
     * One map tile: its units' count, their centroid ({@code centre}) and the lowest price among
     * them ({@code min_price}, null when none has a price for the period).
     */
    record Tile(int count, double lat, double lon, Double min) {
    }

    /** @param sort the hit's sort values, as search_after takes them back */
    record Hit(List<FieldValue> sort, StayDocument source) {
    }

    private final Rest5Client rest;
    private final JsonpMapper jsonp;
    private final SearchGate gate;
    private final RequestOptions options;

    /** @param gate how many searches may be at Elasticsearch or building their answer at once; 0 for no limit */
    SearchCall(Rest5Client rest, JsonpMapper jsonp, int gate) {
        if (gate < 0) {
            throw new IllegalArgumentException("nomad.search.query.gate takes 0 (no limit) or more, not " + gate);
        }
        this.rest = rest;
        this.jsonp = jsonp;
        this.gate = gate > 0 ? new SearchGate(gate) : null;
        this.options = RequestOptions.DEFAULT.toBuilder().setHttpAsyncResponseConsumerFactory(new AnswerConsumer.Sizes()).build();
    }

    /**
     * Sends {@code search} to its indices (a path parameter, like the typed client sends it), once the
     * gate lets it in. Completes on the client's I/O thread, or with a {@link TimeoutException} after
     * {@code timeout}, waiting at the gate included; a timeout or cancelling the future aborts the
     * HTTP exchange (a search still waiting is never sent).
     *
     * @param groupWindows whether to read each hit's {@code group_windows} (only a flexible search for
     *                     a group reads them)
     */
    CompletableFuture<Answer> search(SearchRequest search, boolean groupWindows, Duration timeout) {
        Request request = new Request("POST", "/" + String.join(",", search.index()) + "/_search");
        // Aggregation names carry their type ("sterms#unit_types"), as the typed client asks for them.
        request.addParameter("typed_keys", "true");
        request.setEntity(new ByteArrayEntity(body(search), ContentType.APPLICATION_JSON));
        request.setOptions(options);
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        AtomicReference<Cancellable> exchange = new AtomicReference<>();
        // A search leaves the gate once, on whichever comes first: its answer, a failure, its timeout
        // or an abort (the client also reports an aborted exchange as a failure).
        AtomicBoolean left = new AtomicBoolean(gate == null);
        Runnable leave = () -> {
            if (left.compareAndSet(false, true)) {
                gate.leave();
            }
        };
        ResponseListener listener = new ResponseListener() {
            @Override
            public void onSuccess(Response response) {
                try {
                    complete(response);
                } finally {
                    leave.run();
                }
            }

            private void complete(Response response) {
                Answer read;
                try (InputStream in = response.getEntity().getContent()) {
                    // The low-level client hands 4xx answers over as responses (only 5xx fail): a missing
                    // index or a refused query must not read as a search without hits.
                    if (response.getStatusCode() / 100 != 2) {
                        throw ElasticsearchRefused.of(request.getMethod() + " " + request.getEndpoint(), response.getStatusCode(), in);
                    }
                    // In place when the answer is still the consumer's array (not a gzip stream around it).
                    read = response.getEntity() instanceof AnswerConsumer.Bytes bytes
                            ? read(MAPPER.createParser(bytes.array(), 0, bytes.length()), groupWindows)
                            : read(in, groupWindows);
                } catch (IOException | RuntimeException e) {
                    answer.completeExceptionally(e);
                    return;
                }
                // The search's continuation (the GraphQL answer) runs in here, on this I/O thread, so
                // it counts as inside the gate until its answer is built.
                answer.complete(read);
            }

            @Override
            public void onFailure(Exception e) {
                answer.completeExceptionally(e);
                leave.run();
            }
        };
        BooleanSupplier send = () -> {
            if (answer.isDone()) {
                return false; // timed out or cancelled while it waited at the gate
            }
            try {
                exchange.set(rest.performRequestAsync(request, listener));
            } catch (RuntimeException e) { // a closed client
                answer.completeExceptionally(e);
                return false;
            }
            if (answer.isDone()) { // timed out just now, so the timeout found nothing to abort (or answered already)
                exchange.get().cancel();
                leave.run();
            }
            return true;
        };
        if (gate == null) {
            send.getAsBoolean();
        } else {
            gate.enter(send);
        }
        answer.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((a, e) -> {
            if (e instanceof TimeoutException || answer.isCancelled()) {
                Cancellable sent = exchange.get();
                if (sent != null) {
                    sent.cancel();
                    leave.run();
                }
            }
        });
        return answer;
    }

    /** Searches the gate let in that have not finished (0 without a gate). */
    int searchesInside() {
        return gate == null ? 0 : gate.inside();
    }

    /** Searches waiting at the gate (0 without a gate). */
    int searchesWaiting() {
        return gate == null ? 0 : gate.waiting();
    }

    private byte[] body(SearchRequest search) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (var generator = jsonp.jsonProvider().createGenerator(out)) {
            search.serialize(generator, jsonp);
        }
        return out.toByteArray();
    }

    /** {@code {"hits":{"total":{"value":n},"hits":[{"_source":{..},"sort":[..]}]},"aggregations":{"type#name":{..}}}} */
    static Answer read(InputStream in, boolean groupWindows) throws IOException {
        return read(MAPPER.createParser(in), groupWindows);
    }

    private static Answer read(JsonParser parser, boolean groupWindows) throws IOException {
        long total = 0;
        List<Hit> hits = new ArrayList<>();
        Map<String, JsonNode> aggregations = new LinkedHashMap<>();
        Map<String, List<Tile>> tiles = new LinkedHashMap<>();
        try (JsonParser p = parser) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("hits".equals(field) && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                        String name = p.currentName();
                        JsonToken inner = p.nextToken();
                        if ("total".equals(name) && inner == JsonToken.START_OBJECT) {
                            total = total(p);
                        } else if ("hits".equals(name) && inner == JsonToken.START_ARRAY) {
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                hits.add(hit(p, groupWindows));
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                } else if ("aggregations".equals(field) && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                        String typedName = p.currentName();
                        String name = typedName.substring(typedName.indexOf('#') + 1);
                        p.nextToken();
                        if (typedName.startsWith("geotile_grid#")) {
                            tiles.put(name, tiles(p));
                        } else {
                            aggregations.put(name, MAPPER.readTree(p));
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return new Answer(total, hits, aggregations, tiles);
    }

    /** {@code {"buckets":[{"key":"12/1/2","doc_count":3,"geo_centroid#centre":{"location":{"lat":..,"lon":..}},"min#min_price":{"value":..}}]}} */
    private static List<Tile> tiles(JsonParser p) throws IOException {
        List<Tile> tiles = new ArrayList<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            if (!"buckets".equals(p.currentName()) || p.nextToken() != JsonToken.START_ARRAY) {
                p.nextToken();
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                int count = 0;
                double lat = Double.NaN;
                double lon = Double.NaN;
                Double min = null;
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    if ("doc_count".equals(name)) {
                        count = p.getIntValue();
                    } else if (name.endsWith("#centre")) {
                        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                            boolean location = "location".equals(p.currentName());
                            if (p.nextToken() != JsonToken.START_OBJECT || !location) {
                                p.skipChildren();
                                continue;
                            }
                            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                                String axis = p.currentName();
                                p.nextToken();
                                if ("lat".equals(axis)) {
                                    lat = p.getDoubleValue();
                                } else if ("lon".equals(axis)) {
                                    lon = p.getDoubleValue();
                                } else {
                                    p.skipChildren();
                                }
                            }
                        }
                    } else if (name.endsWith("#min_price")) {
                        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                            JsonToken value = p.nextToken();
                            if ("value".equals(p.currentName()) && value.isNumeric()) {
                                min = p.getDoubleValue();
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                if (Double.isNaN(lat) || Double.isNaN(lon)) {
                    throw new IOException("A map tile came back without its centre");
                }
                tiles.add(new Tile(count, lat, lon, min));
            }
        }
        return tiles;
    }

    private static long total(JsonParser p) {
        long total = 0;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            p.nextToken();
            if ("value".equals(name)) {
                total = p.getLongValue();
            } else {
                p.skipChildren();
            }
        }
        return total;
    }

    private static Hit hit(JsonParser p, boolean groupWindows) throws IOException {
        List<FieldValue> sort = List.of();
        StayDocument source = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("_source".equals(name) && value == JsonToken.START_OBJECT) {
                source = StayDocumentReader.read(p, groupWindows);
            } else if ("sort".equals(name) && value == JsonToken.START_ARRAY) {
                sort = sortValues(p);
            } else {
                p.skipChildren();
            }
        }
        if (source == null) {
            throw new IOException("A search hit came back without its _source");
        }
        return new Hit(sort, source);
    }

    /** Numbers as the typed client reads them: integral ones as longs, the rest as doubles. */
    private static List<FieldValue> sortValues(JsonParser p) throws IOException {
        List<FieldValue> values = new ArrayList<>(2);
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            values.add(switch (t) {
                case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? FieldValue.of(p.getDoubleValue()) : FieldValue.of(p.getLongValue());
                case VALUE_NUMBER_FLOAT -> FieldValue.of(p.getDoubleValue());
                case VALUE_STRING -> FieldValue.of(p.getString());
                case VALUE_TRUE, VALUE_FALSE -> FieldValue.of(p.getBooleanValue());
                case VALUE_NULL -> FieldValue.NULL;
                default -> throw new IOException("Unexpected sort value " + t);
            });
        }
        return values;
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("Unexpected search answer: " + actual + " where " + expected + " was expected");
        }
    }
}
