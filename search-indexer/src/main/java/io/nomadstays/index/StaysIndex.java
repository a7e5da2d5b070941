package io.nomadstays.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The alias and its concrete indices: {@code <alias>-<version>-<yyyyMMddHHmmss>} created from the
 * {@link IndexDefinition}, the alias pointing at exactly one of them (so writes through the alias
 * go to that index), swapped atomically by a full reindex.
 *
 * <p>Requests go through the client's low-level REST client with small JSON bodies: the typed
 * client's index-settings and mapping models are some 1,100 classes and 740 lambdas to load, which
 * a reindex spent its first second or two on (docs/benchmarks.md, "Full reindex").
 */
final class StaysIndex {

    private static final System.Logger log = System.getLogger(StaysIndex.class.getName());
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final Rest5Client rest;
    private final String alias;
    private final String definitionLocation;
    private final Pattern concreteName;
    private volatile IndexDefinition definition;

    StaysIndex(ElasticsearchClient es, SearchSettings settings) {
        this.rest = ((Rest5ClientTransport) es._transport()).restClient();
        this.alias = settings.alias();
        this.definitionLocation = settings.definition();
        this.concreteName = Pattern.compile(Pattern.quote(alias) + "-v\\d+-\\d{14}");
    }

    String alias() {
        return alias;
    }

    IndexDefinition definition() {
        if (definition == null) {
            definition = IndexDefinition.load(definitionLocation);
        }
        return definition;
    }

    /** Cluster health at least yellow; {@code GET /} answers 405 on the integ-test distribution, so no ping(). */
    void checkReachable() throws IOException {
        health("/_cluster/health", "5s");
    }

    boolean aliasExists() throws IOException {
        return found(new Request("HEAD", "/_alias/" + alias));
    }

    /** The concrete indices the alias points at (one, normally); empty when the alias does not exist. */
    Set<String> aliasedIndices() throws IOException {
        if (!aliasExists()) {
            return new TreeSet<>();
        }
        Set<String> names = new TreeSet<>();
        try {
            json(new Request("GET", "/_alias/" + alias)).propertyNames().forEach(names::add);
        } catch (ElasticsearchRefused e) {
            // Removed since aliasExists(): no index.
            if (e.status() != 404) {
                throw e;
            }
        }
        return names;
    }

    /**
     * Creates the first index and the alias if the alias is missing. A PostgreSQL advisory lock keeps
     * two processes starting at once from creating two indices behind one alias (writes would fail).
     * When the alias exists, adds the definition's new fields to its index ({@link #addNewFields}).
     */
    void ensure(Connection c) throws SQLException, IOException {
        if (aliasExists()) {
            addNewFields();
            return;
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                ps.setString(1, "nomad-search:alias:" + alias);
                ps.execute();
            }
            if (!aliasExists()) {
                String index = create(false, true, Set.of());
                log.log(System.Logger.Level.INFO, "Created index {0} behind alias {1}", index, alias);
            }
            c.commit();
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * Creates a new concrete index from the definition.
     *
     * @param forBulkLoad no refresh and no replicas until {@link #finishBulkLoad}
     * @param withAlias   add the alias in the same call (only when the alias does not exist yet)
     * @param taken       names not to use although no such index exists (those of earlier reindex runs)
     */
    String create(boolean forBulkLoad, boolean withAlias, Set<String> taken) throws IOException {
        IndexDefinition def = definition();
        ZonedDateTime stamp = ZonedDateTime.now(ZoneOffset.UTC);
        for (int attempt = 0; ; attempt++) {
            String name = alias + "-" + def.version() + "-" + STAMP.format(stamp.plusSeconds(attempt));
            if (taken.contains(name)) {
                continue;
            }
            String body = def.body(forBulkLoad, withAlias ? alias : null);
            try {
                send("PUT", "/" + name, body);
                return name;
            } catch (ElasticsearchRefused e) {
                // Two indices created within one second: take the next second's name.
                if (!"resource_already_exists_exception".equals(e.type()) || attempt >= 30) {
                    throw e;
                }
            }
        }
    }

    /**
     * Puts the definition's mappings onto the alias's index, so a field added to the definition
     * (the mapping is strict) can be written without a reindex: Elasticsearch adds new fields and
     * refuses changed ones. A refusal is logged, not thrown: documents still index as long as they
     * carry no refused field, and a reindex builds an index from the new definition.
     */
    void addNewFields() throws IOException {
        try {
            send("PUT", "/" + alias + "/_mapping", Json.MAPPER.writeValueAsString(definition().json().get("mappings")));
        } catch (ElasticsearchRefused e) {
            log.log(System.Logger.Level.WARNING, "The index behind {0} does not take the mappings of {1} ({2}); "
                    + "run a reindex to build an index from the definition", alias, definition().location(), e.getMessage());
        }
    }

    /** Restores the definition's refresh interval and replicas, and refreshes so searches see everything. */
    void finishBulkLoad(String index) throws IOException {
        IndexDefinition def = definition();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putObject("index")
                .put("refresh_interval", def.refreshInterval())
                .put("number_of_replicas", def.numberOfReplicas())
                .put("translog.durability", def.translogDurability());
        send("PUT", "/" + index + "/_settings", Json.MAPPER.writeValueAsString(body));
        refresh(index);
        health("/_cluster/health/" + index, "60s");
    }

    /**
     * Points the alias at {@code index} in one {@code _aliases} call (remove the old ones, add the
     * new one), so every search sees either the old or the new index, never none.
     *
     * @return the indices the alias pointed at before
     */
    Set<String> swap(String index) throws IOException {
        Set<String> old = aliasedIndices();
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode actions = body.putArray("actions");
        for (String o : old) {
            if (!o.equals(index)) {
                actions.addObject().putObject("remove").put("index", o).put("alias", alias);
            }
        }
        actions.addObject().putObject("add").put("index", index).put("alias", alias);
        send("POST", "/_aliases", Json.MAPPER.writeValueAsString(body));
        old.remove(index);
        return old;
    }

    /**
     * Deletes this alias's concrete indices that the alias does not point at, keeping the newest
     * {@code keep} and those in {@code protect} (indices of unfinished reindex runs).
     */
    List<String> deleteOld(int keep, Collection<String> protect) throws IOException {
        Set<String> aliased = aliasedIndices();
        TreeSet<String> candidates = new TreeSet<>();
        for (String name : concreteIndices()) {
            if (!aliased.contains(name) && !protect.contains(name)) {
                candidates.add(name);
            }
        }
        List<String> deleted = new ArrayList<>();
        // Names end with the creation time, so the last ones in name order are the newest.
        while (candidates.size() > keep) {
            String oldest = candidates.pollFirst();
            send("DELETE", "/" + oldest, null);
            deleted.add(oldest);
        }
        return deleted;
    }

    /** The concrete indices named after this alias (whether the alias points at them or not). */
    Set<String> concreteIndices() throws IOException {
        Set<String> names = new TreeSet<>();
        for (JsonNode i : json(new Request("GET", "/_resolve/index/" + alias + "-v*")).path("indices")) {
            String name = i.path("name").asString();
            if (concreteName.matcher(name).matches()) {
                names.add(name);
            }
        }
        return names;
    }

    boolean exists(String index) throws IOException {
        return found(new Request("HEAD", "/" + index));
    }

    void delete(String index) throws IOException {
        if (exists(index)) {
            send("DELETE", "/" + index, null);
        }
    }

    void refresh(String target) throws IOException {
        send("POST", "/" + target + "/_refresh", null);
    }

    /** Waits for yellow; an answer that timed out before reaching it is a failure. */
    private void health(String path, String timeout) throws IOException {
        Request request = new Request("GET", path);
        request.addParameter("wait_for_status", "yellow");
        request.addParameter("timeout", timeout);
        JsonNode health = json(request);
        if (health.path("timed_out").asBoolean(false)) {
            throw new IOException("Elasticsearch is not ready: cluster health " + health.path("status").asString("unknown")
                    + " after " + timeout);
        }
    }

    /** True for 2xx, false for 404; anything else fails. */
    private boolean found(Request request) throws IOException {
        try {
            Elasticsearch.ok(rest, request);
            return true;
        } catch (ElasticsearchRefused e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    private void send(String method, String path, String body) throws IOException {
        Request request = new Request(method, path);
        if (body != null) {
            request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        }
        Response response = Elasticsearch.ok(rest, request);
        if (response.getEntity() != null) {
            response.getEntity().close();
        }
    }

    private JsonNode json(Request request) throws IOException {
        Response response = Elasticsearch.ok(rest, request);
        try (InputStream in = response.getEntity().getContent()) {
            return Json.MAPPER.readTree(in);
        }
    }
}
