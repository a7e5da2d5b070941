package io.nomadstays.graphql;

import io.nomadstays.identity.Caller;
import java.util.UUID;
import reactor.core.publisher.Mono;

/** Each feature loads its own node types for {@code node(id:)}, with its own visibility rules. */
public interface NodeLoader {

    GlobalId.Type type();

    /** The object if it exists and the caller may see it, else empty. */
    Mono<?> load(UUID id, Caller caller);
}
