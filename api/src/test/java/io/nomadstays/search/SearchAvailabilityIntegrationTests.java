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
    private static final String QUOTE = """
            query($unit: ID!, $in: Date, $out: Date, $guests: Int) {
              quote(unitId: $unit, checkIn: $in, checkOut: $out, guests: $guests) { total { amount } } }""";

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
            publish(manager, unit);
        }
        today = LocalDate.now(ZoneId.of("Asia/Makassar"));
        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> assertThat(names(Map.of("city", "Canggu"))).hasSize(2));
    }

    private void publish(String staff, Fixtures.Ref unit) {
        assertThat(post(staff, "mutation($id: ID!) { publishUnit(input: {unitId: $id}) { userErrors { code } } }", Map.of("id", unit.id())).toString())
                .contains("userErrors=[]");
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

    /**
     * For every combination of dates and guests, a unit is offered exactly when {@code quote} (the
     * booking's own rules and price) takes the stay, at the total the quote gives: per-person beds
     * priced per guest and needing a place each, units let by the month only for whole months,
     * units booked by the hour never for dates.
     */
    @Test
    @SuppressWarnings("unchecked")
    void searchOffersForDatesWhatABookingTakesAtTheBookingsPrice() {
        var operator = fixtures.operator("fit-op");
        var property = fixtures.property(operator, "Fit House");
        String staff = fixtures.staff(operator, "MANAGER");
        Map<String, Fixtures.Ref> units = Map.of(
                "Dorm bed", fixtures.unit(operator, property, "Dorm bed", false, "BED", 3, 4, "NIGHT"),
                "Monthly room", fixtures.unit(operator, property, "Monthly room", false, "PRIVATE_ROOM", 1, 2, "MONTH"),
                "Meeting room", fixtures.unit(operator, property, "Meeting room", false, "MEETING_ROOM", 1, 8, "HOUR"));
        db.sql("UPDATE unit_pricing SET hourly_rate = 1500 WHERE unit_id = :id").bind("id", units.get("Meeting room").uuid()).then().block();
        units.values().forEach(unit -> publish(staff, unit));
        Map<String, Object> mine = Map.of("operatorIds", List.of(operator.id()));
        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> assertThat(hits(mine)).hasSize(3));

        LocalDate in = today.plusDays(40);
        int offered = 0;
        for (LocalDate out : List.of(in.plusMonths(1), in.plusMonths(1).minusDays(1), in.plusDays(9))) {
            for (int guests : List.of(1, 2, 4)) {
                var found = hits(Map.of("operatorIds", List.of(operator.id()), "guests", guests,
                        "dates", Map.of("checkIn", in.toString(), "checkOut", out.toString())));
                for (var unit : units.entrySet()) {
                    var quoted = post(null, QUOTE, Map.of("unit", unit.getValue().id(), "in", in.toString(), "out", out.toString(), "guests", guests));
                    var quote = (Map<String, Object>) ((Map<String, Object>) quoted.get("data")).get("quote");
                    var hit = found.stream().filter(h -> unit.getKey().equals(((Map<?, ?>) h.get("unit")).get("name"))).findFirst();
                    String what = unit.getKey() + ", " + guests + " guests, " + in + " to " + out;
                    assertThat(hit.isPresent()).as("offered: %s (quote: %s)", what, quoted).isEqualTo(quote != null);
                    if (quote != null) {
                        offered++;
                        assertThat(((Map<String, Object>) hit.get().get("priceForDates")).get("total")).as(what).isEqualTo(quote.get("total"));
                    }
                }
            }
        }
        // Beds for 1 and 2 guests on all three date ranges, the monthly room for 1 and 2 guests on the whole month.
        assertThat(offered).isEqualTo(8);
    }

    /** A group needs as many free beds on every night: a dorm with fewer left is not offered to it, as createBooking refuses it. */
    @Test
    @SuppressWarnings("unchecked")
    void aDormWithFewBedsLeftIsOfferedOnlyToGuestsItCanTake() {
        var operator = fixtures.operator("dorm-op");
        var property = fixtures.property(operator, "Dorm House");
        String staff = fixtures.staff(operator, "MANAGER");
        var dorm = fixtures.unit(operator, property, "Six-bed dorm", false, "BED", 6, 6, "NIGHT");
        String book = "mutation($input: CreateBookingInput!) { createBooking(input: $input) { userErrors { code } } }";
        publish(staff, dorm);
        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> assertThat(hits(Map.of("operatorIds", List.of(operator.id())))).hasSize(1));
        LocalDate in = today.plusDays(20);
        // Four beds taken for nights 2-4 of the stay, one more for night 3.
        for (var stay : List.of(List.of(in.plusDays(2), in.plusDays(5), 4), List.of(in.plusDays(3), in.plusDays(4), 1))) {
            Map<String, Object> input = Map.of("unitId", dorm.id(), "checkIn", stay.get(0).toString(), "checkOut", stay.get(1).toString(),
                    "guests", stay.get(2));
            var booked = post("test:dorm-guest-" + stay.get(2), book, Map.of("input", input));
            assertThat(booked.toString()).contains("userErrors=[]");
        }
        java.util.function.BiFunction<Integer, LocalDate[], Boolean> offered = (guests, dates) -> hits(Map.of(
                "operatorIds", List.of(operator.id()), "guests", guests,
                "dates", Map.of("checkIn", dates[0].toString(), "checkOut", dates[1].toString()))).size() == 1;
        LocalDate[] stay = {in, in.plusDays(7)};
        // Both bookings indexed: one bed left on night 3 (in the index, the dorm without bookings is offered to 2).
        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> {
            assertThat(offered.apply(2, stay)).isFalse();
            assertThat(offered.apply(1, stay)).as("one bed is left on night 3").isTrue();
        });
        assertThat(offered.apply(2, new LocalDate[] {in.plusDays(4), in.plusDays(7)})).as("two are left from night 4").isTrue();
        assertThat(offered.apply(3, new LocalDate[] {in.plusDays(4), in.plusDays(7)})).isFalse();
        assertThat(offered.apply(6, new LocalDate[] {in.plusDays(5), in.plusDays(7)})).as("all six free after").isTrue();
        assertThat(offered.apply(6, new LocalDate[] {in, in.plusDays(2)})).as("and before").isTrue();

        // What search says is what createBooking does.
        Map<String, Object> group = Map.of("unitId", dorm.id(), "checkIn", in.toString(), "checkOut", in.plusDays(7).toString(), "guests", 2);
        assertThat(post("test:dorm-group", book, Map.of("input", group)).toString()).contains("UNAVAILABLE");

        // Flexible dates, three nights: a group's earliest start is the first with that many beds on every night.
        java.util.function.BiFunction<Integer, LocalDate[], Object> earliest = (guests, window) -> {
            var found = hits(Map.of("operatorIds", List.of(operator.id()), "guests", guests, "flexibleDates",
                    Map.of("earliestCheckIn", window[0].toString(), "latestCheckIn", window[1].toString(), "nights", 3)));
            return found.isEmpty() ? "not offered" : found.get(0).get("earliestCheckIn");
        };
        LocalDate[] fromTheFirst = {in, in.plusDays(7)};
        LocalDate[] fromTheSecond = {in.plusDays(1), in.plusDays(7)};
        LocalDate[] shortWindow = {in.plusDays(1), in.plusDays(4)};
        assertThat(earliest.apply(2, fromTheFirst)).as("two beds on nights 0-2").isEqualTo(in.toString());
        assertThat(earliest.apply(2, fromTheSecond)).as("night 3 has one bed: from night 4").isEqualTo(in.plusDays(4).toString());
        assertThat(earliest.apply(3, fromTheSecond)).as("nights 2-4 have two beds or fewer").isEqualTo(in.plusDays(5).toString());
        assertThat(earliest.apply(3, shortWindow)).isEqualTo("not offered");
        assertThat(earliest.apply(1, shortWindow)).as("one bed is free on every night").isEqualTo(in.plusDays(1).toString());
        assertThat(earliest.apply(6, fromTheSecond)).isEqualTo(in.plusDays(5).toString());
        assertThat(earliest.apply(7, fromTheSecond)).as("more guests than beds").isEqualTo("not offered");

        // And createBooking agrees, on both sides of that start.
        assertThat(post("test:dorm-trio", book, Map.of("input", Map.of("unitId", dorm.id(), "checkIn", in.plusDays(4).toString(),
                "checkOut", in.plusDays(7).toString(), "guests", 3))).toString()).contains("UNAVAILABLE");
        assertThat(post("test:dorm-trio", book, Map.of("input", Map.of("unitId", dorm.id(), "checkIn", in.plusDays(5).toString(),
                "checkOut", in.plusDays(8).toString(), "guests", 3))).toString()).contains("userErrors=[]");
    }

    /**
     * The other search tests write their documents by hand ({@link TestStays}), faster than through
     * the indexer. They must keep every field the indexer writes, down into {@code display}, which
     * the API reads back: a field added to the document and not to TestStays fails here.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theHandWrittenTestDocumentsHaveEveryFieldTheIndexerWrites() throws Exception {
        Map<String, Object> written = elasticsearch.get(g -> g.index(indexing.alias()).id(room.uuid().toString()), Map.class).source();
        String id = new TestStays(elasticsearch, indexing.alias()).index(new TestStays.Doc(), rates.current());
        Map<String, Object> byHand = elasticsearch.get(g -> g.index(indexing.alias()).id(id), Map.class).source();
        assertThat(written).containsKeys("unit_id", "display", "unavailable");
        assertThat(missing("", written, byHand)).as("fields the indexer writes and TestStays does not").isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static List<String> missing(String path, Map<String, Object> written, Map<String, Object> byHand) {
        List<String> missing = new java.util.ArrayList<>();
        for (var field : written.entrySet()) {
            String name = path + field.getKey();
            Object other = byHand.get(field.getKey());
            if (!byHand.containsKey(field.getKey())) {
                missing.add(name);
            } else if (field.getValue() instanceof Map<?, ?> inner && other instanceof Map<?, ?> otherInner) {
                missing.addAll(missing(name + ".", (Map<String, Object>) inner, (Map<String, Object>) otherInner));
            }
        }
        return missing;
    }
}
