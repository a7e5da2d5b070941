package io.nomadstays.graphql;

import io.nomadstays.identity.Caller;
import java.util.UUID;
import java.util.function.BiFunction;
import reactor.core.publisher.Mono;

/** Each feature loads its own node types for {@code node(id:)}, with its own visibility rules. */
public interface NodeLoader {

    GlobalId.Type type();

    /** The object if it exists and the caller may see it, else empty. */
    Mono<?> load(UUID id, Caller caller);

    static NodeLoader of(GlobalId.Type type, BiFunction<UUID, Caller, Mono<?>> load) {
        return new NodeLoader() {
            @Override
            public GlobalId.Type type() {
                return type;
            }

            @Override
            public Mono<?> load(UUID id, Caller caller) {
                return load.apply(id, caller);
            }
        };
    }
}
