package io.nomadstays.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import co.elastic.clients.json.JsonData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReindexerIntegrationTests extends IndexerIntegrationTest {

    private List<UUID> units(int count) throws Exception {
        UUID operator = listings.operator("many");
        UUID property = listings.property(operator, Listings.Place.dali());
        List<Listings.Stay> stays = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            stays.add(Listings.Stay.room("Room " + i, "IDR", 10_000_000L + i, null));
        }
        return listings.units(operator, property, stays);
    }

    private Reindexer reindexer(int batchSize) {
        Reindexer reindexer = new Reindexer(DATA_SOURCE, ES, settings.withReindex(batchSize, 2, 0));
        reindexer.progressBar = false;
        return reindexer;
    }

    @Test
    void swapsTheAliasWithoutAFailedOrEmptySearchAndLosesNoUpdate() throws Exception {
        List<UUID> units = units(3_000);
        OutboxIndexer live = indexer(settings, ES);
        live.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> pendingEvents() == 0);
        Set<String> before = new StaysIndex(ES, settings).aliasedIndices();
        assertThat(searchCount()).isEqualTo(3_000);

        AtomicBoolean done = new AtomicBoolean();
        AtomicLong searches = new AtomicLong();
        AtomicLong empty = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread searcher = new Thread(() -> {
            while (!done.get()) {
                try {
                    long hits = ES.search(s -> s.index(alias).size(0).trackTotalHits(t -> t.enabled(true)), JsonData.class)
                            .hits().total().value();
                    searches.incrementAndGet();
                    if (hits == 0) {
                        empty.incrementAndGet();
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }
        });
        // Operators keep changing prices while the new index is built.
        Thread operators = new Thread(() -> {
            try {
                for (int i = 0; i < 50; i++) {
                    listings.price(units.get(i * 60), "IDR", 99_000_000L, null);
                }
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        });
        searcher.start();
        operators.start();
        Reindexer.Result result = reindexer(500).run(false);
        operators.join();
        done.set(true);
        searcher.join();

        assertThat(failure.get()).isNull();
        assertThat(empty.get()).isZero();
        assertThat(searches.get()).isGreaterThan(10);
        assertThat(result.units()).isEqualTo(3_000);
        assertThat(result.previous()).isEqualTo(before);
        StaysIndex index = new StaysIndex(ES, settings);
        assertThat(index.aliasedIndices()).containsExactly(result.index());
        assertThat(index.concreteIndices()).containsExactly(result.index());
        // The bulk-load settings are gone: the definition's refresh interval and replicas, durable translog.
        var restored = ES.indices().getSettings(g -> g.index(result.index())).get(result.index()).settings().index();
        assertThat(restored.refreshInterval().time()).isEqualTo("1s");
        assertThat(restored.numberOfReplicas()).isEqualTo("0");
        assertThat(restored.translog().durability().jsonValue()).isEqualTo("request");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (int i = 0; i < 50; i++) {
                if (document(units.get(i * 60)).get("nightly_price").asLong() != 99_000_000L) {
                    return false;
                }
            }
            return true;
        });
        assertThat(searchCount()).isEqualTo(3_000);
    }

    @Test
    void anInterruptedReindexResumesWhereItStopped() throws Exception {
        units(2_000);
        Reindexer crashing = reindexer(200);
        crashing.afterBatch = n -> {
            if (n == 3) {
                throw new IllegalStateException("crash after 3 batches");
            }
        };
        assertThatThrownBy(() -> crashing.run(false)).hasMessage("crash after 3 batches");
        Run crashed = run();
        assertThat(crashed.status()).isEqualTo("RUNNING");
        assertThat(crashed.unitsIndexed()).isEqualTo(600);
        assertThat(crashed.lastUnitId()).isNotNull();

        Reindexer.Result result = reindexer(200).run(false);

        assertThat(result.resumed()).isTrue();
        assertThat(result.index()).isEqualTo(crashed.index());
        assertThat(result.units()).isEqualTo(1_400);
        assertThat(run().status()).isEqualTo("DONE");
        assertThat(run().unitsIndexed()).isEqualTo(2_000);
        assertThat(searchCount()).isEqualTo(2_000);
    }

    @Test
    void freshStartsOverAndDropsTheCrashedRun() throws Exception {
        units(500);
        Reindexer crashing = reindexer(100);
        crashing.afterBatch = n -> {
            throw new IllegalStateException("crash");
        };
        assertThatThrownBy(() -> crashing.run(false)).hasMessage("crash");
        String crashedIndex = run().index();

        Reindexer.Result result = reindexer(100).run(true);

        assertThat(result.resumed()).isFalse();
        assertThat(result.index()).isNotEqualTo(crashedIndex);
        assertThat(new StaysIndex(ES, settings).exists(crashedIndex)).isFalse();
        assertThat(count("SELECT count(*) FROM search_reindex_run WHERE status = 'ABANDONED'")).isEqualTo(1);
        assertThat(searchCount()).isEqualTo(500);
    }

    @Test
    void onlyOneReindexOfAnAliasRunsAtATime() throws Exception {
        try (Connection other = DATA_SOURCE.getConnection();
             PreparedStatement ps = other.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
            ps.setString(1, "nomad-search:reindex:" + alias);
            ps.execute();
            assertThatThrownBy(() -> reindexer(100).run(false)).hasMessageContaining("Another reindex");
        }
    }

    private record Run(String index, String status, long unitsIndexed, UUID lastUnitId) {
    }

    /** The newest run of this test's alias. */
    private Run run() throws Exception {
        try (Connection c = DATA_SOURCE.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT index_name, status, units_indexed, last_unit_id FROM search_reindex_run
                      WHERE alias = ? ORDER BY id DESC LIMIT 1""")) {
            ps.setString(1, alias);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Run(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getObject(4, UUID.class));
            }
        }
    }

    @Test
    void twoIndicesCreatedInOneSecondGetDifferentNames() throws Exception {
        StaysIndex index = new StaysIndex(ES, settings);
        String first = index.create(true, false, Set.of());
        String second = index.create(true, false, Set.of());
        String third = index.create(true, false, Set.of(first.substring(0, first.length() - 14) + "99991231235959"));
        try {
            assertThat(List.of(first, second, third)).doesNotHaveDuplicates();
            assertThat(index.exists(second)).isTrue();
            assertThat(index.concreteIndices()).contains(first, second, third);
        } finally {
            index.delete(first);
            index.delete(second);
            index.delete(third);
        }
        assertThat(index.exists(first)).isFalse();
    }
}
