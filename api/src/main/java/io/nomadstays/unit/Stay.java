package io.nomadstays.unit;

import io.nomadstays.graphql.GlobalId;

/** The nomad's view of a unit: the unit with its property and operator (search results are stays). */
public record Stay(Unit unit) {

    public String id() {
        return unit.stayId();
    }
}
