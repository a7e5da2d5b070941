package io.nomadstays.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads units from PostgreSQL and writes their documents (or deletes, for units no longer
 * published) with {@code version_type=external}. A version conflict means the index already holds
 * a document at least as new: that is success, which is what makes replays and races harmless.
 *
 * <p>Bulk requests go through the client's low-level REST client: the documents are streamed into
 * the request body as they are built, and the answer is filtered down to each item's status and
 * error. The typed client's request and response objects cost more CPU than building the
 * documents (docs/benchmarks.md, "Full reindex").
 */
final class DocumentWriter {

    /** Units per bulk request: about 3.5 MB of documents. */
    static final int CHUNK = 1000;

    /** Room for a document and its action line: a body sized for its units is not regrown (and copied) as it fills. */
    private static final int BYTES_PER_UNIT = 4096;

    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");
    private static final String ANSWER = "items.*.status,items.*.error.type,items.*.error.reason";

    private final Rest5Client rest;

    DocumentWriter(ElasticsearchClient es) {
        this.rest = ((Rest5ClientTransport) es._transport()).restClient();
    }

    /**
     * @param failed units whose write failed for another reason than a version conflict, with the reason
     */
    record Outcome(int indexed, int deleted, int conflicts, Map<UUID, String> failed) {

        Outcome plus(Outcome o) {
            Map<UUID, String> all = new LinkedHashMap<>(failed);
            all.putAll(o.failed);
            return new Outcome(indexed + o.indexed, deleted + o.deleted, conflicts + o.conflicts, all);
        }
    }

    static final Outcome NOTHING = new Outcome(0, 0, 0, Map.of());

    /** The body of one bulk request into one index or alias: an index or a delete per unit, with external versions. */
    static final class Bulk {

        private final Body body;
        private final List<UUID> units = new ArrayList<>();

        Bulk() {
            this(16);
        }

        /** A body with room for {@code expected} documents. */
        Bulk(int expected) {
            body = new Body(Math.max(16, expected) * BYTES_PER_UNIT);
        }

        /** The unit's document from {@code batch}, or a delete when the batch has none (no longer published). */
        Bulk add(UUID unit, long version, StayDocuments.Batch batch) {
            if (batch.units().contains(unit)) {
                action("index", unit, version);
                batch.write(unit, body);
                body.write('\n');
            } else {
                action("delete", unit, version);
            }
            units.add(unit);
            return this;
        }

        /** A document given as JSON (tests: a stale document written late). */
        Bulk add(UUID unit, long version, byte[] document) {
            action("index", unit, version);
            body.writeBytes(document);
            body.write('\n');
            units.add(unit);
            return this;
        }

        List<UUID> units() {
            return units;
        }

        boolean isEmpty() {
            return units.isEmpty();
        }

        private void action(String operation, UUID unit, long version) {
            body.writeBytes(("{\"" + operation + "\":{\"_id\":\"" + unit + "\",\"version\":" + version
                    + ",\"version_type\":\"external\"}}\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A growing request body whose bytes are sent as they are, without a copy. */
    private static final class Body extends ByteArrayOutputStream {

        Body(int capacity) {
            super(capacity);
        }

        byte[] bytes() {
            return buf;
        }
    }

    /**
     * Builds and writes the documents of {@code versions}' units into {@code target}.
     *
     * @param viaAlias the target is the alias: refuse to auto-create an index if it has gone
     */
    Outcome write(Connection c, String target, boolean viaAlias, Map<UUID, Long> versions) throws SQLException, IOException {
        Outcome total = NOTHING;
        List<UUID> units = new ArrayList<>(versions.keySet());
        for (int from = 0; from < units.size(); from += CHUNK) {
            List<UUID> chunk = units.subList(from, Math.min(units.size(), from + CHUNK));
            StayDocuments.Batch documents = StayDocuments.read(c, chunk);
            Bulk bulk = new Bulk(chunk.size());
            for (UUID unit : chunk) {
                bulk.add(unit, versions.get(unit), documents);
            }
            total = total.plus(bulk(target, viaAlias, bulk));
        }
        return total;
    }

    /** One bulk request; items answer in the order of the operations. */
    Outcome bulk(String target, boolean viaAlias, Bulk bulk) throws IOException {
        if (bulk.isEmpty()) {
            return NOTHING;
        }
        Request request = new Request("POST", "/" + target + "/_bulk");
        request.addParameter("filter_path", ANSWER);
        if (viaAlias) {
            request.addParameter("require_alias", "true");
        }
        request.setEntity(new ByteArrayEntity(bulk.body.bytes(), 0, bulk.body.size(), NDJSON));
        Response response = Elasticsearch.ok(rest, request);
        List<Item> items;
        try (InputStream in = response.getEntity().getContent()) {
            items = items(in);
        }
        List<UUID> units = bulk.units();
        if (items.size() != units.size()) {
            throw new IOException("Bulk answered " + items.size() + " items for " + units.size() + " operations");
        }
        int indexed = 0;
        int deleted = 0;
        int conflicts = 0;
        Map<UUID, String> failed = new LinkedHashMap<>();
        for (int i = 0; i < units.size(); i++) {
            Item item = items.get(i);
            if (item.errorType() == null) {
                if ("delete".equals(item.operation())) {
                    deleted++;
                } else {
                    indexed++;
                }
            } else if ("version_conflict_engine_exception".equals(item.errorType())) {
                conflicts++;
            } else {
                failed.put(units.get(i), item.status() + " " + item.errorType() + ": " + item.errorReason());
            }
        }
        return new Outcome(indexed, deleted, conflicts, failed);
    }

    private record Item(String operation, int status, String errorType, String errorReason) {
    }

    /** {@code {"items":[{"index":{"status":201}}, {"delete":{"status":409,"error":{"type":..,"reason":..}}}]}} */
    private static List<Item> items(InputStream in) throws IOException {
        List<Item> items = new ArrayList<>(CHUNK);
        try (JsonParser p = Json.MAPPER.createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                if (!"items".equals(p.currentName())) {
                    p.nextToken();
                    p.skipChildren();
                    continue;
                }
                expect(p.nextToken(), JsonToken.START_ARRAY);
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    expect(p.nextToken(), JsonToken.PROPERTY_NAME);
                    String operation = p.currentName();
                    expect(p.nextToken(), JsonToken.START_OBJECT);
                    int status = 0;
                    String type = null;
                    String reason = null;
                    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                        String field = p.currentName();
                        p.nextToken();
                        if ("status".equals(field)) {
                            status = p.getIntValue();
                        } else if ("error".equals(field) && p.currentToken() == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                                String name = p.currentName();
                                p.nextToken();
                                if ("type".equals(name)) {
                                    type = p.getString();
                                } else if ("reason".equals(name)) {
                                    reason = p.getString();
                                } else {
                                    p.skipChildren();
                                }
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    expect(p.nextToken(), JsonToken.END_OBJECT);
                    items.add(new Item(operation, status, type, reason));
                }
            }
        }
        return items;
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("Unexpected bulk answer: " + actual + " where " + expected + " was expected");
        }
    }
}
