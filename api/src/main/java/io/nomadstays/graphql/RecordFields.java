package io.nomadstays.graphql;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchemaElement;
import graphql.schema.GraphQLTypeVisitor;
import graphql.schema.GraphQLTypeVisitorStub;
import graphql.schema.LightDataFetcher;
import graphql.schema.PropertyDataFetcher;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.function.Supplier;

/**
 * The default data fetcher of every field no resolver claims, reading a record's component
 * through an accessor found once per record class.
 *
 * <p>graphql-java's default ({@link PropertyDataFetcher}) looks the getter up on every call, in a
 * cache keyed by the source's class loader, class name and the field's name: about 4% of the API's
 * CPU on a search page of 20 result cards, which reads some 300 such fields (docs/benchmarks.md,
 * "Profiling"). This fetcher answers the same: a record's accessor is what graphql-java finds first
 * for a record, and any other source (a map, a bean) goes to graphql-java's own fetcher.
 */
final class RecordFields {

    private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);

    private RecordFields() {
    }

    /**
     * A schema visitor (for {@code GraphQlSource.Builder#typeVisitors}) that gives each object
     * type's field without a data fetcher of its own a {@link Component} fetcher. It runs before
     * Spring's decoration, which leaves trivial fetchers such as these alone.
     */
    static GraphQLTypeVisitor visitor() {
        return new GraphQLTypeVisitorStub() {
            @Override
            public TraversalControl visitGraphQLObjectType(GraphQLObjectType type, TraverserContext<GraphQLSchemaElement> context) {
                if (!type.getName().startsWith("__")) {
                    GraphQLCodeRegistry.Builder registry = context.getVarFromParents(GraphQLCodeRegistry.Builder.class);
                    for (GraphQLFieldDefinition field : type.getFieldDefinitions()) {
                        FieldCoordinates coordinates = FieldCoordinates.coordinates(type, field);
                        if (!registry.hasDataFetcher(coordinates)) {
                            registry.dataFetcher(coordinates, new Component(field.getName()));
                        }
                    }
                }
                return TraversalControl.CONTINUE;
            }
        };
    }

    /** How one field reads a source of one class: {@code accessor} is null when it is not a record's component. */
    private record Reader(Class<?> type, MethodHandle accessor) {
    }

    /** The fetcher of one field: the last source class's reader first, then one per class. */
    static final class Component implements LightDataFetcher<Object> {

        private final String name;
        private final PropertyDataFetcher<Object> fallback;
        private final ClassValue<Reader> readers = new ClassValue<>() {
            @Override
            protected Reader computeValue(Class<?> type) {
                return new Reader(type, accessor(type, name));
            }
        };
        private volatile Reader last;

        Component(String name) {
            this.name = name;
            this.fallback = PropertyDataFetcher.fetching(name);
        }

        @Override
        public Object get(GraphQLFieldDefinition definition, Object source, Supplier<DataFetchingEnvironment> env) throws Exception {
            if (source == null) {
                return null;
            }
            Reader reader = last;
            if (reader == null || reader.type() != source.getClass()) {
                reader = readers.get(source.getClass());
                last = reader;
            }
            if (reader.accessor() == null) {
                return fallback.get(definition, source, env);
            }
            try {
                return reader.accessor().invokeExact(source);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("Reading " + name + " of " + source.getClass().getName(), e);
            }
        }

        @Override
        public Object get(DataFetchingEnvironment env) throws Exception {
            return get(env.getFieldDefinition(), env.getSource(), () -> env);
        }

        /**
         * A record's component, else its public no-argument method of that name (a derived value such
         * as {@code Stay.id()}), which is what graphql-java's fetcher finds first for a record.
         */
        private static MethodHandle accessor(Class<?> type, String name) {
            if (!type.isRecord()) {
                return null;
            }
            Method method = null;
            for (RecordComponent component : type.getRecordComponents()) {
                if (component.getName().equals(name)) {
                    method = component.getAccessor();
                }
            }
            if (method == null) {
                try {
                    method = type.getMethod(name);
                } catch (NoSuchMethodException e) {
                    return null;
                }
                if (Modifier.isStatic(method.getModifiers()) || method.getReturnType() == void.class) {
                    return null;
                }
            }
            try {
                // Private lookup: some records are nested in package-private classes.
                return MethodHandles.privateLookupIn(type, MethodHandles.lookup()).unreflect(method).asType(GETTER);
            } catch (IllegalAccessException e) {
                return null;
            }
        }
    }
}
