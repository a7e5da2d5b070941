package io.nomadstays.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.unit.Unit;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link SearchInput#of}: every field of the coerced GraphQL input lands in its own component. */
class SearchInputTests {

    @Test
    void readsEveryFieldOfTheCoercedInput() {
        Map<String, Object> in = new HashMap<>();
        in.put("city", "Lisbon");
        in.put("near", Map.of("lat", 38.72, "lon", -9.14, "radiusKm", 5.0));
        in.put("bounds", Map.of("north", 39.0, "south", 38.5, "east", -8.9, "west", -9.5));
        in.put("price", Map.of("min", 50_000L, "max", 120_000L, "currency", "EUR", "period", "MONTH"));
        in.put("minDownloadMbps", 50.0);
        in.put("verifiedInternetOnly", true);
        in.put("dates", Map.of("checkIn", LocalDate.of(2027, 1, 10), "checkOut", LocalDate.of(2027, 2, 10)));
        in.put("flexibleDates", Map.of("earliestCheckIn", LocalDate.of(2027, 6, 1), "latestCheckIn", LocalDate.of(2027, 6, 15),
                "nights", 60, "months", 2));
        in.put("guests", 3);
        in.put("unitTypes", List.of("PRIVATE_ROOM", "HOT_DESK"));
        in.put("amenities", List.of("desk", "balcony"));
        in.put("furnished", false);
        in.put("minSizeM2", 12.5);
        in.put("text", "大理");
        in.put("operatorIds", List.of("T3BlcmF0b3I6MQ"));
        in.put("currency", "JPY");

        assertThat(SearchInput.of(in)).isEqualTo(new SearchInput("Lisbon",
                new SearchInput.Near(38.72, -9.14, 5.0),
                new SearchInput.Bounds(39.0, 38.5, -8.9, -9.5),
                new SearchInput.PriceRange(50_000L, 120_000L, "EUR", SearchInput.Period.MONTH),
                50.0, true,
                new SearchInput.Dates(LocalDate.of(2027, 1, 10), LocalDate.of(2027, 2, 10)),
                new SearchInput.FlexibleDates(LocalDate.of(2027, 6, 1), LocalDate.of(2027, 6, 15), 60, 2),
                3, List.of(Unit.UnitType.PRIVATE_ROOM, Unit.UnitType.HOT_DESK), List.of("desk", "balcony"), false, 12.5,
                "大理", List.of("T3BlcmF0b3I6MQ"), "JPY"));
    }

    @Test
    void absentFieldsAndNullsStayNull() {
        Map<String, Object> in = new HashMap<>();
        in.put("city", "Dali");
        in.put("price", new HashMap<>(Map.of("currency", "USD", "period", "NIGHT")));
        in.put("guests", null);

        SearchInput input = SearchInput.of(in);

        assertThat(input.city()).isEqualTo("Dali");
        assertThat(input.price()).isEqualTo(new SearchInput.PriceRange(null, null, "USD", SearchInput.Period.NIGHT));
        assertThat(input.near()).isNull();
        assertThat(input.bounds()).isNull();
        assertThat(input.dates()).isNull();
        assertThat(input.flexibleDates()).isNull();
        assertThat(input.guests()).isNull();
        assertThat(input.unitTypes()).isNull();
        assertThat(input.minDownloadMbps()).isNull();
    }

    @Test
    void integersAreWidenedWhereTheSchemaSaysFloatOrLong() {
        // A JSON variable 5 for a Float is coerced to a Double by graphql-java; a Long may come as an Integer.
        SearchInput input = SearchInput.of(Map.of("near", Map.of("lat", 1, "lon", 2, "radiusKm", 5),
                "price", Map.of("min", 100, "currency", "USD", "period", SearchInput.Period.NIGHT)));

        assertThat(input.near()).isEqualTo(new SearchInput.Near(1.0, 2.0, 5.0));
        assertThat(input.price().min()).isEqualTo(100L);
        assertThat(input.price().period()).isEqualTo(SearchInput.Period.NIGHT);
    }
}
