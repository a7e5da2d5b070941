package io.nomadstays.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SearchWorkloadTests {

    private static final List<Cities.City> CITIES = List.of(
            new Cities.City("Lisbon", "Lisboa", "PT", 38.7223, -9.1393, "EUR"),
            new Cities.City("Dali", "大理", "CN", 25.6065, 100.2676, "CNY"));

    private final SearchWorkload workload = new SearchWorkload(CITIES, LocalDate.of(2026, 11, 28));

    @Test
    void everyRawBodyIsJsonShapedLikeStayQuery() {
        for (SearchWorkload.Kind kind : SearchWorkload.Kind.values()) {
            for (SearchWorkload.Request r : workload.requests(kind, 1, 50)) {
                JsonNode raw = Json.read(r.raw());
                assertThat(raw.path("size").asInt()).isEqualTo(21);
                assertThat(raw.path("track_total_hits").asBoolean()).isTrue();
                assertThat(raw.path("sort").get(raw.path("sort").size() - 1).has("unit_id")).isTrue();
                JsonNode graphql = Json.read(r.graphql());
                assertThat(graphql.path("query").asString()).isEqualTo(workload.document(kind));
                assertThat(graphql.path("variables").path("filter").isObject()).isTrue();
            }
        }
    }

    @Test
    void queryAFiltersCityPriceAndSpeedLikeTheApi() {
        SearchWorkload.Request r = workload.requests(SearchWorkload.Kind.A, 7, 1).get(0);
        JsonNode filter = Json.read(r.graphql()).path("variables").path("filter");
        JsonNode raw = Json.read(r.raw()).path("query").path("bool").path("filter");
        String city = filter.path("city").asString();
        assertThat(raw.get(0).path("bool").path("should").get(0).path("term").path("city").path("value").asString())
                .isEqualTo(city.toLowerCase(java.util.Locale.ROOT));
        assertThat(raw.get(0).path("bool").path("should").get(1).path("term").path("city_local").path("value").asString()).isEqualTo(city);
        assertThat(raw.get(1).path("range").path("monthly_usd").path("gte").asDouble()).isEqualTo(filter.path("price").path("min").asDouble());
        assertThat(raw.get(1).path("range").path("monthly_usd").path("lte").asDouble()).isEqualTo(filter.path("price").path("max").asDouble());
        assertThat(raw.get(2).path("range").path("download_mbps").path("gte").asDouble()).isEqualTo(50.0);
    }

    @Test
    void queryCAsksForClustersAtTheRequestedPrecision() {
        SearchWorkload.Request r = workload.requests(SearchWorkload.Kind.C, 3, 1).get(0);
        int precision = Json.read(r.graphql()).path("variables").path("precision").asInt();
        JsonNode aggs = Json.read(r.raw()).path("aggregations");
        assertThat(aggs.has("clusters_" + precision)).isTrue();
        assertThat(aggs.path("clusters_" + precision).path("geotile_grid").path("precision").asDouble()).isEqualTo(precision);
    }

    @Test
    void theSameSeedGivesTheSameSequence() {
        var first = workload.requests(SearchWorkload.Kind.B, 42, 20);
        var again = workload.requests(SearchWorkload.Kind.B, 42, 20);
        for (int i = 0; i < first.size(); i++) {
            assertThat(again.get(i).raw()).isEqualTo(first.get(i).raw());
            assertThat(again.get(i).graphql()).isEqualTo(first.get(i).graphql());
        }
        assertThat(new String(workload.requests(SearchWorkload.Kind.B, 43, 1).get(0).raw(), StandardCharsets.UTF_8))
                .isNotEqualTo(new String(first.get(0).raw(), StandardCharsets.UTF_8));
    }

    @Test
    void queryBsStayRuleFollowsTheApis() {
        // 5 January to 5 February is a whole month (31 nights): units let by the month fit too, by 1 x 28.
        JsonNode wholeMonth = Json.read(SearchWorkload.stayFits(LocalDate.of(2027, 1, 5), LocalDate.of(2027, 2, 5)).getBytes(StandardCharsets.UTF_8));
        assertThat(wholeMonth.path("bool").path("should")).hasSize(2);
        assertThat(wholeMonth.toString()).contains("\"lte\":31.0").contains("\"lte\":28.0")
                .contains("\"terms\":{\"granularity\":[\"MONTH\"]}");
        // 30 nights from 5 January end on 4 February: nightly units only.
        JsonNode nights = Json.read(SearchWorkload.stayFits(LocalDate.of(2027, 1, 5), LocalDate.of(2027, 2, 4)).getBytes(StandardCharsets.UTF_8));
        assertThat(nights.path("bool").path("must_not").get(0).toString()).isEqualTo("{\"terms\":{\"granularity\":[\"MONTH\",\"HOUR\"]}}");
        assertThat(nights.toString()).contains("\"lte\":30.0").doesNotContain("should\":[{\"bool\":{\"must_not")
                .contains("\"must_not\":[{\"range\":{\"max_stay_nights\":{\"lt\":30.0}}}]").doesNotContain("exists");
    }

    @Test
    void renderingNeedsEveryPlaceholder() {
        assertThat(SearchWorkload.render("{\"a\":${x}}", Map.of("x", "1.0"))).isEqualTo("{\"a\":1.0}");
        assertThatThrownBy(() -> SearchWorkload.render("{\"a\":${y}}", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(SearchWorkload.minify("{ \"a b\" : [ 1, 2 ] }")).isEqualTo("{\"a b\":[1,2]}");
    }

    @Test
    void globalIdsMatchTheApis() {
        // A stay id and its unit UUID as the API returned them.
        assertThat(GlobalIds.encode(GlobalIds.STAY, UUID.fromString("018cc253-3a32-70a1-be60-40b3c0ef6225")))
                .isEqualTo("BQGMwlM6MnChvmBAs8DvYiU");
    }

    @Test
    void readsTheDemoCities() throws Exception {
        Path csv = Path.of("../api/src/main/resources/demo/nomad-cities.csv");
        if (csv.toFile().isFile()) {
            assertThat(Cities.read(csv)).hasSizeGreaterThanOrEqualTo(50);
        }
    }

    @Test
    void optionsAreParsedAndTyposRefused() {
        Args args = new Args(List.of("--api", "http://127.0.0.1:1", "--quick", "--clients=8"));
        assertThat(args.string("api", null)).isEqualTo("http://127.0.0.1:1");
        assertThat(args.flag("quick")).isTrue();
        assertThat(args.integer("clients", 32)).isEqualTo(8);
        args.checkAllRead();
        Args typo = new Args(List.of("--clinets", "8"));
        assertThatThrownBy(typo::checkAllRead).hasMessageContaining("clinets");
    }

    @Test
    void onlyLoopbackIsBenchmarked() {
        assertThat(Http.loopback("http://127.0.0.1:8080/").getPort()).isEqualTo(8080);
        assertThatThrownBy(() -> Http.loopback("http://192.0.2.1:8080/")).isInstanceOf(IllegalArgumentException.class);
    }
}
