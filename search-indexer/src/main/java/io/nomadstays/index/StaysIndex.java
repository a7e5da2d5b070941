package io.nomadstays.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.elasticsearch.indices.TranslogDurability;
import co.elastic.clients.elasticsearch.indices.update_aliases.Action;
import java.io.IOException;
import java.io.StringReader;
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

/**
 * The alias and its concrete indices: {@code <alias>-<version>-<yyyyMMddHHmmss>} created from the
 * {@link IndexDefinition}, the alias pointing at exactly one of them (so writes through the alias
 * go to that index), swapped atomically by a full reindex.
 */
final class StaysIndex {

    private static final System.Logger log = System.getLogger(StaysIndex.class.getName());
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final ElasticsearchClient es;
    private final String alias;
    private final String definitionLocation;
    private final Pattern concreteName;
    private volatile IndexDefinition definition;

    StaysIndex(ElasticsearchClient es, SearchSettings settings) {
        this.es = es;
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
        es.cluster().health(h -> h.waitForStatus(HealthStatus.Yellow).timeout(t -> t.time("5s")));
    }

    boolean aliasExists() throws IOException {
        return es.indices().existsAlias(e -> e.name(alias)).value();
    }

    /** The concrete indices the alias points at (one, normally); empty when the alias does not exist. */
    Set<String> aliasedIndices() throws IOException {
        if (!aliasExists()) {
            return new TreeSet<>();
        }
        return new TreeSet<>(es.indices().getAlias(g -> g.name(alias)).aliases().keySet());
    }

    /**
     * Creates the first index and the alias if the alias is missing. A PostgreSQL advisory lock keeps
     * two processes starting at once from creating two indices behind one alias (writes would fail).
     */
    void ensure(Connection c) throws SQLException, IOException {
        if (aliasExists()) {
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
                es.indices().create(c -> c.index(name).withJson(new StringReader(body)));
                return name;
            } catch (ElasticsearchException e) {
                // Two indices created within one second: take the next second's name.
                if (!"resource_already_exists_exception".equals(e.error().type()) || attempt >= 30) {
                    throw e;
                }
            }
        }
    }

    /** Restores the definition's refresh interval and replicas, and refreshes so searches see everything. */
    void finishBulkLoad(String index) throws IOException {
        IndexDefinition def = definition();
        es.indices().putSettings(p -> p.index(index).settings(s -> s.refreshInterval(t -> t.time(def.refreshInterval()))
                .numberOfReplicas(def.numberOfReplicas())
                .translog(t -> t.durability(TranslogDurability.valueOf(capitalized(def.translogDurability()))))));
        es.indices().refresh(r -> r.index(index));
        es.cluster().health(h -> h.index(index).waitForStatus(HealthStatus.Yellow).timeout(t -> t.time("60s")));
    }

    private static String capitalized(String value) {
        return value.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + value.substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Points the alias at {@code index} in one {@code _aliases} call (remove the old ones, add the
     * new one), so every search sees either the old or the new index, never none.
     *
     * @return the indices the alias pointed at before
     */
    Set<String> swap(String index) throws IOException {
        Set<String> old = aliasedIndices();
        List<Action> actions = new ArrayList<>();
        for (String o : old) {
            if (!o.equals(index)) {
                actions.add(Action.of(a -> a.remove(r -> r.index(o).alias(alias))));
            }
        }
        actions.add(Action.of(a -> a.add(ad -> ad.index(index).alias(alias))));
        es.indices().updateAliases(u -> u.actions(actions));
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
            es.indices().delete(d -> d.index(oldest));
            deleted.add(oldest);
        }
        return deleted;
    }

    /** The concrete indices named after this alias (whether the alias points at them or not). */
    Set<String> concreteIndices() throws IOException {
        Set<String> names = new TreeSet<>();
        es.indices().resolveIndex(r -> r.name(alias + "-v*")).indices().forEach(i -> {
            if (concreteName.matcher(i.name()).matches()) {
                names.add(i.name());
            }
        });
        return names;
    }

    boolean exists(String index) throws IOException {
        return es.indices().exists(e -> e.index(index)).value();
    }

    void delete(String index) throws IOException {
        if (exists(index)) {
            es.indices().delete(d -> d.index(index));
        }
    }

    void refresh(String target) throws IOException {
        es.indices().refresh(r -> r.index(target));
    }
}
