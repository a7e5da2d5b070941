package io.nomadstays.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The aggregations a search asks Elasticsearch for follow what the operation selects. */
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
}
