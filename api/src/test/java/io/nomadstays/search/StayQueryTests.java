package io.nomadstays.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What StayQuery asks Elasticsearch for: the selected aggregations, the booking's stay rules. */
class StayQueryTests {

    private static final SearchCriteria ANYWHERE = new SearchCriteria(null, null, null, null, null, SearchInput.Period.NIGHT,
            null, false, null, null, null, null, null, null, null, null, null, null, "USD", SearchInput.Sort.RELEVANCE);

    private static Set<String> aggregations(Set<StayQuery.Facet> facets, List<Integer> precisions) {
        return StayQuery.aggregations(ANYWHERE, new StayQuery.Extras(facets, 1_000, precisions)).keySet();
    }

    @Test
    void onlyTheSelectedFacetsAreComputed() {
        assertThat(aggregations(EnumSet.of(StayQuery.Facet.PRICE_HISTOGRAM), List.of())).containsExactly("prices");
        assertThat(aggregations(EnumSet.of(StayQuery.Facet.UNIT_TYPES, StayQuery.Facet.AMENITIES), List.of()))
                .containsExactly("unit_types", "amenities");
        assertThat(aggregations(EnumSet.allOf(StayQuery.Facet.class), List.of(3, 14)))
                .containsExactly("unit_types", "amenities", "prices", "clusters_3", "clusters_14");
        assertThat(aggregations(EnumSet.noneOf(StayQuery.Facet.class), List.of())).isEmpty();
    }

    @Test
    void facetsAreNamedAfterTheFieldsOfStayFacets() {
        assertThat(StayQuery.Facet.ofField("priceHistogram")).isEqualTo(StayQuery.Facet.PRICE_HISTOGRAM);
        assertThat(StayQuery.Facet.ofField("unitTypes")).isEqualTo(StayQuery.Facet.UNIT_TYPES);
        assertThat(StayQuery.Facet.ofField("amenities")).isEqualTo(StayQuery.Facet.AMENITIES);
        assertThat(StayQuery.Facet.ofField("__typename")).isNull();
    }

    @Test
    void datesOfWholeMonthsAlsoLetUnitsLetByTheMonthIn() {
        String month = StayQuery.stayFits(LocalDate.of(2027, 1, 5), LocalDate.of(2027, 2, 5)).toString();
        assertThat(month).contains("{\"terms\":{\"granularity\":[\"MONTH\"]}}").contains("{\"lte\":28.0}")
                .contains("\"must_not\":[{\"terms\":{\"granularity\":[\"MONTH\",\"HOUR\"]}}]").contains("{\"lte\":31.0}");
        String nights = StayQuery.stayFits(LocalDate.of(2027, 1, 5), LocalDate.of(2027, 2, 4)).toString();
        assertThat(nights).doesNotContain("[\"MONTH\"]").contains("\"must_not\":[{\"terms\":{\"granularity\":[\"MONTH\",\"HOUR\"]}}]");
        // No maximum below the nights: a unit without one has no max_stay_nights and is kept, with no exists clause.
        assertThat(nights).contains("\"must_not\":[{\"range\":{\"max_stay_nights\":{\"lt\":30.0}}}]").doesNotContain("exists");
        // 31 January + 1 month = 28 February, as createBooking counts it.
        assertThat(StayQuery.stayFits(LocalDate.of(2027, 1, 31), LocalDate.of(2027, 2, 28)).toString()).contains("[\"MONTH\"]");
    }
}
