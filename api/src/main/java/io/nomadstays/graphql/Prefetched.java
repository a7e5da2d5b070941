package io.nomadstays.graphql;

import graphql.GraphQLContext;
import graphql.TrivialDataFetcher;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLTypeVisitor;
import graphql.schema.GraphQLTypeVisitorStub;
import graphql.schema.LightDataFetcher;
import graphql.util.TraversalControl;
import graphql.schema.GraphQLSchemaElement;
import graphql.util.TraverserContext;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Objects a resolver already has for this request (search results carry their property, operator,
 * price list and internet summary in the index document), so the batch loaders of nested fields
 * answer from memory and ask PostgreSQL only for what is missing.
 *
 * <p>{@link #fields} goes one step further for the fields that usually only read prefetched
 * objects (a search page's {@code Stay.property}, {@code Stay.operator}, ...): their data fetcher
 * answers straight from memory when the request has the object, and falls back to the field's own
 * (batched) data fetcher when it has not. That spares a search page a DataLoader round, a Spring
 * handler invocation, a context-propagation scope and an observation per field and result.
 */
public final class Prefetched {

    private static final String KEY = Prefetched.class.getName();

    /** Marks an object known not to exist (a property without internet tests), so nobody asks again. */
    private static final Object ABSENT = new Object();

    private final Map<Class<?>, Map<UUID, Object>> byType = new ConcurrentHashMap<>();

    public static Prefetched of(GraphQLContext context) {
        return context.computeIfAbsent(KEY, k -> new Prefetched());
    }

    /**
     * A field answered from the prefetched objects of {@code type} by the id {@code key} gives for
     * the field's source, when the source is a {@code sourceType}.
     */
    public record Field<S>(String typeName, String fieldName, Class<S> sourceType, Class<?> type, Function<S, UUID> key) {
    }

    /**
     * A field whose source may already hold its value ({@code value} gives it, or null), such as a
     * search result's property: answered from the source without the request's context, so
     * graphql-java need not build a {@link DataFetchingEnvironment} for it.
     */
    public record Carried<S>(String typeName, String fieldName, Class<S> sourceType, Function<S, ?> value) {
    }

    /**
     * A schema visitor (for {@code GraphQlSource.Builder#typeVisitors}) that puts a data fetcher
     * answering from memory in front of each of {@code fields} (from the request's prefetched
     * objects) and of {@code carried} (from the source). It runs before Spring's own decoration,
     * and the new fetchers are trivial (no context propagation, no observation): a miss delegates
     * to the field's original data fetcher, typically a {@code @BatchMapping} that returns a
     * DataLoader future, whose batch loader propagates the context itself.
     */
    public static GraphQLTypeVisitor fields(List<Field<?>> fields, List<Carried<?>> carried) {
        Map<FieldCoordinates, Function<DataFetcher<?>, DataFetcher<?>>> byCoordinates = new HashMap<>();
        for (Field<?> field : fields) {
            byCoordinates.put(FieldCoordinates.coordinates(field.typeName(), field.fieldName()), original -> new FirstFromMemory<>(field, original));
        }
        for (Carried<?> field : carried) {
            byCoordinates.put(FieldCoordinates.coordinates(field.typeName(), field.fieldName()), original -> new FromSource<>(field, original));
        }
        return new GraphQLTypeVisitorStub() {
            @Override
            public TraversalControl visitGraphQLFieldDefinition(GraphQLFieldDefinition definition, TraverserContext<GraphQLSchemaElement> context) {
                if (context.getParentNode() instanceof GraphQLFieldsContainer parent) {
                    FieldCoordinates coordinates = FieldCoordinates.coordinates(parent, definition);
                    var wrap = byCoordinates.get(coordinates);
                    if (wrap != null) {
                        GraphQLCodeRegistry.Builder registry = context.getVarFromParents(GraphQLCodeRegistry.Builder.class);
                        registry.dataFetcher(coordinates, wrap.apply(registry.getDataFetcher(coordinates, definition)));
                    }
                }
                return TraversalControl.CONTINUE;
            }
        };
    }

    private record FromSource<S>(Carried<S> field, DataFetcher<?> original) implements LightDataFetcher<Object> {

        @Override
        public Object get(GraphQLFieldDefinition definition, Object source, Supplier<DataFetchingEnvironment> env) throws Exception {
            if (field.sourceType().isInstance(source)) {
                Object value = field.value().apply(field.sourceType().cast(source));
                if (value != null) {
                    return value;
                }
            }
            return original.get(env.get());
        }

        @Override
        public Object get(DataFetchingEnvironment env) throws Exception {
            return get(env.getFieldDefinition(), env.getSource(), () -> env);
        }
    }

    private record FirstFromMemory<S>(Field<S> field, DataFetcher<?> original) implements TrivialDataFetcher<Object> {

        @Override
        public Object get(DataFetchingEnvironment env) throws Exception {
            Prefetched prefetched = env.getGraphQlContext().get(KEY);
            Object source = env.getSource();
            if (prefetched != null && field.sourceType().isInstance(source)) {
                Map<UUID, Object> known = prefetched.byType.get(field.type());
                Object value = known == null ? null : known.get(field.key().apply(field.sourceType().cast(source)));
                if (value != null) {
                    return value == ABSENT ? null : value;
                }
            }
            return original.get(env);
        }
    }

    /** Remembers {@code value}, or that there is none when it is null. */
    public <T> void put(Class<T> type, UUID id, T value) {
        byType.computeIfAbsent(type, t -> new ConcurrentHashMap<>()).put(id, value == null ? ABSENT : value);
    }

    /**
     * The objects for {@code ids}: those prefetched, plus what {@code loader} finds for the rest
     * (the loader is not called when nothing is missing).
     */
    public <T> Mono<Map<UUID, T>> load(Class<T> type, Collection<UUID> ids, Function<List<UUID>, Mono<Map<UUID, T>>> loader) {
        Map<UUID, Object> known = byType.getOrDefault(type, Map.of());
        Map<UUID, T> found = new HashMap<>();
        var missing = new java.util.LinkedHashSet<UUID>();
        for (UUID id : ids) {
            Object value = known.get(id);
            if (value == ABSENT) {
                continue;
            }
            if (value != null) {
                found.put(id, type.cast(value));
            } else {
                missing.add(id);
            }
        }
        if (missing.isEmpty()) {
            return Mono.just(found);
        }
        return loader.apply(List.copyOf(missing)).map(loaded -> {
            found.putAll(loaded);
            return found;
        });
    }
}
