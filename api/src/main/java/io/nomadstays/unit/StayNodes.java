package io.nomadstays.unit;

import io.nomadstays.graphql.GlobalId;
import io.nomadstays.graphql.NodeLoader;
import io.nomadstays.identity.Caller;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** {@code node(id:)} for Stay IDs. */
@Component
class StayNodes implements NodeLoader {

    private final Units units;

    StayNodes(Units units) {
        this.units = units;
    }

    @Override
    public GlobalId.Type type() {
        return GlobalId.Type.STAY;
    }

    @Override
    public Mono<Stay> load(UUID id, Caller caller) {
        return units.findVisible(id, caller).map(Stay::new);
    }
}
