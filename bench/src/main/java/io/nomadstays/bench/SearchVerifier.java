package io.nomadstays.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Checks that a raw body is the query the API sends for the same input: the same total, the same
 * 20 stays in the same order and the same aggregation counts. Run before every measurement, so a
 * change to {@code StayQuery} that the templates do not follow shows up as a mismatch in the report.
 */
final class SearchVerifier {

    record Outcome(int checked, int matched, List<String> mismatches, double meanTotal, int zeroResults) {
    }

    private final Http http;
    private final URI graphql;
    private final URI search;

    SearchVerifier(Http http, URI graphql, URI search) {
        this.http = http;
        this.graphql = graphql;
        this.search = search;
    }

    Outcome verify(List<SearchWorkload.Request> requests) throws Exception {
        int matched = 0;
        long totals = 0;
        int zero = 0;
        List<String> mismatches = new ArrayList<>();
        for (SearchWorkload.Request r : requests) {
            JsonNode api = Json.read(Http.ok(http.post(graphql, r.graphql(), Http.JSON), "API").body());
            JsonNode raw = Json.read(Http.ok(http.post(search, r.raw(), Http.JSON), "Elasticsearch").body());
            String problem = compare(r.kind(), api, raw);
            long total = raw.path("hits").path("total").path("value").asLong();
            totals += total;
            if (total == 0) {
                zero++;
            }
            if (problem == null) {
                matched++;
            } else if (mismatches.size() < 5) {
                mismatches.add(r.kind() + "#" + r.index() + " (" + r.summary() + "): " + problem);
            }
        }
        return new Outcome(requests.size(), matched, mismatches, requests.isEmpty() ? 0 : totals / (double) requests.size(), zero);
    }

    static String compare(SearchWorkload.Kind kind, JsonNode apiAnswer, JsonNode raw) {
        if (apiAnswer.has("errors")) {
            return "API errors " + apiAnswer.get("errors");
        }
        JsonNode api = apiAnswer.path("data").path("searchStays");
        long apiTotal = api.path("totalCount").asLong(-1);
        long rawTotal = raw.path("hits").path("total").path("value").asLong(-2);
        if (apiTotal != rawTotal) {
            return "totalCount " + apiTotal + " vs raw " + rawTotal;
        }
        List<String> apiIds = new ArrayList<>();
        api.path("edges").forEach(e -> apiIds.add(e.path("node").path("id").asString()));
        List<String> rawIds = new ArrayList<>();
        for (JsonNode hit : raw.path("hits").path("hits")) {
            if (rawIds.size() < 20) {
                rawIds.add(GlobalIds.encode(GlobalIds.STAY, UUID.fromString(hit.path("_id").asString())));
            }
        }
        if (!apiIds.equals(rawIds)) {
            return "stays differ: " + apiIds.size() + " from the API, " + rawIds.size() + " raw";
        }
        JsonNode aggs = raw.path("aggregations");
        if (kind == SearchWorkload.Kind.B) {
            long apiSum = 0;
            for (JsonNode b : api.path("facets").path("priceHistogram")) {
                apiSum += b.path("count").asLong();
            }
            long rawSum = 0;
            for (JsonNode b : aggs.path("histogram#prices").path("buckets")) {
                rawSum += b.path("doc_count").asLong();
            }
            if (apiSum != rawSum) {
                return "price histogram counts " + apiSum + " vs raw " + rawSum;
            }
        }
        if (kind == SearchWorkload.Kind.C) {
            long apiSum = 0;
            int apiClusters = 0;
            for (JsonNode c : api.path("mapClusters")) {
                apiSum += c.path("count").asLong();
                apiClusters++;
            }
            long rawSum = 0;
            int rawClusters = 0;
            for (var field : aggs.properties()) {
                if (field.getKey().startsWith("geotile_grid#clusters_")) {
                    for (JsonNode b : field.getValue().path("buckets")) {
                        rawSum += b.path("doc_count").asLong();
                        rawClusters++;
                    }
                }
            }
            if (apiSum != rawSum || apiClusters != rawClusters) {
                return "clusters " + apiClusters + "/" + apiSum + " vs raw " + rawClusters + "/" + rawSum;
            }
        }
        return null;
    }
}
