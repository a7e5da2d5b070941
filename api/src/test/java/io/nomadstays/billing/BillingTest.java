package io.nomadstays.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.graphql.GlobalId;
import io.nomadstays.support.IntegrationTest;
import java.util.Map;
import java.util.UUID;

/** Reading GraphQL answers, as every billing test does. */
abstract class BillingTest extends IntegrationTest {

    /** The {@code data} of an answer that has no errors. */
    @SuppressWarnings("unchecked")
    Map<String, Object> data(String subject, String query, Map<String, Object> variables) {
        Map<String, Object> response = post(subject, query, variables);
        assertThat(response).doesNotContainKey("errors");
        return (Map<String, Object>) response.get("data");
    }

    /** The value at {@code path} in nested maps. */
    @SuppressWarnings("unchecked")
    static <T> T at(Map<String, Object> map, String... path) {
        Object node = map;
        for (String key : path) {
            node = ((Map<String, Object>) node).get(key);
        }
        return (T) node;
    }

    static UUID uuid(String globalId) {
        return GlobalId.parse(globalId).orElseThrow().uuid();
    }
}
