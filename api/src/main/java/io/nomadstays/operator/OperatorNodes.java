package io.nomadstays.operator;

import io.nomadstays.graphql.GlobalId;
import io.nomadstays.graphql.NodeLoader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code node(id:)} for Operator and User IDs: both are public (a name, a slug, a display name). */
@Configuration(proxyBeanMethods = false)
class OperatorNodes {

    @Bean
    static NodeLoader operatorNodeLoader(Operators operators) {
        return NodeLoader.of(GlobalId.Type.OPERATOR, (id, caller) -> operators.findById(id));
    }

    @Bean
    static NodeLoader userNodeLoader(Operators operators) {
        return NodeLoader.of(GlobalId.Type.USER, (id, caller) -> operators.userProfile(id).map(p -> new User(id, p.displayName())));
    }
}
