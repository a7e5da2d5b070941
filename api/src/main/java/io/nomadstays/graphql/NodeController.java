package io.nomadstays.graphql;

import io.nomadstays.identity.Caller;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code node(id:)} and {@code nodes(ids:)}: route a global ID to the feature that owns its type. */
@Controller
class NodeController {

    private static final int MAX_NODES = 100;

    private final Map<GlobalId.Type, NodeLoader> loaders = new EnumMap<>(GlobalId.Type.class);

    NodeController(List<NodeLoader> loaders) {
        loaders.forEach(l -> this.loaders.put(l.type(), l));
    }

    @QueryMapping
    Mono<Object> node(@Argument String id, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        GlobalId gid = GlobalId.parse(id)
                .orElseThrow(() -> new ApiException(UserErrorCode.MALFORMED_ID, "'" + abbreviate(id) + "' is not a valid ID"));
        NodeLoader loader = loaders.get(gid.type());
        if (loader == null) {
            return Mono.error(new ApiException(UserErrorCode.NOT_FOUND, "No " + gid.type().typeName() + " with ID " + id));
        }
        return loader.load(gid.uuid(), caller)
                .cast(Object.class)
                .switchIfEmpty(Mono.error(new ApiException(UserErrorCode.NOT_FOUND, "No " + gid.type().typeName() + " with ID " + id)));
    }

    @QueryMapping
    Mono<List<Object>> nodes(@Argument List<String> ids, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        if (ids.size() > MAX_NODES) {
            return Mono.error(new ApiException(UserErrorCode.OUT_OF_RANGE, "at most " + MAX_NODES + " ids, got " + ids.size()));
        }
        // Unknown or invisible ids become null entries, as Relay expects of nodes(ids:).
        return Flux.fromIterable(ids)
                .concatMap(id -> Mono.justOrEmpty(GlobalId.parse(id))
                        .flatMap(gid -> Optional.ofNullable(loaders.get(gid.type()))
                                .<Mono<Object>>map(l -> l.load(gid.uuid(), caller).cast(Object.class))
                                .orElse(Mono.empty()))
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty()))
                .collectList()
                .map(found -> found.stream().map(o -> o.orElse(null)).collect(java.util.stream.Collectors.toList()));
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
