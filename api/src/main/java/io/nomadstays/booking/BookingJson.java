package io.nomadstays.booking;

import io.nomadstays.unit.Quote;
import io.nomadstays.unit.UnitPricing;
import tools.jackson.databind.json.JsonMapper;

/** The jsonb columns of a booking: its quote and the price list it was made from. */
final class BookingJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private BookingJson() {
    }

    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    static Quote quote(String json) {
        return MAPPER.readValue(json, Quote.class);
    }

    static UnitPricing pricing(String json) {
        return MAPPER.readValue(json, UnitPricing.class);
    }
}
