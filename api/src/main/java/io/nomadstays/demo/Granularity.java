package io.nomadstays.demo;

/** The values allowed by the CHECK on {@code unit.booking_granularity}; min and max stay count these. */
enum Granularity {
    HOUR, NIGHT, DAY, MONTH
}
