package io.nomadstays.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.Scalars;
import graphql.schema.DataFetcher;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLSchema;
import graphql.schema.PropertyDataFetcher;
import graphql.schema.SchemaTraverser;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The record fetcher answers what graphql-java's own default fetcher answers, for any source. */
class RecordFieldsTests {

    public record Card(String name, int capacity, Boolean verified) {

        /** Not a component: graphql-java's fetcher reads it as a record-like method. */
        public String label() {
            return "card " + name;
        }

        /** Static, so not read as a field of the source by either fetcher. */
        public static String kind() {
            return "static";
        }

        /** Takes an argument: not a record-like method. */
        public String tagged(String prefix) {
            return prefix + name;
        }
    }

    private record Hidden(String name) {
    }

    public static final class Bean {

        public String getName() {
            return "bean";
        }

        public boolean isVerified() {
            return true;
        }
    }

    private static final GraphQLFieldDefinition NAME = field("name");

    @Test
    void readsRecordComponentsIncludingPrimitivesAndNullsAndPrivateRecords() throws Exception {
        assertThat(read("name", new Card("Loft", 2, null))).isEqualTo("Loft");
        assertThat(read("capacity", new Card("Loft", 2, null))).isEqualTo(2);
        assertThat(read("verified", new Card("Loft", 2, null))).isNull();
        assertThat(read("name", new Hidden("secret"))).isEqualTo("secret");
        assertThat(read("name", null)).isNull();
    }

    @Test
    void answersWhatGraphqlJavasFetcherAnswersForOtherSources() throws Exception {
        List<Object> sources = List.of(new Card("Loft", 2, true), Map.of("name", "from a map", "label", "map label"),
                new Bean(), new Hidden("h"), "a string");
        for (String name : List.of("name", "label", "verified", "kind", "tagged", "missing")) {
            for (Object source : sources) {
                Object expected = PropertyDataFetcher.fetching(name).get(field(name), source, () -> null);
                assertThat(read(name, source)).as(name + " of " + source).isEqualTo(expected);
            }
        }
        assertThat(read("label", new Card("Loft", 2, true))).isEqualTo("card Loft");
        assertThat(read("verified", new Bean())).isEqualTo(true);
    }

    @Test
    void oneFetcherServesSourcesOfSeveralClassesInTurn() throws Exception {
        RecordFields.Component fetcher = new RecordFields.Component("name");
        for (int i = 0; i < 3; i++) {
            assertThat(fetcher.get(NAME, new Card("c" + i, 1, null), () -> null)).isEqualTo("c" + i);
            assertThat(fetcher.get(NAME, new Hidden("h" + i), () -> null)).isEqualTo("h" + i);
            assertThat(fetcher.get(NAME, new Bean(), () -> null)).isEqualTo("bean");
            assertThat(fetcher.get(NAME, Map.of("name", "m" + i), () -> null)).isEqualTo("m" + i);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theVisitorTakesOnlyFieldsWithoutAFetcherOfTheirOwn() {
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse("""
                type Query { card: Card cards: [Card] }
                type Card { name: String capacity: Int verified: Boolean label: String shout: String }
                """), RuntimeWiring.newRuntimeWiring()
                .type("Query", t -> t
                        .dataFetcher("card", env -> new Card("Loft", 2, null))
                        .dataFetcher("cards", env -> List.of(new Card("A", 1, true), new Card("B", 3, false))))
                .type("Card", t -> t.dataFetcher("shout", env -> env.<Card>getSource().name().toUpperCase()))
                .build());
        GraphQLCodeRegistry.Builder registry = GraphQLCodeRegistry.newCodeRegistry(schema.getCodeRegistry());
        new SchemaTraverser().depthFirstFullSchema(List.of(RecordFields.visitor()), schema,
                Map.of(GraphQLCodeRegistry.Builder.class, registry));
        GraphQLSchema visited = schema.transformWithoutTypes(b -> b.codeRegistry(registry.build()));

        assertThat(fetcher(visited, "Card", "name")).isInstanceOf(RecordFields.Component.class);
        assertThat(fetcher(visited, "Card", "label")).isInstanceOf(RecordFields.Component.class);
        assertThat(fetcher(visited, "Card", "shout")).isNotInstanceOf(RecordFields.Component.class);
        assertThat(fetcher(visited, "Query", "card")).isNotInstanceOf(RecordFields.Component.class);
        assertThat(fetcher(visited, "__Type", "name")).isNotInstanceOf(RecordFields.Component.class);

        String query = "{ card { name capacity verified label shout } cards { name capacity } __type(name: \"Card\") { name } }";
        ExecutionResult before = GraphQL.newGraphQL(schema).build().execute(query);
        ExecutionResult after = GraphQL.newGraphQL(visited).build().execute(query);
        assertThat(after.getErrors()).isEmpty();
        assertThat(after.toSpecification()).isEqualTo(before.toSpecification());
        Map<String, Object> card = (Map<String, Object>) after.<Map<String, Object>>getData().get("card");
        assertThat(card).containsExactly(entry("name", "Loft"), entry("capacity", 2), entry("verified", null),
                entry("label", "card Loft"), entry("shout", "LOFT"));
        assertThat(after.<Map<String, Object>>getData().get("cards"))
                .isEqualTo(List.of(Map.of("name", "A", "capacity", 1), Map.of("name", "B", "capacity", 3)));
    }

    private static DataFetcher<?> fetcher(GraphQLSchema schema, String type, String field) {
        return schema.getCodeRegistry().getDataFetcher(FieldCoordinates.coordinates(type, field),
                schema.getObjectType(type).getFieldDefinition(field));
    }

    private static Object read(String name, Object source) throws Exception {
        return new RecordFields.Component(name).get(field(name), source, () -> null);
    }

    private static GraphQLFieldDefinition field(String name) {
        return GraphQLFieldDefinition.newFieldDefinition().name(name)
                .type(name.equals("verified") ? Scalars.GraphQLBoolean : Scalars.GraphQLString).build();
    }
}
