package io.nomadstays.search;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.nomadstays.graphql.GlobalId;
import io.nomadstays.indexing.IndexingProperties;
import io.nomadstays.support.IntegrationTest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** searchStays over HTTP against documents placed in the real index, one filter, sort and limit at a time. */
class SearchIntegrationTests extends IntegrationTest {

    private static final String SEARCH = """
            query($filter: StaySearchInput!, $sort: StaySort, $first: Int, $after: String) {
              searchStays(filter: $filter, sort: $sort, first: $first, after: $after) {
                totalCount
                pageInfo { hasNextPage endCursor }
                edges { cursor node { id distanceKm earliestCheckIn displayPrice { amount currency }
                  unit { name type } property { address { city } } operator { slug } } }
              }
            }""";

    @Autowired
    ElasticsearchClient elasticsearch;

    @Autowired
    DatabaseCurrencyRates rates;

    @Autowired
    SearchCall searchCall;

    @Autowired
    IndexingProperties indexing;

    TestStays stays;

    @BeforeEach
    void emptyIndexAndRates() {
        db.sql("""
                INSERT INTO exchange_rate (currency, usd_per_unit, as_of) VALUES
                  ('EUR', 1.16, '2026-11-27'), ('IDR', 0.00006, '2026-11-27'), ('CNY', 0.1406, '2026-11-27'), ('USD', 1, '2026-11-27')
                ON CONFLICT (currency) DO NOTHING""").then().block();
        rates.reload().block();
        stays = new TestStays(elasticsearch, indexing.alias());
        stays.reset();
    }

    private String add(java.util.function.Consumer<TestStays.Doc> change) {
        return stays.index(new TestStays.Doc().with(change), rates.current());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> search(Map<String, Object> filter, String sort, Integer first, String after) {
        var variables = new HashMap<String, Object>();
        variables.put("filter", filter);
        variables.put("sort", sort);
        variables.put("first", first);
        variables.put("after", after);
        Map<String, Object> response = post(null, SEARCH, variables);
        assertThat(response.get("errors")).as("errors").isNull();
        return (Map<String, Object>) ((Map<String, Object>) response.get("data")).get("searchStays");
    }

    @SuppressWarnings("unchecked")
    private List<String> names(Map<String, Object> filter, String sort) {
        var edges = (List<Map<String, Map<String, Object>>>) search(filter, sort, 100, null).get("edges");
        return edges.stream().map(e -> (String) ((Map<String, Object>) e.get("node").get("unit")).get("name")).toList();
    }

    @SuppressWarnings("unchecked")
    private List<String> codes(Map<String, Object> filter, String sort, Integer first, String after) {
        var variables = new HashMap<String, Object>();
        variables.put("filter", filter);
        variables.put("sort", sort);
        variables.put("first", first);
        variables.put("after", after);
        Map<String, Object> response = post(null, SEARCH, variables);
        var errors = (List<Map<String, Object>>) response.get("errors");
        assertThat(errors).as("errors for %s", filter).isNotEmpty();
        assertThat(errors.toString()).doesNotContain("Exception").doesNotContain("elasticsearch");
        return errors.stream().map(e -> (String) ((Map<String, Object>) e.get("extensions")).get("code")).toList();
    }

    @Test
    void cityMatchesEnglishAndLocalNamesAndTextFindsChinese() {
        add(d -> d.with(x -> { x.name = "大理古城 studio"; x.city = "Dali"; x.cityLocal = "大理"; x.country = "CN"; }));
        add(d -> d.with(x -> { x.name = "Canggu dorm"; }));
        add(d -> d.with(x -> { x.name = "Beijing loft"; x.city = "Beijing"; x.cityLocal = "北京"; x.description = "胡同里的安静公寓"; }));

        assertThat(names(Map.of("city", "dali"), null)).containsExactly("大理古城 studio");
        assertThat(names(Map.of("city", "大理"), null)).containsExactly("大理古城 studio");
        assertThat(names(Map.of("text", "大理"), null)).containsExactly("大理古城 studio");
        assertThat(names(Map.of("text", "胡同"), null)).containsExactly("Beijing loft");
        assertThat(names(Map.of("text", "canggu DORM"), null)).containsExactly("Canggu dorm");
        assertThat(names(Map.of("text", "北京"), null)).containsExactly("Beijing loft");
    }

    @Test
    void radiusAndViewportIncludingOneAcrossTheAntimeridian() {
        add(d -> d.with(x -> { x.name = "Nadi"; x.lat = -17.7765; x.lon = 177.4356; x.city = "Nadi"; }));
        add(d -> d.with(x -> { x.name = "Apia"; x.lat = -13.8333; x.lon = -171.7667; x.city = "Apia"; }));
        add(d -> d.with(x -> { x.name = "Canggu"; }));
        add(d -> d.with(x -> { x.name = "Ubud"; x.lat = -8.5069; x.lon = 115.2625; }));

        assertThat(names(Map.of("near", Map.of("lat", -8.65, "lon", 115.14, "radiusKm", 5)), "DISTANCE")).containsExactly("Canggu");
        assertThat(names(Map.of("near", Map.of("lat", -8.65, "lon", 115.14, "radiusKm", 30)), "DISTANCE")).containsExactly("Canggu", "Ubud");
        // Fiji and Samoa: a viewport from 170 E to 165 W crosses the antimeridian.
        assertThat(names(Map.of("bounds", Map.of("north", -5, "south", -25, "west", 170, "east", -165)), null))
                .containsExactlyInAnyOrder("Nadi", "Apia");
        assertThat(names(Map.of("bounds", Map.of("north", -5, "south", -25, "west", 170, "east", -165)), "DISTANCE"))
                .hasSize(2);
        assertThat(names(Map.of("bounds", Map.of("north", 0, "south", -10, "west", 115, "east", 115.2)), null)).containsExactly("Canggu");
    }

    @Test
    void priceFiltersAgreeAcrossCurrencies() {
        add(d -> d.with(x -> { x.name = "cheap"; x.nightly = 1_500L; x.monthly = 30_000L; }));
        add(d -> d.with(x -> { x.name = "mid IDR"; x.currency = "IDR"; x.nightly = 60_000_000L; x.monthly = 900_000_000L; }));
        add(d -> d.with(x -> { x.name = "dear CNY"; x.currency = "CNY"; x.nightly = 100_000L; x.monthly = 1_500_000L; }));

        // 40 USD a night is 34.48 EUR; IDR 600,000 = 36 USD, CNY 1,000 = 140.60 USD.
        assertThat(names(Map.of("price", Map.of("max", 4_000, "currency", "USD", "period", "NIGHT")), "PRICE_ASC"))
                .containsExactly("cheap", "mid IDR");
        assertThat(names(Map.of("price", Map.of("max", 3_448, "currency", "EUR", "period", "NIGHT")), "PRICE_ASC"))
                .containsExactly("cheap", "mid IDR");
        assertThat(names(Map.of("price", Map.of("min", 50_000, "currency", "USD", "period", "MONTH")), "PRICE_DESC"))
                .containsExactly("dear CNY", "mid IDR");
        assertThat(names(Map.of("price", Map.of("min", 300_000, "max", 1_000_000, "currency", "CNY", "period", "MONTH")), null))
                .containsExactly("mid IDR");
    }

    @Test
    void unitsOfOperatorsThatCannotTakePaymentsAreLeftOutAndDocumentsFromBeforeTheFieldAreNot() {
        add(d -> d.with(x -> x.name = "payable"));
        add(d -> d.with(x -> { x.name = "not payable"; x.acceptsPayments = false; }));
        add(d -> d.with(x -> { x.name = "indexed before the field"; x.acceptsPayments = null; }));

        assertThat(names(Map.of("city", "Canggu"), null)).containsExactlyInAnyOrder("payable", "indexed before the field");
    }

    @Test
    void internetTypeAmenityOperatorAndSizeFiltersCombine() {
        UUID other = UUID.randomUUID();
        add(d -> d.with(x -> { x.name = "fast verified"; x.downloadMbps = 120.0; x.verified = true; x.amenities = List.of("wifi", "pool"); }));
        add(d -> d.with(x -> { x.name = "fast unverified"; x.downloadMbps = 90.0; x.amenities = List.of("wifi", "pool", "gym"); }));
        add(d -> d.with(x -> { x.name = "slow"; x.downloadMbps = 8.0; }));
        add(d -> d.with(x -> { x.name = "desk"; x.type = "HOT_DESK"; x.capacity = 30; x.granularity = "DAY"; x.sizeM2 = null;
            x.furnished = false; x.operatorId = other; }));

        assertThat(names(Map.of("minDownloadMbps", 50), "DOWNLOAD_SPEED_DESC")).containsExactly("fast verified", "fast unverified");
        assertThat(names(Map.of("minDownloadMbps", 50, "verifiedInternetOnly", true), null)).containsExactly("fast verified");
        assertThat(names(Map.of("amenities", List.of("pool", "GYM")), null)).containsExactly("fast unverified");
        assertThat(names(Map.of("unitTypes", List.of("HOT_DESK")), null)).containsExactly("desk");
        assertThat(names(Map.of("furnished", false), null)).containsExactly("desk");
        assertThat(names(Map.of("minSizeM2", 15, "minDownloadMbps", 1), "DOWNLOAD_SPEED_DESC")).containsExactly("fast verified", "fast unverified", "slow");
        assertThat(names(Map.of("operatorIds", List.of(GlobalId.encode(GlobalId.Type.OPERATOR, other))), null)).containsExactly("desk");
        assertThat(names(Map.of("guests", 3), null)).isEmpty();
    }

    @Test
    void datesExcludeUnavailableUnitsAndStaysThatDoNotFit() {
        LocalDate in = LocalDate.now().plusDays(30);
        add(d -> d.with(x -> { x.name = "free"; }));
        add(d -> d.with(x -> { x.name = "booked"; x.unavailable.add(new LocalDate[] {in.plusDays(2), in.plusDays(5)}); }));
        add(d -> d.with(x -> { x.name = "booked later"; x.unavailable.add(new LocalDate[] {in.plusDays(10), in.plusDays(20)}); }));
        add(d -> d.with(x -> { x.name = "monthly only"; x.granularity = "MONTH"; x.minStay = 1; }));
        add(d -> d.with(x -> { x.name = "max a week"; x.maxStay = 7; }));

        Map<String, Object> week = Map.of("dates", Map.of("checkIn", in.toString(), "checkOut", in.plusDays(7).toString()));
        assertThat(names(week, null)).containsExactlyInAnyOrder("free", "booked later", "max a week");
        Map<String, Object> month = Map.of("dates", Map.of("checkIn", in.toString(), "checkOut", in.plusDays(28).toString()));
        assertThat(names(month, null)).containsExactlyInAnyOrder("free", "monthly only");
        // The check-out day of a booking is free for the next check-in.
        Map<String, Object> after = Map.of("dates", Map.of("checkIn", in.plusDays(5).toString(), "checkOut", in.plusDays(9).toString()));
        assertThat(names(after, null)).contains("booked");
    }

    @Test
    @SuppressWarnings("unchecked")
    void flexibleDatesFindTheEarliestFreeStart() {
        LocalDate june1 = LocalDate.now().plusDays(60);
        add(d -> d.with(x -> { x.name = "free"; }));
        add(d -> d.with(x -> { x.name = "free from the 10th"; x.unavailable.add(new LocalDate[] {june1.minusDays(30), june1.plusDays(10)}); }));
        add(d -> d.with(x -> { x.name = "never long enough"; x.unavailable.add(new LocalDate[] {june1.minusDays(5), june1.plusDays(20)});
            x.unavailable.add(new LocalDate[] {june1.plusDays(40), june1.plusDays(400)}); }));

        var filter = Map.<String, Object>of("flexibleDates", Map.of("earliestCheckIn", june1.toString(),
                "latestCheckIn", june1.plusDays(14).toString(), "months", 2));
        var edges = (List<Map<String, Map<String, Object>>>) search(filter, null, 10, null).get("edges");
        Map<String, String> earliest = new HashMap<>();
        edges.forEach(e -> earliest.put((String) ((Map<String, Object>) e.get("node").get("unit")).get("name"),
                (String) e.get("node").get("earliestCheckIn")));
        assertThat(earliest).containsOnly(Map.entry("free", june1.toString()), Map.entry("free from the 10th", june1.plusDays(10).toString()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void cursorsWalkEveryResultOnceInPriceOrderWithStableTies() {
        for (int i = 0; i < 23; i++) {
            long price = 1_000L + (i % 5) * 100;
            int n = i;
            add(d -> d.with(x -> { x.name = "u" + n; x.nightly = price; }));
        }
        var seen = new ArrayList<String>();
        var prices = new ArrayList<Long>();
        String after = null;
        int pages = 0;
        do {
            var page = search(Map.of("city", "Canggu"), "PRICE_ASC", 5, after);
            assertThat(page.get("totalCount")).isEqualTo(23);
            var edges = (List<Map<String, Map<String, Object>>>) page.get("edges");
            edges.forEach(e -> {
                seen.add((String) e.get("node").get("id"));
                prices.add(((Number) ((Map<String, Object>) e.get("node").get("displayPrice")).get("amount")).longValue());
            });
            var info = (Map<String, Object>) page.get("pageInfo");
            after = Boolean.TRUE.equals(info.get("hasNextPage")) ? (String) info.get("endCursor") : null;
            pages++;
        } while (after != null);
        assertThat(pages).isEqualTo(5);
        assertThat(new HashSet<>(seen)).hasSize(23);
        assertThat(prices).isSorted();
    }

    @Test
    void badInputGetsStableCodesAndNoInternals() {
        assertThat(codes(Map.of("near", Map.of("lat", 91, "lon", 0, "radiusKm", 5)), null, null, null)).containsExactly("OUT_OF_RANGE");
        assertThat(codes(Map.of("near", Map.of("lat", 0, "lon", 0, "radiusKm", 0)), null, null, null)).containsExactly("OUT_OF_RANGE");
        assertThat(codes(Map.of("near", Map.of("lat", 0, "lon", 0, "radiusKm", 20_000)), null, null, null)).containsExactly("OUT_OF_RANGE");
        assertThat(codes(Map.of("price", Map.of("min", 500, "max", 100, "currency", "USD", "period", "NIGHT")), null, null, null))
                .containsExactly("OUT_OF_RANGE");
        assertThat(codes(Map.of("price", Map.of("max", 100, "currency", "ZZZ", "period", "NIGHT")), null, null, null))
                .containsExactly("INVALID_CURRENCY");
        LocalDate in = LocalDate.now().plusDays(3);
        assertThat(codes(Map.of("dates", Map.of("checkIn", in.toString(), "checkOut", in.minusDays(1).toString())), null, null, null))
                .containsExactly("OUT_OF_RANGE");
        assertThat(codes(Map.of("dates", Map.of("checkIn", in.toString(), "checkOut", in.plusYears(5).toString())), null, null, null))
                .containsExactly("OUT_OF_RANGE");
        assertThat(codes(Map.of("text", "x".repeat(10_000)), null, null, null)).containsExactly("TOO_LONG");
        assertThat(codes(Map.of("operatorIds", List.of("garbage")), null, null, null)).containsExactly("MALFORMED_ID");
        assertThat(codes(Map.of(), "DISTANCE", null, null)).containsExactly("INVALID_FORMAT");
        assertThat(codes(Map.of(), null, 101, null)).containsExactly("OUT_OF_RANGE");
        assertThat(codes(Map.of(), null, null, "not-a-cursor")).containsExactly("INVALID_FORMAT");
        // Every problem at once.
        assertThat(codes(Map.of("near", Map.of("lat", 91, "lon", 0, "radiusKm", 0), "text", "x".repeat(201)), null, null, null))
                .containsExactlyInAnyOrder("OUT_OF_RANGE", "OUT_OF_RANGE", "TOO_LONG");
    }

    @Test
    @SuppressWarnings("unchecked")
    void facetsAndClustersDescribeTheWholeFilterInTheDisplayCurrency() {
        add(d -> d.with(x -> { x.name = "a"; x.nightly = 1_500L; x.amenities = List.of("wifi", "pool"); }));
        add(d -> d.with(x -> { x.name = "b"; x.nightly = 2_500L; }));
        add(d -> d.with(x -> { x.name = "c"; x.nightly = 2_600L; x.type = "BED"; }));
        add(d -> d.with(x -> { x.name = "far"; x.nightly = 9_000L; x.lat = -8.5069; x.lon = 115.2625; x.type = "BED"; }));
        String query = """
                query($filter: StaySearchInput!) { searchStays(filter: $filter, first: 1) {
                  totalCount
                  facets { priceHistogram { min { amount currency } max { amount } count } unitTypes { value count } amenities { value count } }
                  coarse: mapClusters(precision: 3) { count center { lat lon } minPrice { amount currency } }
                  fine: mapClusters(precision: 14) { count minPrice { amount } }
                } }""";
        Map<String, Object> response = post(null, query, Map.of("filter", Map.of("currency", "EUR")));
        assertThat(response.get("errors")).isNull();
        var result = (Map<String, Object>) ((Map<String, Object>) response.get("data")).get("searchStays");
        assertThat(result.get("totalCount")).isEqualTo(4);
        var facets = (Map<String, List<Map<String, Object>>>) result.get("facets");
        assertThat(facets.get("unitTypes")).containsExactly(Map.of("value", "BED", "count", 2), Map.of("value", "PRIVATE_ROOM", "count", 2));
        assertThat(facets.get("amenities")).contains(Map.of("value", "pool", "count", 1), Map.of("value", "wifi", "count", 4));
        var histogram = facets.get("priceHistogram");
        assertThat(histogram.stream().mapToInt(b -> (Integer) b.get("count")).sum()).isEqualTo(4);
        // 10 USD is 8.62 EUR: buckets are 10 EUR wide, edges round in euros.
        assertThat(histogram).allSatisfy(b -> {
            var min = (Map<String, Object>) b.get("min");
            assertThat(min.get("currency")).isEqualTo("EUR");
            assertThat(((Number) min.get("amount")).longValue() % 1_000).isZero();
        });
        var coarse = (List<Map<String, Object>>) result.get("coarse");
        assertThat(coarse).hasSize(1);
        assertThat(coarse.get(0).get("count")).isEqualTo(4);
        // 15 USD in euros, the cheapest in the cluster.
        assertThat(((Map<String, Object>) coarse.get(0).get("minPrice"))).isEqualTo(Map.of("amount", 1293, "currency", "EUR"));
        assertThat((List<?>) result.get("fine")).hasSize(2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void facetsAndClustersAreFoundThroughVariablesFragmentsAndDirectivesToo() {
        add(d -> d.with(x -> { x.name = "a"; x.nightly = 1_500L; }));
        add(d -> d.with(x -> { x.name = "far"; x.nightly = 9_000L; x.lat = -8.5069; x.lon = 115.2625; }));
        String plain = """
                query($filter: StaySearchInput!, $p: Int!) { searchStays(filter: $filter) {
                  facets { unitTypes { value count } }
                  coarse: mapClusters(precision: $p) { count }
                  fine: mapClusters(precision: 14) { count }
                } }""";
        String fragments = """
                query($filter: StaySearchInput!, $p: Int!, $yes: Boolean!) { searchStays(filter: $filter) {
                  ... on StaySearchConnection { facets @include(if: $yes) { unitTypes { value count } } }
                  ...clusters
                } }
                fragment clusters on StaySearchConnection { coarse: mapClusters(precision: $p) { count } fine: mapClusters(precision: 14) { count } }""";
        String inFacets = """
                query($filter: StaySearchInput!, $p: Int!, $yes: Boolean!) { searchStays(filter: $filter) {
                  facets { ... on StayFacets { unitTypes @include(if: $yes) { value count } } }
                  coarse: mapClusters(precision: $p) { count }
                  fine: mapClusters(precision: 14) { count }
                } }""";
        Map<String, Object> variables = Map.of("filter", Map.of(), "p", 3, "yes", true);
        Map<String, Object> first = post(null, plain, variables);
        Map<String, Object> second = post(null, fragments, variables);
        assertThat(first.get("errors")).isNull();
        assertThat(second).isEqualTo(first);
        assertThat(post(null, inFacets, variables)).as("a fragment inside facets").isEqualTo(first);
        var result = (Map<String, Object>) ((Map<String, Object>) first.get("data")).get("searchStays");
        assertThat((List<?>) result.get("coarse")).hasSize(1);
        assertThat((List<?>) result.get("fine")).hasSize(2);
        assertThat(((Map<String, List<?>>) result.get("facets")).get("unitTypes")).hasSize(1);
        for (String query : List.of(plain, fragments)) {
            Map<String, Object> refused = post(null, query, Map.of("filter", Map.of(), "p", 21, "yes", true));
            assertThat((List<Map<String, Map<String, Object>>>) refused.get("errors"))
                    .extracting(e -> e.get("extensions").get("code")).containsExactly("OUT_OF_RANGE");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void resultsCarryTheQuoteABookingWillCharge() {
        add(d -> d.with(x -> { x.name = "weekly"; x.nightly = 4_000L; x.weekly = 24_500L; x.cleaning = 3_000; x.deposit = 50_000; }));
        LocalDate in = LocalDate.now().plusDays(20);
        String query = """
                query($filter: StaySearchInput!) { searchStays(filter: $filter) { edges { node {
                  priceForDates { nights total { amount currency } deposit { amount } displayTotal { amount currency } rateDate
                    lines { kind amount { amount } } } } } } }""";
        Map<String, Object> response = post(null, query, Map.of("filter", Map.of("currency", "EUR",
                "dates", Map.of("checkIn", in.toString(), "checkOut", in.plusDays(10).toString()))));
        assertThat(response.get("errors")).isNull();
        var edges = (List<Map<String, Map<String, Object>>>) ((Map<String, Object>) ((Map<String, Object>) response.get("data"))
                .get("searchStays")).get("edges");
        var quote = (Map<String, Object>) edges.get(0).get("node").get("priceForDates");
        assertThat(quote.get("nights")).isEqualTo(10);
        // One week (245) + 3 nights (120) + cleaning (30) = 395 USD, as QuotesTests pins.
        assertThat(quote.get("total")).isEqualTo(Map.of("amount", 39_500, "currency", "USD"));
        assertThat(quote.get("deposit")).isEqualTo(Map.of("amount", 50_000));
        assertThat(quote.get("displayTotal")).isEqualTo(Map.of("amount", 34_052, "currency", "EUR"));
        assertThat(quote.get("rateDate")).isEqualTo("2026-11-27");
    }

    @Test
    void anAnswerElasticsearchRefusesIsAFailureNotAnEmptyResult() {
        var missing = co.elastic.clients.elasticsearch.core.SearchRequest.of(s -> s.index("no-such-index-" + System.nanoTime()));
        assertThat(searchCall.search(missing)).failsWithin(java.time.Duration.ofSeconds(10))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withMessageContaining("404").withMessageContaining("index_not_found_exception");

        var refused = co.elastic.clients.elasticsearch.core.SearchRequest.of(s -> s.index(indexing.alias()).size(-2));
        assertThat(searchCall.search(refused)).failsWithin(java.time.Duration.ofSeconds(10))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withMessageContaining("400");
    }
}
