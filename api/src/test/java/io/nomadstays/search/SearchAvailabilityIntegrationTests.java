package io.nomadstays.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.nomadstays.indexing.IndexingProperties;
import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Bookings, blocks, cancellations and expiries reach search through the outbox: a unit taken for
 * some nights drops out of searches for those dates (and only those), flexible-date searches move
 * its earliest check-in, and it comes back when the dates are freed.
 */
class SearchAvailabilityIntegrationTests extends IntegrationTest {

    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(10);
    private static final String SEARCH = """
            query($filter: StaySearchInput!) { searchStays(filter: $filter) {
              totalCount edges { node { id unit { name } earliestCheckIn priceForDates { total { amount } } } } } }""";

    @Autowired
    ElasticsearchClient elasticsearch;

    @Autowired
    IndexingProperties indexing;

    @Autowired
    DatabaseCurrencyRates rates;

    private Fixtures.Ref room;
    private Fixtures.Ref other;
    private String manager;
    private LocalDate today;

    @BeforeEach
    void listing() {
        new TestStays(elasticsearch, indexing.alias()).reset();
        rates.reload().block();
        var operator = fixtures.operator("avail-op");
        var property = fixtures.property(operator, "Avail House");
        manager = fixtures.staff(operator, "MANAGER");
        room = fixtures.unit(operator, property, "Room A", false);
        other = fixtures.unit(operator, property, "Room B", false);
        for (var unit : List.of(room, other)) {
            assertThat(post(manager, "mutation($id: ID!) { publishUnit(input: {unitId: $id}) { userErrors { code } } }", Map.of("id", unit.id())).toString())
                    .contains("userErrors=[]");
        }
        today = LocalDate.now(ZoneId.of("Asia/Makassar"));
        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> assertThat(names(Map.of("city", "Canggu"))).hasSize(2));
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> hits(Map<String, Object> filter) {
        Map<String, Object> response = post(null, SEARCH, Map.of("filter", filter));
        assertThat(response.get("errors")).isNull();
        var result = (Map<String, Object>) ((Map<String, Object>) response.get("data")).get("searchStays");
        return ((List<Map<String, Map<String, Object>>>) result.get("edges")).stream().map(e -> e.get("node")).toList();
    }

    /** Names of this test's units among the hits (other classes' documents may linger in the shared test index). */
    private List<Object> names(Map<String, Object> filter) {
        return hits(filter).stream().map(h -> (Object) ((Map<?, ?>) h.get("unit")).get("name"))
                .filter(name -> name.equals("Room A") || name.equals("Room B")).toList();
    }

    private Map<String, Object> dates(LocalDate in, LocalDate out) {
        return Map.of("city", "Canggu", "dates", Map.of("checkIn", in.toString(), "checkOut", out.toString()));
    }

    @SuppressWarnings("unchecked")
    private String book(LocalDate in, LocalDate out) {
        Map<String, Object> input = new HashMap<>(Map.of("unitId", room.id(), "checkIn", in.toString(), "checkOut", out.toString()));
        Map<String, Object> response = post("test:searcher", "mutation($input: CreateBookingInput!) { createBooking(input: $input) { booking { id } userErrors { code } } }",
                Map.of("input", input));
        var payload = (Map<String, Object>) ((Map<String, Object>) response.get("data")).get("createBooking");
        assertThat((List<?>) payload.get("userErrors")).isEmpty();
        return (String) ((Map<String, Object>) payload.get("booking")).get("id");
    }

    @Test
    void aBookingHidesTheUnitForItsNightsOnlyUntilCancelled() {
        LocalDate in = today.plusDays(10);
        String booking = book(in, in.plusDays(5));
        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> assertThat(names(dates(in.plusDays(2), in.plusDays(8)))).containsExactly("Room B"));
        assertThat(names(dates(in.minusDays(3), in))).as("the nights before").containsExactlyInAnyOrder("Room A", "Room B");
        assertThat(names(dates(in.plusDays(5), in.plusDays(7)))).as("from check-out on").containsExactlyInAnyOrder("Room A", "Room B");

        // Flexible: start within [in, in + 3] for 4 nights: Room A only fits from its check-out.
        var flexible = hits(Map.of("city", "Canggu", "flexibleDates", Map.of("earliestCheckIn", in.toString(),
                "latestCheckIn", in.plusDays(6).toString(), "nights", 4)));
        assertThat(flexible).filteredOn(h -> "Room A".equals(((Map<?, ?>) h.get("unit")).get("name")))
                .singleElement().satisfies(h -> assertThat(h.get("earliestCheckIn")).isEqualTo(in.plusDays(5).toString()));

        assertThat(post("test:searcher", "mutation($id: ID!) { cancelBooking(input: {bookingId: $id}) { userErrors { code } } }", Map.of("id", booking))
                .toString()).contains("userErrors=[]");
        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> assertThat(names(dates(in.plusDays(2), in.plusDays(8)))).hasSize(2));
    }

    @Test
    void blockedDatesAreHiddenAndComeBackWhenUnblocked() {
        LocalDate from = today.plusDays(20);
        var block = post(manager, "mutation($input: BlockDatesInput!) { blockDates(input: $input) { block { id } userErrors { code } } }",
                Map.of("input", Map.of("unitId", room.id(), "from", from.toString(), "to", from.plusDays(3).toString())));
        assertThat(block.toString()).contains("userErrors=[]");
        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> assertThat(names(dates(from.plusDays(2), from.plusDays(4)))).containsExactly("Room B"));
        String blockId = block.toString().replaceAll(".*block=\\{id=([^}]+)}.*", "$1");
        assertThat(post(manager, "mutation($id: ID!) { unblockDates(input: {blockId: $id}) { userErrors { code } } }", Map.of("id", blockId)).toString())
                .contains("userErrors=[]");
        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> assertThat(names(dates(from.plusDays(2), from.plusDays(4)))).hasSize(2));
    }
}
