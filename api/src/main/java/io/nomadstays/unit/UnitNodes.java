package io.nomadstays.unit;

import io.nomadstays.graphql.GlobalId;
import io.nomadstays.graphql.NodeLoader;
import io.nomadstays.identity.Caller;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** {@code node(id:)} for Unit IDs. */
@Component
class UnitNodes implements NodeLoader {

    private final Units units;

    UnitNodes(Units units) {
        this.units = units;
    }

    @Override
    public GlobalId.Type type() {
        return GlobalId.Type.UNIT;
    }

    @Override
    public Mono<Unit> load(UUID id, Caller caller) {
        return units.findVisible(id, caller);
    }
}
