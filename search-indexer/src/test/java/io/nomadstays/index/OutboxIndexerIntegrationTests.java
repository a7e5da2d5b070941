package io.nomadstays.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class OutboxIndexerIntegrationTests extends IndexerIntegrationTest {

    private UUID operator;
    private UUID property;

    private UUID publishedRoom(String name, long nightly) throws Exception {
        if (operator == null) {
            operator = listings.operator("op-" + UUID.randomUUID().toString().substring(0, 8));
            property = listings.property(operator, Listings.Place.canggu());
        }
        return listings.unit(operator, property, Listings.Stay.room(name, "USD", nightly, null));
    }

    private OutboxIndexer started(SearchSettings s) {
        OutboxIndexer indexer = indexer(s, ES);
        indexer.start();
        return indexer;
    }

    @Test
    void unpublishingDeletesTheDocument() throws Exception {
        UUID unit = publishedRoom("Room", 2_500);
        started(settings);
        await().atMost(Duration.ofSeconds(10)).until(() -> document(unit) != null);

        listings.unpublish(unit);

        await().atMost(Duration.ofSeconds(10)).until(() -> document(unit) == null);
        // The document goes before the indexer commits its events as processed: wait for the commit too.
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingEvents() == 0);
    }

    @Test
    void aPriceChangeIsIndexedWithANewerVersion() throws Exception {
        UUID unit = publishedRoom("Room", 2_500);
        started(settings);
        await().atMost(Duration.ofSeconds(10)).until(() -> document(unit) != null);
        long before = version(unit);

        listings.price(unit, "EUR", 3_000L, 60_000L);

        await().atMost(Duration.ofSeconds(10)).until(() -> document(unit).get("nightly_price").asLong() == 3_000L);
        assertThat(document(unit).get("currency").asString()).isEqualTo("EUR");
        assertThat(document(unit).get("nightly_usd").asLong()).isEqualTo(3_480L);
        assertThat(version(unit)).isGreaterThan(before);
    }

    @Test
    void aPropertyChangeReachesEveryPublishedUnitOfTheProperty() throws Exception {
        UUID a = publishedRoom("A", 1_000);
        UUID b = publishedRoom("B", 2_000);
        UUID draft = listings.unit(operator, property, Listings.Stay.room("Draft", "USD", 1_000L, null).draft());
        started(settings);
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingEvents() == 0);

        listings.renameProperty(property, "Renamed House");

        await().atMost(Duration.ofSeconds(10)).until(() ->
                document(a).get("display").get("property").get("name").asString().equals("Renamed House")
                        && document(b).get("display").get("property").get("name").asString().equals("Renamed House"));
        assertThat(document(draft)).isNull();
    }

    @Test
    void aStaleWriteOrAReplayedEventCannotUndoANewerDocument() throws Exception {
        UUID unit = publishedRoom("Room", 1_000);
        OutboxIndexer indexer = started(settings);
        await().atMost(Duration.ofSeconds(10)).until(() -> document(unit) != null);

        // A slow writer read the unit now, at price 1,000...
        long staleVersion = version(unit);
        ObjectNode stale;
        try (Connection c = DATA_SOURCE.getConnection()) {
            stale = StayDocuments.build(c, List.of(unit)).get(unit);
        }
        long firstEvent = count("SELECT min(id) FROM outbox_event");
        // ...then the price changes and the indexer writes it...
        listings.price(unit, "USD", 2_000L, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> document(unit).get("nightly_price").asLong() == 2_000L);
        long newest = version(unit);

        // ...and the slow writer's document arrives late: refused as a conflict, which counts as success.
        DocumentWriter.Outcome late = new DocumentWriter(ES).bulk(alias, true,
                new DocumentWriter.Bulk().add(unit, staleVersion, Json.MAPPER.writeValueAsBytes(stale)));
        assertThat(late.conflicts()).isEqualTo(1);
        assertThat(late.failed()).isEmpty();

        // The old event processed again, after the newer one.
        long conflictsBefore = indexer.status().versionConflicts();
        execute("UPDATE outbox_event SET processed_at = NULL WHERE id = " + firstEvent);
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingEvents() == 0);
        // Every event replayed twice.
        execute("UPDATE outbox_event SET processed_at = NULL");
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingEvents() == 0);

        assertThat(indexer.status().versionConflicts()).isGreaterThanOrEqualTo(conflictsBefore + 2);
        assertThat(document(unit).get("nightly_price").asLong()).isEqualTo(2_000L);
        assertThat(version(unit)).isEqualTo(newest);
    }

    @Test
    void twoIndexersProcessEveryEventExactlyOnce() throws Exception {
        operator = listings.operator("busy");
        property = listings.property(operator, Listings.Place.dali());
        List<Listings.Stay> stays = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            stays.add(Listings.Stay.room("Room " + i, "IDR", 10_000_000L + i, null));
        }
        List<UUID> units = listings.units(operator, property, stays);
        for (int i = 0; i < 20; i++) {
            listings.price(units.get(i), "IDR", 20_000_000L, null);
        }
        listings.renameProperty(property, "Busy House");
        long events = count("SELECT count(*) FROM outbox_event");

        SearchSettings small = settings.withIndexer(2, 25, Duration.ofMillis(10));
        ConcurrentLinkedQueue<Long> processed = new ConcurrentLinkedQueue<>();
        OutboxIndexer first = indexer(small, ES);
        OutboxIndexer second = indexer(small, ES);
        first.onCommitted = processed::addAll;
        second.onCommitted = processed::addAll;
        first.start();
        second.start();

        // An indexer reports its batch just after committing it: wait for both.
        await().atMost(Duration.ofSeconds(60)).until(() -> pendingEvents() == 0 && processed.size() >= events);
        assertThat(processed).hasSize((int) events);
        assertThat(new HashSet<>(processed)).hasSize((int) events);
        assertThat(first.status().eventsProcessed() + second.status().eventsProcessed()).isEqualTo(events);
        assertThat(first.status().eventsProcessed()).isPositive();
        assertThat(second.status().eventsProcessed()).isPositive();
        assertThat(searchCount()).isEqualTo(600);
        assertThat(document(units.get(0)).get("nightly_price").asLong()).isEqualTo(20_000_000L);
        assertThat(document(units.get(599)).get("display").get("property").get("name").asString()).isEqualTo("Busy House");
    }

    @Test
    void eventsWaitWhileElasticsearchIsUnreachableAndAreIndexedWhenItIsBack() throws Exception {
        try (Connection c = DATA_SOURCE.getConnection()) {
            new StaysIndex(ES, settings).ensure(c);
        }
        UUID unit = publishedRoom("Room", 2_500);
        // A closed port: connection refused, as from a cluster that is down.
        TcpProxy proxy = closeAfter(new TcpProxy(SERVICES.esUrl()));
        ElasticsearchClient viaProxy = Elasticsearch.connect(proxy.url(), null);
        closeAfter(viaProxy._transport());
        OutboxIndexer indexer = indexer(settings, viaProxy);
        indexer.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> indexer.status().failures() >= 3);
        OutboxIndexer.Status down = indexer.status();
        assertThat(down.healthy()).isFalse();
        assertThat(down.lastError()).isNotBlank();
        assertThat(down.eventsProcessed()).isZero();
        assertThat(pendingEvents()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> indexer.status().lag().toMillis() > 0);
        assertThat(document(unit)).isNull();

        // Writes go on while Elasticsearch is down: a new price, a second unit published and then unpublished,
        // a third published, a property renamed.
        listings.price(unit, "USD", 2_700L, null);
        UUID gone = publishedRoom("Gone", 1_000);
        listings.unpublish(gone);
        UUID added = publishedRoom("Added", 1_900);
        listings.renameProperty(property, "Renamed while down");
        assertThat(pendingEvents()).isGreaterThan(4);
        assertThat(indexer.status().eventsProcessed()).isZero();

        proxy.open();

        await().atMost(Duration.ofSeconds(15)).until(() -> pendingEvents() == 0);
        assertThat(document(unit).get("nightly_price").asLong()).isEqualTo(2_700L);
        assertThat(document(added).get("nightly_price").asLong()).isEqualTo(1_900L);
        assertThat(document(gone)).isNull();
        assertThat(indexer.status().healthy()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> indexer.status().lag().isZero());
        // The index has converged: every published unit, as PostgreSQL has it now, and nothing else.
        ConsistencyCheck.Report report = new ConsistencyCheck(DATA_SOURCE, ES, settings).check();
        assertThat(report.consistent()).as(report.toString()).isTrue();
        assertThat(report.documents()).isEqualTo(2);
    }

    @Test
    void aRefusedDocumentIsRetriedWithoutHoldingUpTheOthers(@TempDir Path dir) throws Exception {
        // A definition whose max_stay_nights is a byte: the index refuses 180, accepts 30.
        Path definition = dir.resolve("stays-v1-tiny.json");
        String json = new String(getClass().getResourceAsStream("/search/stays-v1.json").readAllBytes(), StandardCharsets.UTF_8);
        Files.writeString(definition, json.replaceFirst(
                "(\"max_stay_nights\"\\s*:\\s*\\{\\s*\"type\"\\s*:\\s*)\"integer\"", "$1\"byte\""));
        SearchSettings tiny = settings.withDefinition("file:" + definition);
        UUID refused = publishedRoom("Long stays", 1_000);
        UUID fine = listings.unit(operator, property, new Listings.Stay("Short stays", "", "PRIVATE_ROOM", "NIGHT", 1, 30,
                List.of(), true, "USD", null, 1_000L, null, null, null));
        OutboxIndexer indexer = indexer(tiny, ES);
        indexer.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> document(fine) != null && indexer.status().retryingEvents() == 1);
        assertThat(document(refused)).isNull();
        assertThat(indexer.status().lastError()).contains(refused.toString());
        assertThat(count("SELECT attempts FROM outbox_event WHERE aggregate_id = '" + refused + "'")).isPositive();
        // Meanwhile other changes go through at once.
        listings.price(fine, "USD", 1_500L, null);
        await().atMost(Duration.ofSeconds(5)).until(() -> document(fine).get("nightly_price").asLong() == 1_500L);

        // The operator fixes the unit: the document is accepted and the old event, retried, is a harmless conflict.
        try (Connection c = DATA_SOURCE.getConnection()) {
            c.createStatement().execute("UPDATE unit SET max_stay = 90 WHERE id = '" + refused + "'");
        }
        listings.price(refused, "USD", 1_100L, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> document(refused) != null && pendingEvents() == 0);
        assertThat(document(refused).get("max_stay_nights").asInt()).isEqualTo(90);
        await().atMost(Duration.ofSeconds(5)).until(() -> indexer.status().retryingEvents() == 0);
    }

    @Test
    void aTruncateOfAllTablesWaitsForTheIndexerInsteadOfDeadlocking() throws Exception {
        indexer(settings.withIndexer(2, 20, Duration.ofMillis(1)), ES).start();
        for (int round = 0; round < 15; round++) {
            UUID op = listings.operator("round-" + round);
            UUID place = listings.property(op, Listings.Place.canggu());
            List<Listings.Stay> stays = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                stays.add(Listings.Stay.room("Room " + i, "USD", 1_000L, null));
            }
            listings.units(op, place, stays);
            // The api tests' clean-up, in the same order: it used to deadlock with a batch now and then.
            execute("""
                    TRUNCATE app_user, operator, staff_membership, property, unit, unit_pricing, unit_long_stay_discount,
                             speed_test, outbox_event RESTART IDENTITY CASCADE""");
        }
    }

    @Test
    void processedEventsArePrunedAfterTheRetentionUnlessAReindexStillNeedsThem() throws Exception {
        publishedRoom("Old", 1_000);
        execute("""
                INSERT INTO search_reindex_run (alias, index_name, snapshot_txid, status)
                VALUES ('%s', '%s-v1-20000101000000', pg_current_xact_id(), 'RUNNING')""".formatted(alias, alias));
        UUID kept = publishedRoom("Needed by the reindex", 2_000);
        OutboxIndexer indexer = started(settings.withRetention(Duration.ZERO, Duration.ZERO));

        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM outbox_event") == 1);
        assertThat(count("SELECT count(*) FROM outbox_event WHERE aggregate_id = '" + kept + "'")).isEqualTo(1);
        assertThat(indexer.status().eventsProcessed()).isEqualTo(2);
    }
}
