package io.nomadstays.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch._types.FieldValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading Elasticsearch's search answer; the integration tests send real ones. */
class SearchCallTests {

    private static final String SOURCE = """
            {"currency":"EUR","monthly_price":90000,"nightly_price":null,"ignored_later":{"a":[1,2]},
             "free_windows":[{"start":"2026-12-01","end":"2027-01-10","nights":40}],
             "display":{"unit":{"id":"u1","name":"Room 1","type":"ROOM"}}}""";

    @Test
    void readsTotalHitsWithSortValuesAndSourcesInOrderSkippingTheRest() throws IOException {
        var answer = read("""
                {"took":3,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},
                 "hits":{"total":{"value":318,"relation":"eq"},"max_score":null,"hits":[
                   {"_index":"stays-v1-1","_id":"u1","_score":null,"_source":%s,"sort":[90000,"u1"]},
                   {"_index":"stays-v1-1","_id":"u2","_score":1.5,"sort":[2.75,null,true,9223372036854775807],
                    "_source":{"currency":"USD","display":{"unit":{"id":"u2"}}}}]}}""".formatted(SOURCE));

        assertThat(answer.total()).isEqualTo(318);
        assertThat(answer.hits()).hasSize(2);
        var first = answer.hits().get(0);
        assertThat(values(first.sort())).containsExactly("Long 90000", "String u1");
        assertThat(first.source().currency()).isEqualTo("EUR");
        assertThat(first.source().monthlyPrice().longValue()).isEqualTo(90000);
        assertThat(first.source().nightlyPrice()).isNull();
        assertThat(first.source().freeWindows()).containsExactly(new StayDocument.FreeWindow("2026-12-01", "2027-01-10"));
        assertThat(first.source().display().unit().name()).isEqualTo("Room 1");
        var second = answer.hits().get(1);
        assertThat(values(second.sort())).containsExactly("Double 2.75", "Null null", "Boolean true", "Long " + Long.MAX_VALUE);
        assertThat(second.source().display().unit().id()).isEqualTo("u2");
        assertThat(answer.aggregation("prices").isMissingNode()).isTrue();
    }

    @Test
    void namesAggregationsWithoutTheirTypeAndReadsMapTiles() throws IOException {
        var answer = read("""
                {"hits":{"total":{"value":0,"relation":"eq"},"hits":[]},
                 "aggregations":{
                   "sterms#unit_types":{"buckets":[{"key":"ROOM","doc_count":7}]},
                   "geotile_grid#clusters_12":{"buckets":[
                     {"key":"12/1/2","doc_count":3,"geo_centroid#centre":{"location":{"lat":38.7,"lon":-9.1},"count":3},
                      "min#min_price":{"value":null}},
                     {"key":"12/1/3","doc_count":1,"min#min_price":{"value":45000.0},
                      "geo_centroid#centre":{"count":1,"location":{"lon":-9.2,"lat":38.8}}}]}}}""");

        assertThat(answer.hits()).isEmpty();
        assertThat(answer.aggregation("unit_types").path("buckets").get(0).path("doc_count").asInt()).isEqualTo(7);
        assertThat(answer.aggregation("clusters_12").isMissingNode()).isTrue();
        assertThat(answer.tiles("clusters_12")).containsExactly(
                new SearchCall.Tile(3, 38.7, -9.1, null), new SearchCall.Tile(1, 38.8, -9.2, 45000.0));
        assertThat(answer.tiles("clusters_13")).isEmpty();
    }

    @Test
    void bindsTheWindowsOfGroupsOnlyWhenAskedAndSkipsWhatOnlySearchUses() throws IOException {
        String answer = """
                {"hits":{"total":{"value":1},"hits":[{"_id":"d1","sort":[1],"_source":{
                  "unit_id":"d1","text":"Dorm 8\\nSurf hostel\\nCanggu","unavailable":[{"gte":"2026-12-01","lte":"2026-12-03"}],
                  "few_places":[{"start":"2026-12-04","end":"2026-12-06","free":2}],
                  "group_windows":[{"min_guests":2,"max_guests":3,"start":"2026-12-04","end":"2026-12-20","nights":16}],
                  "free_windows":[{"start":"2026-12-04","end":"2027-02-01","nights":59}],
                  "currency":"USD","display":{"unit":{"id":"d1","type":"DORM_BED"}}}}]}}""";

        StayDocument card = read(answer, false).hits().get(0).source();
        assertThat(card.groupWindows()).isNull();
        assertThat(card.freeWindows()).containsExactly(new StayDocument.FreeWindow("2026-12-04", "2027-02-01"));
        assertThat(card.display().unit().type()).isEqualTo("DORM_BED");

        StayDocument forGroups = read(answer, true).hits().get(0).source();
        assertThat(forGroups.groupWindows()).containsExactly(new StayDocument.GroupWindow(2, 3, "2026-12-04", "2026-12-20"));
        assertThat(forGroups.freeWindows()).isEqualTo(card.freeWindows());
        assertThat(forGroups.currency()).isEqualTo("USD");
    }

    @Test
    void refusesAMapTileWithoutItsCentre() {
        assertThatThrownBy(() -> read("""
                {"hits":{"total":{"value":0},"hits":[]},
                 "aggregations":{"geotile_grid#clusters_3":{"buckets":[{"key":"3/1/1","doc_count":2}]}}}"""))
                .isInstanceOf(IOException.class).hasMessageContaining("centre");
    }

    @Test
    void refusesAHitWithoutItsSource() {
        assertThatThrownBy(() -> read("""
                {"hits":{"total":{"value":1},"hits":[{"_id":"u1","sort":[1]}]}}"""))
                .isInstanceOf(IOException.class).hasMessageContaining("_source");
    }

    @Test
    void refusesAnAnswerThatIsNotAnObject() {
        assertThatThrownBy(() -> read("[]")).isInstanceOf(IOException.class).hasMessageContaining("START_OBJECT");
    }

    /** FieldValue has no equals: its kind and value. */
    private static List<String> values(List<FieldValue> values) {
        return values.stream().map(v -> v._kind() + " " + v._get()).toList();
    }

    private static SearchCall.Answer read(String json) throws IOException {
        return read(json, false);
    }

    private static SearchCall.Answer read(String json, boolean groupWindows) throws IOException {
        return SearchCall.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), groupWindows);
    }
}
