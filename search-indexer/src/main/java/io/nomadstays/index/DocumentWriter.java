package io.nomadstays.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.bulk.OperationType;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads units from PostgreSQL and writes their documents (or deletes, for units no longer
 * published) with {@code version_type=external}. A version conflict means the index already holds
 * a document at least as new: that is success, which is what makes replays and races harmless.
 */
final class DocumentWriter {

    /** Units per bulk request: about 2 MB of documents. */
    static final int CHUNK = 1000;

    private final ElasticsearchClient es;

    DocumentWriter(ElasticsearchClient es) {
        this.es = es;
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
            Map<UUID, ObjectNode> documents = StayDocuments.build(c, chunk);
            List<BulkOperation> operations = new ArrayList<>(chunk.size());
            for (UUID unit : chunk) {
                operations.add(operation(target, unit, versions.get(unit), documents.get(unit)));
            }
            total = total.plus(bulk(target, viaAlias, chunk, operations));
        }
        return total;
    }

    /** An index operation for a document, a delete for a unit without one, both with the external version. */
    static BulkOperation operation(String target, UUID unit, long version, ObjectNode document) {
        String id = unit.toString();
        if (document == null) {
            return BulkOperation.of(b -> b.delete(d -> d.index(target).id(id).version(version).versionType(VersionType.External)));
        }
        BinaryData json = BinaryData.of(Json.MAPPER.writeValueAsBytes(document), ContentType.APPLICATION_JSON);
        return BulkOperation.of(b -> b.index(i -> i.index(target).id(id).version(version).versionType(VersionType.External)
                .document(json)));
    }

    /** One bulk request; {@code units} are the operations' units in the same order (items answer in order). */
    Outcome bulk(String target, boolean viaAlias, List<UUID> units, List<BulkOperation> operations) throws IOException {
        if (operations.isEmpty()) {
            return NOTHING;
        }
        BulkResponse response = es.bulk(b -> b.index(target).requireAlias(viaAlias).operations(operations));
        if (response.items().size() != units.size()) {
            throw new IOException("Bulk answered " + response.items().size() + " items for " + units.size() + " operations");
        }
        int indexed = 0;
        int deleted = 0;
        int conflicts = 0;
        Map<UUID, String> failed = new LinkedHashMap<>();
        for (int i = 0; i < units.size(); i++) {
            BulkResponseItem item = response.items().get(i);
            if (item.error() == null) {
                if (item.operationType() == OperationType.Delete) {
                    deleted++;
                } else {
                    indexed++;
                }
            } else if ("version_conflict_engine_exception".equals(item.error().type())) {
                conflicts++;
            } else {
                failed.put(units.get(i), item.status() + " " + item.error().type() + ": " + item.error().reason());
            }
        }
        return new Outcome(indexed, deleted, conflicts, failed);
    }
}
