package io.nomadstays.search;

import io.nomadstays.graphql.Connection;
import io.nomadstays.property.Property;
import io.nomadstays.shared.Money;
import io.nomadstays.unit.Stay;
import java.util.List;
import java.util.Map;

/** The GraphQL types of a search answer. */
final class SearchResults {

    private SearchResults() {
    }

    record StaySearchConnection(List<Edge> edges, Connection.PageInfo pageInfo, int totalCount, Facets facets,
                                Map<Integer, List<MapCluster>> clusters) {
    }

    record Edge(String cursor, Stay node) {
    }

    record Facets(List<PriceBucket> priceHistogram, List<FacetCount> unitTypes, List<FacetCount> amenities) {
        static final Facets NONE = new Facets(List.of(), List.of(), List.of());
    }

    record PriceBucket(Money min, Money max, int count) {
    }

    record FacetCount(String value, int count) {
    }

    record MapCluster(Property.GeoPoint center, int count, Money minPrice) {
    }
}
