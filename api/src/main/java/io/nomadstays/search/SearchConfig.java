package io.nomadstays.search;

import co.elastic.clients.transport.ElasticsearchTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import graphql.TrivialDataFetcher;
import graphql.schema.DataFetcher;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.nomadstays.graphql.Prefetched;
import io.nomadstays.internet.InternetSummary;
import io.nomadstays.operator.Operator;
import io.nomadstays.property.Property;
import io.nomadstays.unit.Stay;
import io.nomadstays.unit.Unit;
import io.nomadstays.unit.UnitPricing;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

@Configuration(proxyBeanMethods = false)
class SearchConfig {

    /**
     * Searches through Spring Boot's REST client (its connection pool and I/O threads, so a search
     * never holds a Netty event loop), with the answer read by {@link SearchCall}.
     */
    @Bean
    SearchCall searchCall(Rest5Client rest, ElasticsearchTransport transport, SearchProperties properties) {
        int gate = properties.gate() != null ? properties.gate() : 4 * Runtime.getRuntime().availableProcessors();
        return new SearchCall(rest, transport.jsonpMapper(), gate);
    }

    /** How many searches are past the gate and how many wait at it. */
    @Bean
    MeterBinder searchGateMetrics(SearchCall search) {
        return registry -> {
            Gauge.builder("nomad.search.gate.inside", search, SearchCall::searchesInside)
                    .description("searches at Elasticsearch or building their answer").register(registry);
            Gauge.builder("nomad.search.gate.waiting", search, SearchCall::searchesWaiting)
                    .description("searches waiting for their turn at the gate").register(registry);
        };
    }

    /** {@code searchStays}, by {@link SearchController#searchStays}. */
    @Bean
    RuntimeWiringConfigurer searchStays(SearchController search) {
        DataFetcher<CompletableFuture<SearchResults.StaySearchConnection>> fetcher = search::searchStays;
        return wiring -> wiring.type("Query", type -> type.dataFetcher("searchStays", fetcher));
    }

    /**
     * {@code mapClusters} reads the clusters the search already fetched for its precision. A plain
     * trivial fetcher, not a controller method: no handler invocation, observation or context
     * propagation per field for a map lookup.
     */
    @Bean
    RuntimeWiringConfigurer mapClusters() {
        TrivialDataFetcher<List<SearchResults.MapCluster>> clusters = env -> {
            SearchResults.StaySearchConnection connection = env.getSource();
            return connection.clusters().getOrDefault(env.<Integer>getArgument("precision"), List.of());
        };
        return wiring -> wiring.type("StaySearchConnection", type -> type.dataFetcher("mapClusters", clusters));
    }

    /**
     * The fields a search page answers from its index documents (what {@link SearchController}
     * prefetches, and each result's property and operator, which its {@link Stay} carries): from
     * memory when the request or the result has the object, else by their batch mappings.
     */
    @Bean
    GraphQlSourceBuilderCustomizer prefetchedSearchFields() {
        var visitor = Prefetched.fields(List.of(
                new Prefetched.Field<>("Unit", "property", Unit.class, Property.class, Unit::propertyId),
                new Prefetched.Field<>("Unit", "pricing", Unit.class, UnitPricing.class, Unit::uuid),
                new Prefetched.Field<>("Property", "operator", Property.class, Operator.class, Property::operatorId),
                new Prefetched.Field<>("Property", "internet", Property.class, InternetSummary.class, Property::uuid)),
                List.of(new Prefetched.Carried<>("Stay", "property", Stay.class, Stay::property),
                new Prefetched.Carried<>("Stay", "operator", Stay.class, Stay::operator)));
        return builder -> builder.typeVisitors(List.of(visitor));
    }
}
