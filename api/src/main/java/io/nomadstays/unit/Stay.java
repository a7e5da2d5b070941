package io.nomadstays.unit;

import io.nomadstays.operator.Operator;
import io.nomadstays.property.Property;
import io.nomadstays.shared.Money;
import java.time.LocalDate;

/**
 * The nomad's view of a unit: the unit with its property and operator. Search results carry the
 * property and operator their index document holds, and what the search computed for them
 * (distance, a display price, a quote for the dates, the earliest check-in of a flexible search);
 * elsewhere those are null, and the property and operator are loaded by their batch mappings.
 */
public record Stay(Unit unit, Property property, Operator operator, Double distanceKm, Money displayPrice, Quote priceForDates,
                   LocalDate earliestCheckIn) {

    public Stay(Unit unit) {
        this(unit, null, null, null, null, null, null);
    }

    public String id() {
        return unit.stayId();
    }
}
