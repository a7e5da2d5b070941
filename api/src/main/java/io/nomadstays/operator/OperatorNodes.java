package io.nomadstays.operator;

import io.nomadstays.graphql.GlobalId;
import io.nomadstays.graphql.NodeLoader;
import io.nomadstays.identity.Caller;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/** {@code node(id:)} for Operator and User IDs: both are public (a name, a slug, a display name). */
@Configuration(proxyBeanMethods = false)
class OperatorNodes {

    @Bean
    static NodeLoader operatorNodeLoader(Operators operators) {
        return new Loader(GlobalId.Type.OPERATOR, (id, caller) -> operators.findById(id));
    }

    @Bean
    static NodeLoader userNodeLoader(Operators operators) {
        return new Loader(GlobalId.Type.USER, (id, caller) -> operators.userProfile(id).map(p -> new User(id, p.displayName())));
    }

    private record Loader(GlobalId.Type type, java.util.function.BiFunction<UUID, Caller, Mono<?>> loader) implements NodeLoader {
        @Override
        public Mono<?> load(UUID id, Caller caller) {
            return loader.apply(id, caller);
        }
    }
}
