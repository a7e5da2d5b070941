package io.nomadstays.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ConsistencyCheckIntegrationTests extends IndexerIntegrationTest {

    @Test
    void findsMissingExtraAndStaleDocumentsAndRepairsThem() throws Exception {
        UUID operator = listings.operator("check");
        UUID property = listings.property(operator, Listings.Place.canggu());
        List<Listings.Stay> stays = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            stays.add(Listings.Stay.room("Room " + i, "USD", 1_000L + i, null));
        }
        List<UUID> units = listings.units(operator, property, stays);
        OutboxIndexer live = indexer(settings, ES);
        live.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingEvents() == 0);
        live.stop(Duration.ofSeconds(10));

        ConsistencyCheck check = new ConsistencyCheck(DATA_SOURCE, ES, settings);
        ConsistencyCheck.Report clean = check.check();
        assertThat(clean.consistent()).as(clean.toString()).isTrue();

        UUID missing = units.get(3);
        ES.delete(d -> d.index(alias).id(missing.toString()));
        UUID extra = UUID.randomUUID();
        ObjectNode copy = (ObjectNode) document(units.get(0));
        copy.put("unit_id", extra.toString());
        ES.index(i -> i.index(alias).id(extra.toString())
                .document(BinaryData.of(Json.MAPPER.writeValueAsBytes(copy), ContentType.APPLICATION_JSON)));
        UUID stale = units.get(7);
        execute("UPDATE unit SET name = 'Renamed without an event' WHERE id = '" + stale + "'");
        UUID changing = units.get(9);
        listings.price(changing, "USD", 5_000L, null);
        ES.indices().refresh(r -> r.index(alias));

        ConsistencyCheck.Report report = check.check();

        assertThat(report.published()).isEqualTo(12);
        assertThat(report.documents()).isEqualTo(12);
        assertThat(report.missing().examples()).containsExactly(missing.toString());
        assertThat(report.extra().examples()).containsExactly(extra.toString());
        assertThat(report.stale().examples()).containsExactly(stale.toString());
        assertThat(report.pending()).isEqualTo(1);
        assertThat(report.consistent()).isFalse();
        assertThat(report.toString()).contains("missing: 1", "extra:   1", "stale:   1", "NOT consistent");

        assertThat(check.repair(report)).isEqualTo(3);

        ConsistencyCheck.Report after = check.check();
        assertThat(after.consistent()).as(after.toString()).isTrue();
        assertThat(after.pending()).isZero();
        assertThat(document(missing)).isNotNull();
        assertThat(document(extra)).isNull();
        assertThat(document(stale).get("display").get("unit").get("name").asString()).isEqualTo("Renamed without an event");
        assertThat(document(changing).get("nightly_price").asLong()).isEqualTo(5_000L);
    }
}
