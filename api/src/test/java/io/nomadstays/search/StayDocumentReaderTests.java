package io.nomadstays.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link StayDocumentReader} against Jackson's binding of {@link StayDocument}'s annotations, on
 * documents the indexer wrote (search/stay-documents.json: hits of the demo index and the test
 * indices, and one dorm with places taken where every field is set).
 */
class StayDocumentReaderTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final List<String> NEAR_MISSES = List.of("added_later", "i", "idd", "nam", "createdat", "updatedAtZ",
            "currency ", "display_", "free_window", "medianDownloadMbp", "\u00e9nd", "longStayDiscountsAndMore");

    @Test
    void readsWhatJacksonBindsFromTheIndexersDocuments() throws IOException {
        List<ObjectNode> sources = sources();
        assertThat(sources).hasSize(5);
        for (ObjectNode source : sources) {
            StayDocument expected = MAPPER.treeToValue(source, StayDocument.class);
            assertThat(read(source, true)).isEqualTo(expected);
            assertThat(read(source, false)).isEqualTo(new StayDocument(expected.display(), expected.freeWindows(), null,
                    expected.nightlyPrice(), expected.monthlyPrice(), expected.currency()));
        }
    }

    @Test
    void theFixtureSetsEveryFieldSoAFieldTheReaderMissesFailsTheTest() throws IOException {
        StayDocument full = MAPPER.treeToValue(sources().get(4), StayDocument.class);
        assertThat(full.groupWindows()).hasSize(2);
        assertThat(full.display().pricing().longStayDiscounts()).isNotEmpty();
        for (Record part : List.of(full, full.display(), full.display().unit(), full.display().property(),
                full.display().operator(), full.display().pricing(), full.display().internet(),
                full.freeWindows().get(0), full.groupWindows().get(0), full.display().pricing().longStayDiscounts().get(0))) {
            for (var component : part.getClass().getRecordComponents()) {
                try {
                    assertThat(component.getAccessor().invoke(part)).as(part.getClass().getSimpleName() + "." + component.getName())
                            .isNotNull();
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    @Test
    void agreesWhateverTheOrderOfFieldsAndWithUnknownFieldsAtEveryLevel() throws IOException {
        Random random = new Random(7);
        for (ObjectNode source : sources()) {
            for (int round = 0; round < 20; round++) {
                ObjectNode shuffled = (ObjectNode) shuffle(source, random);
                StayDocument expected = MAPPER.treeToValue(shuffled, StayDocument.class);
                assertThat(read(shuffled, true)).isEqualTo(expected);
            }
        }
    }

    @Test
    void readsNullsAndMissingObjectsAsNull() throws IOException {
        StayDocument document = read("""
                {"currency":null,"free_windows":null,"group_windows":null,"nightly_price":null,
                 "display":{"unit":{"id":"u1","maxStay":null,"amenities":null},"pricing":null,"internet":null}}""");

        assertThat(document).isEqualTo(new StayDocument(new StayDocument.Display(
                new StayDocument.UnitDoc("u1", null, null, null, null, null, null, null, null, null, null, null, null, null,
                        null, null, null, null, null), null, null, null, null), null, null, null, null, null));
    }

    @Test
    void keepsIntegralNumbersIntegralAndDecimalsDecimal() throws IOException {
        StayDocument document = read("""
                {"nightly_price":4500,"monthly_price":9007199254740993,
                 "display":{"unit":{"sizeM2":17.0,"capacity":2},"property":{"lat":38.7,"lon":-9}}}""");

        assertThat(document.nightlyPrice()).isEqualTo(4500);
        assertThat(document.monthlyPrice()).isEqualTo(9007199254740993L);
        assertThat(document.display().unit().sizeM2()).isEqualTo(17.0);
        assertThat(document.display().property().lon()).isEqualTo(-9);
    }

    @Test
    void refusesAValueOfTheWrongKindNamingWhereItIs() {
        assertThatThrownBy(() -> read("""
                {"display":{"unit":{"id":"u1","capacity":"two"}}}"""))
                .isInstanceOf(IOException.class).hasMessageContaining("/display/unit/capacity").hasMessageContaining("number");
        assertThatThrownBy(() -> read("""
                {"free_windows":{"start":"2026-12-01"}}"""))
                .isInstanceOf(IOException.class).hasMessageContaining("/free_windows").hasMessageContaining("array");
        assertThatThrownBy(() -> read("""
                {"group_windows":[{"min_guests":2.5}]}"""))
                .isInstanceOf(IOException.class).hasMessageContaining("min_guests").hasMessageContaining("integer");
    }

    @Test
    void leavesTheParserOnTheEndOfTheSource() throws IOException {
        try (JsonParser p = MAPPER.createParser("""
                {"currency":"EUR","group_windows":[{"min_guests":2,"max_guests":4,"start":"a","end":"b"}]} {"next":1}"""
                .getBytes(StandardCharsets.UTF_8))) {
            p.nextToken();
            StayDocument document = StayDocumentReader.read(p, false);
            assertThat(document.currency()).isEqualTo("EUR");
            assertThat(document.groupWindows()).isNull();
            assertThat(p.currentToken()).isEqualTo(JsonToken.END_OBJECT);
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            assertThat(p.nextName()).isEqualTo("next");
        }
    }

    private static List<ObjectNode> sources() throws IOException {
        try (InputStream in = StayDocumentReaderTests.class.getResourceAsStream("/search/stay-documents.json")) {
            List<ObjectNode> sources = new ArrayList<>();
            for (JsonNode hit : MAPPER.readTree(in).path("hits").path("hits")) {
                sources.add((ObjectNode) hit.get("_source"));
            }
            return sources;
        }
    }

    /** A copy of {@code node} with the fields of every object in a random order and an unknown field added. */
    private static JsonNode shuffle(JsonNode node, Random random) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>(node.propertyNames());
            Collections.shuffle(names, random);
            ObjectNode copy = MAPPER.createObjectNode();
            int unknownAt = random.nextInt(names.size() + 1);
            for (int k = 0; k <= names.size(); k++) {
                if (k == unknownAt) {
                    // Near misses of the names the reader knows must not be taken for them.
                    String unknown = NEAR_MISSES.get(random.nextInt(NEAR_MISSES.size()));
                    copy.putObject(unknown).putArray("values").add(1).addObject().put("id", "not this one");
                }
                if (k < names.size()) {
                    copy.set(names.get(k), shuffle(node.get(names.get(k)), random));
                }
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = MAPPER.createArrayNode();
            node.forEach(element -> copy.add(shuffle(element, random)));
            return copy;
        }
        return node;
    }

    private static StayDocument read(JsonNode source, boolean groupWindows) throws IOException {
        return read(MAPPER.writeValueAsString(source), groupWindows);
    }

    private static StayDocument read(String json) throws IOException {
        return read(json, true);
    }

    /** From bytes, as the API reads Elasticsearch's answers (names are matched on the bytes). */
    private static StayDocument read(String json, boolean groupWindows) throws IOException {
        try (JsonParser p = MAPPER.createParser(json.getBytes(StandardCharsets.UTF_8))) {
            p.nextToken();
            return StayDocumentReader.read(p, groupWindows);
        }
    }
}
