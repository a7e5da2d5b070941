package io.nomadstays.unit;

import graphql.schema.idl.NaturalEnumValuesProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

/**
 * The GraphQL enum {@code UnitType} backed by {@link Unit.UnitType}'s constants rather than by its
 * names. graphql-java writes an enum value by searching the type's values with {@code equals}; with
 * names as the values, a Java constant matches none, and it searches them all again by name: 3% of
 * the API's CPU on a search page, for its 20 unit types (docs/benchmarks.md, "Profiling"). Inputs
 * now arrive as {@link Unit.UnitType}, which is what the controllers and {@code SearchInput} take.
 */
@Configuration(proxyBeanMethods = false)
class UnitTypeValues {

    @Bean
    RuntimeWiringConfigurer unitTypeConstants() {
        return wiring -> wiring.type("UnitType", type -> type.enumValues(new NaturalEnumValuesProvider<>(Unit.UnitType.class)));
    }
}
