package io.nomadstays.graphql;

import graphql.GraphQLContext;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Objects a resolver already has for this request (search results carry their property, operator,
 * price list and internet summary in the index document), so the batch loaders of nested fields
 * answer from memory and ask PostgreSQL only for what is missing.
 */
public final class Prefetched {

    private static final String KEY = Prefetched.class.getName();

    /** Marks an object known not to exist (a property without internet tests), so nobody asks again. */
    private static final Object ABSENT = new Object();

    private final Map<Class<?>, Map<UUID, Object>> byType = new ConcurrentHashMap<>();

    public static Prefetched of(GraphQLContext context) {
        return context.computeIfAbsent(KEY, k -> new Prefetched());
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
