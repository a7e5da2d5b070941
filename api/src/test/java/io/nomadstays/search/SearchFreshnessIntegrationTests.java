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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The whole path: a mutation commits in PostgreSQL, the in-process indexer takes its outbox event,
 * and searchStays shows the change within seconds — or stops showing the unit.
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
}
