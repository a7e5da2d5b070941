package io.nomadstays.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.nomadstays.indexing.IndexingProperties;
import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import io.nomadstays.support.StripeMock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The whole path: a mutation commits in PostgreSQL, the in-process indexer takes its outbox event,
 * and searchStays shows the change within seconds — or stops showing the unit. Also where the query
 * tests' hand-written documents ({@link TestStays}) are held to what the indexer writes.
 */
class SearchFreshnessIntegrationTests extends IntegrationTest {

    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(10);
    private static final String SEARCH = """
            query($filter: StaySearchInput!) { searchStays(filter: $filter) {
              totalCount edges { node { id unit { name } displayPrice { amount currency } property { name address { city } } } } } }""";

    @Autowired
    ElasticsearchClient elasticsearch;

    @Autowired
    IndexingProperties indexing;

    @Autowired
    DatabaseCurrencyRates rates;

    private Fixtures.Ref operator;
    private Fixtures.Ref property;
    private String manager;

    @BeforeEach
    void listing() {
        new TestStays(elasticsearch, indexing.alias()).reset();
        rates.reload().block();
        operator = fixtures.operator("fresh-op");
        property = fixtures.property(operator, "Fresh House");
        manager = fixtures.staff(operator, "MANAGER");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> hits(Map<String, Object> filter) {
        Map<String, Object> response = post(null, SEARCH, Map.of("filter", filter));
        assertThat(response.get("errors")).isNull();
        var result = (Map<String, Object>) ((Map<String, Object>) response.get("data")).get("searchStays");
        return ((List<Map<String, Map<String, Object>>>) result.get("edges")).stream().map(e -> e.get("node")).toList();
    }

    private void mutate(String mutation, Map<String, Object> variables) {
        Map<String, Object> response = post(manager, mutation, variables);
        assertThat(response.get("errors")).isNull();
        assertThat(response.toString()).contains("userErrors=[]");
    }

    @Test
    void publishedPricedUnpublished() {
        Fixtures.Ref unit = fixtures.unit(operator, property, "Room 7", false);
        mutate("mutation($id: ID!) { publishUnit(input: {unitId: $id}) { userErrors { code } } }", Map.of("id", unit.id()));
        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> assertThat(hits(Map.of("city", "Canggu")))
                .extracting(h -> (Object) ((Map<?, ?>) h.get("unit")).get("name")).containsExactly("Room 7"));

        // 25 USD a night becomes 31 USD: found in the new range, no longer in the old one.
        mutate("mutation($id: ID!) { setUnitPricing(input: {unitId: $id, currency: \"USD\", nightlyRate: 3100, monthlyRate: 60000}) { userErrors { code } } }",
                Map.of("id", unit.id()));
        var cheap = Map.<String, Object>of("city", "Canggu", "price", Map.of("max", 2_600, "currency", "USD", "period", "NIGHT"));
        var dear = Map.<String, Object>of("city", "Canggu", "price", Map.of("min", 3_000, "currency", "USD", "period", "NIGHT"));
        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> {
            assertThat(hits(dear)).hasSize(1);
            assertThat(hits(cheap)).isEmpty();
        });
        assertThat(hits(dear).get(0).get("displayPrice")).isEqualTo(Map.of("amount", 3_100, "currency", "USD"));

        mutate("mutation($id: ID!) { unpublishUnit(input: {unitId: $id}) { userErrors { code } } }", Map.of("id", unit.id()));
        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> assertThat(hits(Map.of("city", "Canggu"))).isEmpty());
    }

    @Test
    void propertyEditsAndSpeedTestsReachEveryUnitOfTheProperty() {
        Fixtures.Ref a = fixtures.unit(operator, property, "A", false);
        Fixtures.Ref b = fixtures.unit(operator, property, "B", false);
        mutate("mutation($id: ID!) { publishUnit(input: {unitId: $id}) { userErrors { code } } }", Map.of("id", a.id()));
        mutate("mutation($id: ID!) { publishUnit(input: {unitId: $id}) { userErrors { code } } }", Map.of("id", b.id()));
        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> assertThat(hits(Map.of("city", "Canggu"))).hasSize(2));

        mutate("mutation($id: ID!) { updateProperty(input: {id: $id, name: \"Renamed House\", address: {line: \"Jl. Pantai 2\", city: \"Ubud\", countryCode: \"ID\"}}) { userErrors { code } } }",
                Map.of("id", property.id()));
        mutate("mutation($id: ID!) { recordSpeedTest(input: {propertyId: $id, downloadMbps: 150, uploadMbps: 40}) { userErrors { code } } }",
                Map.of("id", property.id()));
        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> {
            var fast = hits(Map.of("city", "Ubud", "minDownloadMbps", 100));
            assertThat(fast).hasSize(2);
            assertThat(fast).allSatisfy(h -> assertThat(((Map<?, ?>) h.get("property")).get("name")).isEqualTo("Renamed House"));
        });
        assertThat(hits(Map.of("city", "Canggu"))).isEmpty();
    }

    @Test
    void unitsOfAnOperatorThatCannotTakePaymentsAreShownOnceStripeEnablesCharges() throws Exception {
        StripeMock.reset();
        Fixtures.Ref unpaid = fixtures.operator("unpaid-op", false);
        fixtures.payoutAccount(unpaid, "acct_1UnpaidOp", false);
        Fixtures.Ref house = fixtures.property(unpaid, "Unpaid House");
        Fixtures.Ref room = fixtures.unit(unpaid, house, "Room U", false);
        post(fixtures.staff(unpaid, "MANAGER"), "mutation($id: ID!) { publishUnit(input: {unitId: $id}) { userErrors { code } } }",
                Map.of("id", room.id()));
        var ofUnpaid = Map.<String, Object>of("city", "Canggu", "operatorIds", List.of(unpaid.id()));
        // Indexed, but not offered: createBooking would refuse it.
        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> assertThat(elasticsearch.get(g -> g.index(indexing.alias())
                .id(room.uuid().toString()), Map.class).source()).containsEntry("accepts_payments", false));
        assertThat(hits(ofUnpaid)).isEmpty();

        var enabled = StripeMock.account("acct_1UnpaidOp", true, true, true, List.of());
        StripeMock.SERVER.stubFor(get(urlEqualTo("/v1/accounts/acct_1UnpaidOp")).willReturn(okJson(StripeMock.json(enabled))));
        stripeEvents.deliver(StripeMock.event("evt_unpaid_enabled", "account.updated", enabled, "acct_1UnpaidOp", Instant.now()))
                .expectStatus().isOk();
        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> assertThat(hits(ofUnpaid))
                .extracting(h -> (Object) ((Map<?, ?>) h.get("unit")).get("name")).containsExactly("Room U"));
        assertThat(fixtures.count("outbox_event WHERE event_type = 'OperatorPaymentsChanged'")).isEqualTo(1);

        // The same state again changes nothing search shows: no event.
        stripeEvents.deliver(StripeMock.event("evt_unpaid_enabled_again", "account.updated", enabled, "acct_1UnpaidOp", Instant.now()))
                .expectStatus().isOk();
        assertThat(fixtures.count("outbox_event WHERE event_type = 'OperatorPaymentsChanged'")).isEqualTo(1);
    }

    /**
     * The query tests index {@link TestStays} documents written by hand; this holds them to the
     * shape the indexer writes from PostgreSQL, so a field the indexer renames or adds cannot leave
     * those tests searching documents that no longer exist: the same fields at every depth, the same
     * JSON types (a null matches anything: values differ, shapes must not).
     */
    @Test
    void handWrittenTestDocumentsHaveTheIndexersShape() throws IOException {
        Fixtures.Ref unit = fixtures.unit(operator, property, "Room 1", false);
        // Every optional part a TestStays document can have: a local city name, a size, a maximum
        // stay, a speed test and unavailable dates.
        db.sql("UPDATE property SET city_local = '长谷' WHERE id = :id").bind("id", property.uuid()).then().block();
        db.sql("UPDATE unit SET size_m2 = 18, max_stay = 90 WHERE id = :id").bind("id", unit.uuid()).then().block();
        LocalDate from = LocalDate.now().plusDays(10);
        mutate("mutation($id: ID!) { recordSpeedTest(input: {propertyId: $id, downloadMbps: 150, uploadMbps: 40}) { userErrors { code } } }",
                Map.of("id", property.id()));
        mutate("mutation($input: BlockDatesInput!) { blockDates(input: $input) { userErrors { code } } }",
                Map.of("input", Map.of("unitId", unit.id(), "from", from.toString(), "to", from.plusDays(5).toString())));
        mutate("mutation($id: ID!) { publishUnit(input: {unitId: $id}) { userErrors { code } } }", Map.of("id", unit.id()));
        Map<String, Object> fromIndexer = await().atMost(VISIBLE_WITHIN).until(() -> source(unit.uuid().toString()),
                doc -> doc != null && doc.get("download_mbps") != null && !((List<?>) doc.get("unavailable")).isEmpty());

        String written = new TestStays(elasticsearch, indexing.alias()).index(new TestStays.Doc().with(d -> {
            d.cityLocal = "长谷";
            d.maxStay = 90;
            d.amenities = List.of();
            d.downloadMbps = 150.0;
            d.unavailable.add(new LocalDate[] {from, from.plusDays(5)});
        }), rates.current());

        Map<String, String> expected = shape(fromIndexer);
        Map<String, String> actual = shape(source(written));
        assertThat(actual.keySet()).as("fields of a TestStays document against the indexer's")
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((path, type) -> {
            String other = actual.get(path);
            if (!type.equals("null") && !other.equals("null")) {
                assertThat(other).as("JSON type of %s", path).isEqualTo(type);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> source(String id) throws IOException {
        var got = elasticsearch.get(g -> g.index(indexing.alias()).id(id), Map.class);
        return got.found() ? (Map<String, Object>) got.source() : null;
    }

    /** Every path in a document ({@code display.unit.name}, {@code unavailable[].gte}) and its JSON type. */
    private static Map<String, String> shape(Object document) {
        Map<String, String> paths = new TreeMap<>();
        walk("", document, paths);
        return paths;
    }

    private static void walk(String path, Object value, Map<String, String> paths) {
        String type;
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(path.isEmpty() ? (String) k : path + "." + k, v, paths));
            type = "object";
        } else if (value instanceof List<?> list) {
            list.forEach(v -> walk(path + "[]", v, paths));
            type = "array";
        } else {
            type = value == null ? "null" : value instanceof Number ? "number" : value instanceof Boolean ? "boolean" : "string";
        }
        if (!path.isEmpty()) {
            paths.merge(path, type, (a, b) -> a.equals("null") ? b : a);
        }
    }
}
