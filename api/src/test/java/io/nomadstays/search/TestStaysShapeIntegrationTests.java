package io.nomadstays.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.GetResponse;
import io.nomadstays.indexing.IndexingProperties;
import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The query tests index {@link TestStays} documents written by hand; this holds them to the shape
 * the indexer writes from PostgreSQL, so a field the indexer renames or adds cannot leave those tests
 * searching documents that no longer exist. Same fields at every depth, same JSON types (a null
 * matches anything: values differ, shapes must not).
 */
class TestStaysShapeIntegrationTests extends IntegrationTest {

    @Autowired
    ElasticsearchClient elasticsearch;

    @Autowired
    IndexingProperties indexing;

    @Autowired
    DatabaseCurrencyRates rates;

    @Test
    void handWrittenDocumentsHaveTheIndexersShape() throws IOException {
        TestStays stays = new TestStays(elasticsearch, indexing.alias());
        stays.reset();
        rates.reload().block();
        Fixtures.Ref operator = fixtures.operator("shape-op");
        Fixtures.Ref property = fixtures.property(operator, "Shape House");
        String manager = fixtures.staff(operator, "MANAGER");
        Fixtures.Ref unit = fixtures.unit(operator, property, "Room 1", false);
        // Every optional part the hand-written documents can have: a local city name, a size, a
        // maximum stay, a speed test and unavailable dates.
        db.sql("UPDATE property SET city_local = '长谷' WHERE id = :id").bind("id", property.uuid()).then().block();
        db.sql("UPDATE unit SET size_m2 = 18, max_stay = 90 WHERE id = :id").bind("id", unit.uuid()).then().block();
        LocalDate from = LocalDate.now().plusDays(10);
        mutate(manager, "mutation($id: ID!) { recordSpeedTest(input: {propertyId: $id, downloadMbps: 150, uploadMbps: 40}) { userErrors { code } } }",
                Map.of("id", property.id()));
        mutate(manager, "mutation($input: BlockDatesInput!) { blockDates(input: $input) { userErrors { code } } }",
                Map.of("input", Map.of("unitId", unit.id(), "from", from.toString(), "to", from.plusDays(5).toString())));
        mutate(manager, "mutation($id: ID!) { publishUnit(input: {unitId: $id}) { userErrors { code } } }", Map.of("id", unit.id()));

        String indexed = unit.uuid().toString();
        Map<String, Object> fromIndexer = await().atMost(Duration.ofSeconds(10)).until(() -> source(indexed),
                doc -> doc != null && doc.get("download_mbps") != null && !((List<?>) doc.get("unavailable")).isEmpty());

        String written = stays.index(new TestStays.Doc().with(d -> {
            d.cityLocal = "长谷";
            d.maxStay = 90;
            d.amenities = List.of();
            d.downloadMbps = 150.0;
            d.unavailable.add(new LocalDate[] {from, from.plusDays(5)});
        }), rates.current());
        Map<String, Object> handWritten = source(written);

        Map<String, String> expected = shape(fromIndexer);
        Map<String, String> actual = shape(handWritten);
        assertThat(actual.keySet()).as("fields of a TestStays document against the indexer's")
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((path, type) -> {
            String other = actual.get(path);
            if (!type.equals("null") && !other.equals("null")) {
                assertThat(other).as("JSON type of %s", path).isEqualTo(type);
            }
        });
    }

    private void mutate(String token, String mutation, Map<String, Object> variables) {
        Map<String, Object> response = post(token, mutation, variables);
        assertThat(response.get("errors")).isNull();
        assertThat(response.toString()).contains("userErrors=[]");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> source(String id) throws IOException {
        GetResponse<Map> got = elasticsearch.get(g -> g.index(indexing.alias()).id(id), Map.class);
        return got.found() ? (Map<String, Object>) got.source() : null;
    }

    /** Every path in the document ({@code display.unit.name}, {@code unavailable[].gte}) and its JSON type. */
    static Map<String, String> shape(Object document) {
        Map<String, String> paths = new TreeMap<>();
        walk("", document, paths);
        return paths;
    }

    private static void walk(String path, Object value, Map<String, String> paths) {
        if (value instanceof Map<?, ?> map) {
            if (!path.isEmpty()) {
                paths.merge(path, "object", TestStaysShapeIntegrationTests::merge);
            }
            map.forEach((k, v) -> walk(path.isEmpty() ? (String) k : path + "." + k, v, paths));
        } else if (value instanceof List<?> list) {
            paths.merge(path, "array", TestStaysShapeIntegrationTests::merge);
            list.forEach(v -> walk(path + "[]", v, paths));
        } else {
            paths.merge(path, value == null ? "null" : value instanceof Number ? "number"
                    : value instanceof Boolean ? "boolean" : "string", TestStaysShapeIntegrationTests::merge);
        }
    }

    private static String merge(String a, String b) {
        return a.equals("null") ? b : a;
    }
}
