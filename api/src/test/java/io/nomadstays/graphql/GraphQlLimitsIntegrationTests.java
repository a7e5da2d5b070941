package io.nomadstays.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.json.JsonCompareMode;

/** Limits and refusals that protect the API: each is explicit, tested, and answers with a stable code. */
class GraphQlLimitsIntegrationTests extends IntegrationTest {

    @Test
    void aDeeplyNestedQueryIsRefusedBeforeItRuns() {
        String deep = "{ operator(slug: \"x\") { properties { edges { node { units { edges { node { property { units { edges { node { property { name } } } } } } } } } } } } }";
        Map<String, Object> response = post(null, deep, Map.of());
        assertThat(response.get("data")).isNull();
        assertThat(response.get("errors").toString()).contains("maximum query depth exceeded");
    }

    @Test
    void anExpensiveQueryIsRefusedBeforeItRuns() {
        String wide = "{ operator(slug: \"x\") { properties(first: 100) { edges { node { units(first: 100) { edges { node { name pricing { currency } } } } } } } } }";
        Map<String, Object> response = post(null, wide, Map.of());
        assertThat(response.get("data")).isNull();
        assertThat(response.get("errors").toString()).contains("maximum query complexity exceeded");
    }

    @Test
    void limitsApplyOnEveryExecutionOfTheSameDocument() {
        String wide = "{ operator(slug: \"x\") { properties(first: 100) { edges { node { units(first: 100) { edges { node { name pricing { currency } } } } } } } } }";
        for (int i = 0; i < 3; i++) {
            assertThat(post(null, wide, Map.of()).get("errors").toString()).contains("maximum query complexity exceeded");
        }
        // The complexity depends on a variable: a document that passed once is checked again with other values.
        String byVariable = "query($n: Int) { operator(slug: \"x\") { properties(first: $n) { edges { node { units(first: 100) { edges { node { name pricing { currency } } } } } } } } }";
        assertThat(post(null, byVariable, Map.of("n", 1)).get("errors")).isNull();
        assertThat(post(null, byVariable, Map.of("n", 100)).get("errors").toString()).contains("maximum query complexity exceeded");
        assertThat(post(null, byVariable, Map.of("n", 1)).get("errors")).isNull();
        // So does the depth, when a directive with a variable decides what is selected.
        String deep = "query($deep: Boolean!) { operator(slug: \"x\") { properties(first: 1) { edges { node { units(first: 1) { edges { node { property { units(first: 1) { edges { node { property @include(if: $deep) { name } id } } } } } } } } } } } }";
        assertThat(post(null, deep, Map.of("deep", false)).get("errors")).isNull();
        assertThat(post(null, deep, Map.of("deep", true)).get("errors").toString()).contains("maximum query depth exceeded");
    }

    @Test
    void pageSizeAndCursorsAreChecked() {
        Fixtures.Ref op = fixtures.operator("limits");
        assertThat(op).isNotNull();
        Map<String, Object> tooMany = post(null, "{ operator(slug: \"limits\") { units(first: 101) { totalCount } } }", Map.of());
        assertThat(code(tooMany)).isEqualTo("OUT_OF_RANGE");
        Map<String, Object> negative = post(null, "{ operator(slug: \"limits\") { units(first: -1) { totalCount } } }", Map.of());
        assertThat(code(negative)).isEqualTo("OUT_OF_RANGE");
        Map<String, Object> badCursor = post(null, "{ operator(slug: \"limits\") { units(after: \"garbage\") { totalCount } } }", Map.of());
        assertThat(code(badCursor)).isEqualTo("INVALID_FORMAT");
    }

    @Test
    void malformedUnknownAndWrongTypeIdsAreClearErrors() {
        assertThat(code(post(null, "{ node(id: \"nope\") { id } }", Map.of()))).isEqualTo("MALFORMED_ID");
        String unknown = GlobalId.encode(GlobalId.Type.UNIT, java.util.UUID.randomUUID());
        assertThat(code(post(null, "query($id: ID!) { node(id: $id) { id } }", Map.of("id", unknown)))).isEqualTo("NOT_FOUND");
        assertThat(code(post(null, "query($id: ID!) { property(id: $id) { id } }", Map.of("id", unknown)))).isEqualTo("WRONG_ID_TYPE");
        Map<String, Object> nodes = post(null, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", Map.of("ids", List.of(unknown, "nope")));
        assertThat(((Map<?, ?>) nodes.get("data")).get("nodes")).isEqualTo(java.util.Arrays.asList(null, null));
    }

    @Test
    void anInvalidTokenIsRefusedWith401AndNoTokenIsAnonymous() {
        web.post().uri("/graphql").header("Authorization", "Bearer not.a.jwt").header("Content-Type", "application/json")
                .bodyValue(Map.of("query", "{ me { id } }")).exchange()
                .expectStatus().isUnauthorized();
        web.post().uri("/graphql").header("Content-Type", "application/json")
                .bodyValue(Map.of("query", "{ me { id } }")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.data.me").isEmpty();
    }

    /** {@link GraphQlAnswerHandler} writes the answers; the media types and statuses stay Spring's. */
    @Test
    void answersInTheMediaTypeAskedForWithTheSpecsStatuses() {
        web.post().uri("/graphql").header("Content-Type", "application/json").header("Accept", "application/graphql-response+json")
                .bodyValue(Map.of("query", "{ __typename me { id } }")).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("application/graphql-response+json")
                .expectBody().json("{\"data\":{\"__typename\":\"Query\",\"me\":null}}", JsonCompareMode.STRICT);
        web.post().uri("/graphql").header("Content-Type", "application/json").header("Accept", "application/json")
                .bodyValue(Map.of("query", "{ __typename }")).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("application/json")
                .expectBody().json("{\"data\":{\"__typename\":\"Query\"}}", JsonCompareMode.STRICT);
        // A document that fails validation: 400 under the GraphQL-over-HTTP media type, the error in the body.
        web.post().uri("/graphql").header("Content-Type", "application/json").header("Accept", "application/graphql-response+json")
                .bodyValue(Map.of("query", "{ noSuchField }")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").value(m -> assertThat((String) m).contains("noSuchField"))
                .jsonPath("$.data").doesNotExist();
    }

    @Test
    void unexpectedFailuresNeverLeakInternals() {
        Map<String, Object> response = post(null, "{ operator(slug: 12) { id } }", Map.of());
        assertThat(response.get("errors").toString()).doesNotContain("Exception").doesNotContain("at io.");
    }

    @SuppressWarnings("unchecked")
    private static String code(Map<String, Object> response) {
        var errors = (List<Map<String, Object>>) response.get("errors");
        assertThat(errors).as("errors of %s", response).isNotEmpty();
        return (String) ((Map<String, Object>) errors.get(0).get("extensions")).get("code");
    }
}
