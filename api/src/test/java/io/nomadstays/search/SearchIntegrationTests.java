package io.nomadstays.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
    @SuppressWarnings("unchecked")
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

        // DISTANCE from the viewport's centre: 15 S, 172.5 W for a viewport from 175 E to 160 W, near Apia.
        // (Halfway between 175 and -160 without wrapping would be 7.5 E, nearer Nadi.)
        var edges = (List<Map<String, Map<String, Object>>>) search(
                Map.of("bounds", Map.of("north", -5, "south", -25, "west", 175, "east", -160)), "DISTANCE", 10, null).get("edges");
        assertThat(edges.stream().map(e -> (String) ((Map<?, ?>) e.get("node").get("unit")).get("name")).toList()).containsExactly("Apia", "Nadi");
        assertThat((Double) edges.get(0).get("node").get("distanceKm")).isCloseTo(kmBetween(-15, -172.5, -13.8333, -171.7667), within(0.01));
        assertThat((Double) edges.get(1).get("node").get("distanceKm")).isCloseTo(kmBetween(-15, -172.5, -17.7765, 177.4356), within(0.01));
    }

    /** Great-circle distance on a sphere of Earth's mean radius, written out here to check the API's. */
    private static double kmBetween(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
        return Math.round(2 * 6371.0088 * Math.asin(Math.sqrt(a)) * 100) / 100.0;
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
        add(d -> d.with(x -> { x.name = "one or two months"; x.granularity = "MONTH"; x.minStay = 1; x.maxStay = 2; }));
        add(d -> d.with(x -> { x.name = "by the hour"; x.type = "MEETING_ROOM"; x.granularity = "HOUR"; }));
        add(d -> d.with(x -> { x.name = "max a week"; x.maxStay = 7; }));

        Map<String, Object> week = Map.of("dates", Map.of("checkIn", in.toString(), "checkOut", in.plusDays(7).toString()));
        assertThat(names(week, null)).containsExactlyInAnyOrder("free", "booked later", "max a week");
        // createBooking takes a unit let by the month only for whole calendar months, within its limits.
        Map<String, Object> month = Map.of("dates", Map.of("checkIn", in.toString(), "checkOut", in.plusMonths(1).toString()));
        assertThat(names(month, null)).containsExactlyInAnyOrder("free", "monthly only", "one or two months");
        Map<String, Object> twoMonths = Map.of("dates", Map.of("checkIn", in.toString(), "checkOut", in.plusMonths(2).toString()));
        assertThat(names(twoMonths, null)).containsExactlyInAnyOrder("free", "monthly only", "one or two months");
        Map<String, Object> threeMonths = Map.of("dates", Map.of("checkIn", in.toString(), "checkOut", in.plusMonths(3).toString()));
        assertThat(names(threeMonths, null)).containsExactlyInAnyOrder("free", "monthly only");
        LocalDate notWhole = in.plusMonths(1).minusDays(1);
        Map<String, Object> almostAMonth = Map.of("dates", Map.of("checkIn", in.toString(), "checkOut", notWhole.toString()));
        assertThat(names(almostAMonth, null)).containsExactlyInAnyOrder("free");
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
        add(d -> d.with(x -> { x.name = "let by the month, two at most"; x.granularity = "MONTH"; x.maxStay = 2; }));
        add(d -> d.with(x -> { x.name = "let by the month, one at most"; x.granularity = "MONTH"; x.maxStay = 1; }));
        add(d -> d.with(x -> { x.name = "by the hour"; x.type = "MEETING_ROOM"; x.granularity = "HOUR"; }));

        var filter = Map.<String, Object>of("flexibleDates", Map.of("earliestCheckIn", june1.toString(),
                "latestCheckIn", june1.plusDays(14).toString(), "months", 2));
        var edges = (List<Map<String, Map<String, Object>>>) search(filter, null, 10, null).get("edges");
        Map<String, String> earliest = new HashMap<>();
        edges.forEach(e -> earliest.put((String) ((Map<String, Object>) e.get("node").get("unit")).get("name"),
                (String) e.get("node").get("earliestCheckIn")));
        // Two months fit a unit let for at most two months (its limit is in months, not in 30-night months).
        assertThat(earliest).containsOnly(Map.entry("free", june1.toString()), Map.entry("free from the 10th", june1.plusDays(10).toString()),
                Map.entry("let by the month, two at most", june1.toString()));
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

    /**
     * search_after pages hold while the index changes: a unit added or removed behind the cursor
     * does not shift the pages (no repeats, no gaps among the units that stay), one added ahead of
     * it is found on a later page.
     */
    @Test
    @SuppressWarnings("unchecked")
    void pagesHoldWhileTheIndexChanges() {
        Map<String, String> ids = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            int n = i;
            ids.put("u" + n, add(d -> d.with(x -> { x.name = "u" + n; x.nightly = 1_000L + n * 100; })));
        }
        var seen = new ArrayList<String>();
        String after = null;
        int pages = 0;
        do {
            var page = search(Map.of("city", "Canggu"), "PRICE_ASC", 4, after);
            ((List<Map<String, Map<String, Object>>>) page.get("edges"))
                    .forEach(e -> seen.add((String) ((Map<String, Object>) e.get("node").get("unit")).get("name")));
            if (pages == 0) {
                add(d -> d.with(x -> { x.name = "cheaper, added behind the cursor"; x.nightly = 500L; }));
                stays.remove(ids.get("u1"));
                add(d -> d.with(x -> { x.name = "dearer, added ahead"; x.nightly = 9_000L; }));
                stays.remove(ids.get("u6"));
            }
            var info = (Map<String, Object>) page.get("pageInfo");
            after = Boolean.TRUE.equals(info.get("hasNextPage")) ? (String) info.get("endCursor") : null;
            pages++;
        } while (after != null && pages < 10);
        assertThat(seen).containsExactly("u0", "u1", "u2", "u3", "u4", "u5", "u7", "u8", "u9", "u10", "u11", "dearer, added ahead");
    }

    /** The tiers of StaySort.RELEVANCE's description, whatever the texts' lengths and repeats. */
    @Test
    void relevanceWithTextRanksTheCityNameThenThePhraseThenAllTheWords() {
        add(d -> d.with(x -> { x.name = "all words"; x.description = "loft loft loft, very quiet"; }));
        add(d -> d.with(x -> { x.name = "phrase"; x.description = "a quiet loft with a long description of the garden and the pool"; }));
        add(d -> d.with(x -> { x.name = "city"; x.description = "a room"; x.city = "Quiet Loft"; }));
        add(d -> d.with(x -> { x.name = "one word"; x.description = "a loft"; }));
        assertThat(names(Map.of("text", "quiet loft"), "RELEVANCE")).containsExactly("city", "phrase", "all words");
    }

    /**
     * RELEVANCE pages with text hold while the index changes too: a stay's score depends on its own
     * text and the query, not on what else is indexed (stays-v1.json: boolean similarity). Under
     * BM25, the stays added between the pages below move every score, and the cursor's score then
     * cuts the next page at another place.
     */
    @Test
    @SuppressWarnings("unchecked")
    void relevancePagesWithTextHoldWhileTheIndexChanges() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int n = i;
            names.add("loft " + n);
            // Texts of different lengths and term counts: BM25 would give each stay another score.
            add(d -> d.with(x -> { x.name = "loft " + n; x.description = "loft ".repeat(n % 4) + "quiet ".repeat(n); }));
        }
        add(d -> d.with(x -> { x.name = "Canggu loft"; x.description = "by the beach"; }));
        var seen = new ArrayList<String>();
        String after = null;
        int pages = 0;
        do {
            var page = search(Map.of("city", "Canggu", "text", "loft"), "RELEVANCE", 4, after);
            ((List<Map<String, Map<String, Object>>>) page.get("edges"))
                    .forEach(e -> seen.add((String) ((Map<String, Object>) e.get("node").get("unit")).get("name")));
            if (pages == 0) {
                for (int i = 0; i < 20; i++) {
                    int n = i;
                    add(d -> d.with(x -> { x.name = "hut " + n; x.description = "garden ".repeat(n + 10); x.city = "Ubud"; }));
                }
            }
            var info = (Map<String, Object>) page.get("pageInfo");
            after = Boolean.TRUE.equals(info.get("hasNextPage")) ? (String) info.get("endCursor") : null;
            pages++;
        } while (after != null && pages < 10);
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(names.stream(), java.util.stream.Stream.of("Canggu loft")).toList());
    }

    @Test
    @SuppressWarnings("unchecked")
    void pagesWalkPastUnitsThatLackTheSortField() {
        add(d -> d.with(x -> { x.name = "fast"; x.downloadMbps = 300.0; }));
        add(d -> d.with(x -> { x.name = "slow"; x.downloadMbps = 20.0; }));
        add(d -> d.with(x -> { x.name = "untested-1"; x.downloadMbps = null; }));
        add(d -> d.with(x -> { x.name = "untested-2"; x.downloadMbps = null; }));
        add(d -> d.with(x -> { x.name = "unpriced"; x.nightly = null; x.monthly = null; x.downloadMbps = 50.0; }));
        for (String sort : List.of("DOWNLOAD_SPEED_DESC", "PRICE_DESC", "PRICE_ASC")) {
            var seen = new ArrayList<String>();
            String after = null;
            do {
                var page = search(Map.of("city", "Canggu"), sort, 1, after);
                var edges = (List<Map<String, Map<String, Object>>>) page.get("edges");
                edges.forEach(e -> seen.add((String) ((Map<String, Object>) e.get("node").get("unit")).get("name")));
                var info = (Map<String, Object>) page.get("pageInfo");
                after = Boolean.TRUE.equals(info.get("hasNextPage")) ? (String) info.get("endCursor") : null;
            } while (after != null && seen.size() < 10);
            assertThat(seen).as(sort).hasSize(5).doesNotHaveDuplicates();
            if (sort.equals("DOWNLOAD_SPEED_DESC")) {
                assertThat(seen.subList(0, 3)).containsExactly("fast", "unpriced", "slow");
            } else {
                assertThat(seen.get(4)).as("a unit without a price comes last in %s", sort).isEqualTo("unpriced");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCursorOnlyContinuesTheSearchItCameFrom() {
        for (int i = 0; i < 3; i++) {
            int n = i;
            add(d -> d.with(x -> { x.name = "loft " + n; x.nightly = 1_000L + n; }));
        }
        var byNight = search(Map.of("city", "Canggu", "price", Map.of("max", 100_000, "currency", "USD", "period", "NIGHT")), "PRICE_ASC", 1, null);
        String nightCursor = (String) ((Map<String, Object>) byNight.get("pageInfo")).get("endCursor");
        // The same cursor continues its own search.
        assertThat((List<?>) search(Map.of("city", "Canggu", "price", Map.of("max", 100_000, "currency", "USD", "period", "NIGHT")), "PRICE_ASC", 1, nightCursor)
                .get("edges")).hasSize(1);
        // Another price period sorts on another field: refused, not a silently skipped page.
        assertThat(codes(Map.of("city", "Canggu", "price", Map.of("max", 100_000, "currency", "USD", "period", "MONTH")), "PRICE_ASC", 1, nightCursor))
                .containsExactly("INVALID_FORMAT");
        assertThat(codes(Map.of("city", "Canggu"), "PRICE_DESC", 1, nightCursor)).containsExactly("INVALID_FORMAT");

        var byText = search(Map.of("text", "loft"), "RELEVANCE", 1, null);
        String textCursor = (String) ((Map<String, Object>) byText.get("pageInfo")).get("endCursor");
        assertThat(codes(Map.of("city", "Canggu"), "RELEVANCE", 1, textCursor)).containsExactly("INVALID_FORMAT");

        // Cursors edited by hand: a text where a price belongs, a key too many, a key missing, another version.
        String key = "PRICE_ASC:nightly_usd";
        for (String forged : List.of("v2\u001f" + key + "\u001fsfree\u001fsabc", "v2\u001f" + key + "\u001fl1\u001fl2\u001fsabc",
                "v2\u001f" + key + "\u001fsabc", "v1\u001fPRICE_ASC\u001fl1\u001fsabc", "v2\u001f" + key + "\u001fl1\u001fx")) {
            String cursor = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(codes(Map.of("city", "Canggu"), "PRICE_ASC", 1, cursor)).as(forged).containsExactly("INVALID_FORMAT");
        }
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
        // The limits the schema states.
        assertThat(codes(Map.of("currency", "ZZZ"), null, null, null)).containsExactly("INVALID_CURRENCY");
        assertThat(codes(Map.of("city", "x".repeat(101)), null, null, null)).containsExactly("TOO_LONG");
        assertThat(codes(Map.of("city", "  "), null, null, null)).containsExactly("REQUIRED");
        assertThat(codes(Map.of("minSizeM2", -1), null, null, null)).containsExactly("OUT_OF_RANGE");
        assertThat(codes(Map.of("guests", 101), null, null, null)).containsExactly("OUT_OF_RANGE");
        assertThat(codes(Map.of("flexibleDates", Map.of("earliestCheckIn", in.plusYears(3).toString(),
                "latestCheckIn", in.plusYears(3).plusDays(5).toString(), "nights", 3)), null, null, null)).containsExactly("OUT_OF_RANGE");
        assertThat(codes(Map.of("dates", Map.of("checkIn", in.toString(), "checkOut", in.plusDays(3).toString()),
                "flexibleDates", Map.of("earliestCheckIn", in.toString(), "latestCheckIn", in.plusDays(5).toString(), "nights", 3)), null, null, null))
                .containsExactly("INVALID_FORMAT");
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

        // Narrowed: beds up to 50 USD a night ("far" costs 90): facets, histogram and clusters count "c" alone.
        response = post(null, query, Map.of("filter", Map.of("unitTypes", List.of("BED"),
                "price", Map.of("max", 5_000, "currency", "USD", "period", "NIGHT"), "currency", "USD")));
        assertThat(response.get("errors")).isNull();
        result = (Map<String, Object>) ((Map<String, Object>) response.get("data")).get("searchStays");
        assertThat(result.get("totalCount")).isEqualTo(1);
        facets = (Map<String, List<Map<String, Object>>>) result.get("facets");
        assertThat(facets.get("unitTypes")).containsExactly(Map.of("value", "BED", "count", 1));
        assertThat(facets.get("amenities")).containsExactly(Map.of("value", "wifi", "count", 1));
        assertThat(facets.get("priceHistogram")).singleElement().satisfies(b -> {
            assertThat(b.get("count")).isEqualTo(1);
            assertThat(((Map<String, Object>) b.get("min")).get("amount")).isEqualTo(2_000);
        });
        assertThat(((Map<String, Object>) ((List<Map<String, Object>>) result.get("coarse")).get(0).get("minPrice")))
                .isEqualTo(Map.of("amount", 2_600, "currency", "USD"));

        // By the month, between 100 and 1,000 USD: both beds (450 USD a month each, "far" too) in one bucket of
        // monthly prices, a twentieth of the range wide (rounded to 1, 2 or 5 x 10^k) instead of the default 100 USD.
        response = post(null, query, Map.of("filter", Map.of("unitTypes", List.of("BED"),
                "price", Map.of("min", 10_000, "max", 100_000, "currency", "USD", "period", "MONTH"), "currency", "USD")));
        assertThat(response.get("errors")).isNull();
        result = (Map<String, Object>) ((Map<String, Object>) response.get("data")).get("searchStays");
        assertThat(result.get("totalCount")).isEqualTo(2);
        facets = (Map<String, List<Map<String, Object>>>) result.get("facets");
        assertThat(facets.get("priceHistogram")).singleElement().satisfies(b -> {
            assertThat(b.get("count")).isEqualTo(2);
            long min = ((Number) ((Map<String, Object>) b.get("min")).get("amount")).longValue();
            long max = ((Number) ((Map<String, Object>) b.get("max")).get("amount")).longValue();
            assertThat(min).isLessThanOrEqualTo(45_000);
            assertThat(max).isGreaterThan(45_000);
            assertThat(max - min).isLessThan(10_000);
        });
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
        assertThat(searchCall.search(missing, false, java.time.Duration.ofSeconds(5))).failsWithin(java.time.Duration.ofSeconds(10))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withMessageContaining("404").withMessageContaining("index_not_found_exception");

        var refused = co.elastic.clients.elasticsearch.core.SearchRequest.of(s -> s.index(indexing.alias()).size(-2));
        assertThat(searchCall.search(refused, false, java.time.Duration.ofSeconds(5))).failsWithin(java.time.Duration.ofSeconds(10))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withMessageContaining("400");
    }
}
