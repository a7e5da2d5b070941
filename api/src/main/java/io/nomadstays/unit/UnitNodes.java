package io.nomadstays.unit;

import io.nomadstays.graphql.GlobalId;
import io.nomadstays.graphql.NodeLoader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code node(id:)} for Unit and Stay IDs: one unit row, seen by staff as a Unit and by nomads as a Stay. */
@Configuration(proxyBeanMethods = false)
class UnitNodes {

    @Bean
    static NodeLoader unitNodeLoader(Units units) {
        return NodeLoader.of(GlobalId.Type.UNIT, units::findVisible);
    }

    @Bean
    static NodeLoader stayNodeLoader(Units units) {
        return NodeLoader.of(GlobalId.Type.STAY, (id, caller) -> units.findVisible(id, caller).map(Stay::new));
    }
}
