package io.nomadstays.search;

import co.elastic.clients.elasticsearch._types.FieldValue;
import graphql.GraphQLContext;
import graphql.language.Field;
import graphql.language.IntValue;
import graphql.language.Selection;
import graphql.language.VariableReference;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.SelectedField;
import io.nomadstays.graphql.ApiException;
import io.nomadstays.graphql.Connection;
import io.nomadstays.graphql.PageRequest;
import io.nomadstays.graphql.Prefetched;
import io.nomadstays.graphql.UserErrorCode;
import io.nomadstays.index.ElasticsearchRefused;
import io.nomadstays.index.ExchangeRates;
import io.nomadstays.indexing.IndexingProperties;
import io.nomadstays.internet.InternetSummary;
import io.nomadstays.operator.Operator;
import io.nomadstays.payments.PaymentsProperties;
import io.nomadstays.property.Property;
import io.nomadstays.shared.Money;
import io.nomadstays.unit.Quote;
import io.nomadstays.unit.Quotes;
import io.nomadstays.unit.Stay;
import io.nomadstays.unit.Unit;
import io.nomadstays.unit.UnitPricing;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** {@code searchStays}: validates, asks Elasticsearch once, and answers from the index documents. */
@Component
class SearchController {

    private static final Logger log = LoggerFactory.getLogger(SearchController.class);
    private static final int MAX_HISTOGRAM_BUCKETS = 50;

    private final SearchCall elasticsearch;
    private final DatabaseCurrencyRates liveRates;
    private final SearchProperties properties;
    private final String alias;
    private final boolean payableOnly;
    private final Clock clock;

    SearchController(SearchCall elasticsearch, DatabaseCurrencyRates liveRates, SearchProperties properties,
                     IndexingProperties indexing, PaymentsProperties payments) {
        this.elasticsearch = elasticsearch;
        this.liveRates = liveRates;
        this.properties = properties;
        this.alias = indexing.alias();
        // Units a nomad could not book (createBooking refuses them) are not offered.
        this.payableOnly = payments.requireChargesEnabled();
        this.clock = Clock.systemUTC();
    }

    /**
     * The {@code searchStays} data fetcher (registered by {@link SearchConfig#searchStays}). A plain
     * fetcher rather than a controller method: Spring's handler invocation, argument binding and
     * reactive adapters cost about a twentieth of a search's CPU (docs/benchmarks.md, "Profiling").
     * It stays non-trivial, so Spring still times it and propagates the request's context into it.
     */
    CompletableFuture<SearchResults.StaySearchConnection> searchStays(DataFetchingEnvironment env) {
        SearchInput filter = SearchInput.of(env.getArgument("filter"));
        Object sort = env.getArgument("sort");
        SearchInput.Sort order = sort == null ? SearchInput.Sort.RELEVANCE : SearchInput.Sort.valueOf(SearchInput.name(sort));
        String after = env.getArgument("after");
        ExchangeRates rates = liveRates.current();
        SearchCriteria criteria = SearchValidation.validate(filter, order, rates, clock);
        PageRequest page = PageRequest.of(env.getArgument("first"), null);
        StayQuery.Order pageOrder = StayQuery.Order.of(criteria);
        List<FieldValue> searchAfter = after == null ? null : SearchCursor.decode(after, pageOrder);
        Selected selected = Selected.of(env);
        StayQuery.Extras extras = new StayQuery.Extras(selected.facets(),
                histogramIntervalUsd(criteria, rates), clusterPrecisions(selected.precisions()));
        var request = StayQuery.request(alias, criteria, payableOnly, page.limit(), searchAfter, extras);
        GraphQLContext context = env.getGraphQlContext();
        CompletableFuture<SearchResults.StaySearchConnection> connection = new CompletableFuture<>();
        CompletableFuture<SearchCall.Answer> call;
        try {
            call = elasticsearch.search(request, criteria.flexibleForGroup(), properties.timeout());
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((response, error) -> {
            if (error != null) {
                connection.completeExceptionally(failed(error));
                return;
            }
            try {
                connection.complete(answer(criteria, rates, pageOrder, page, after != null, extras, response, context));
            } catch (RuntimeException e) {
                connection.completeExceptionally(e);
            }
        });
        return connection;
    }

    /**
     * Elasticsearch down, slow or without the index: SEARCH_UNAVAILABLE, worth a retry. A query it
     * refuses (400 after our validation) would fail the same way on every retry: an internal error,
     * which the client is not told to retry and which reaches the logs as an error.
     */
    static Throwable failed(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof ElasticsearchRefused refused && refused.status() >= 400 && refused.status() < 500 && refused.status() != 404) {
            log.error("Elasticsearch refused a search: {}", refused.getMessage());
            return new IllegalStateException("search refused by Elasticsearch", refused);
        }
        log.warn("search failed: {}", e.toString());
        return new ApiException("SEARCH_UNAVAILABLE", "Search is unavailable right now; retry in a few seconds");
    }

    private SearchResults.StaySearchConnection answer(SearchCriteria c, ExchangeRates rates, StayQuery.Order sort, PageRequest page, boolean hadCursor,
                                                      StayQuery.Extras extras, SearchCall.Answer response, GraphQLContext context) {
        Prefetched prefetched = Prefetched.of(context);
        List<SearchCall.Hit> hits = response.hits();
        boolean hasNext = hits.size() > page.first();
        List<SearchResults.Edge> edges = new ArrayList<>();
        for (SearchCall.Hit hit : hits.subList(0, Math.min(hits.size(), page.first()))) {
            StayDocument source = hit.source();
            StayDisplay display = StayDisplay.from(source.display());
            prefetched.put(Property.class, display.property().uuid(), display.property());
            prefetched.put(Operator.class, display.operator().uuid(), display.operator());
            prefetched.put(UnitPricing.class, display.unit().uuid(), display.pricing());
            prefetched.put(InternetSummary.class, display.property().uuid(), display.internet());
            Stay stay = new Stay(display.unit(), display.property(), display.operator(), distanceKm(c, display.property()),
                    displayPrice(c, rates, source), quote(c, rates, display.unit().type(), display.pricing()), earliestCheckIn(c, source));
            edges.add(new SearchResults.Edge(SearchCursor.encode(sort, hit.sort()), stay));
        }
        var pageInfo = new Connection.PageInfo(hasNext, hadCursor,
                edges.isEmpty() ? null : edges.get(0).cursor(), edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor());
        int total = (int) response.total();
        SearchResults.Facets facets = extras.facets().isEmpty() ? SearchResults.Facets.NONE : facets(c, rates, extras, response);
        Map<Integer, List<SearchResults.MapCluster>> clusters = new LinkedHashMap<>();
        for (int precision : extras.clusterPrecisions()) {
            clusters.put(precision, clusters(c, rates, response.tiles("clusters_" + precision)));
        }
        return new SearchResults.StaySearchConnection(edges, pageInfo, total, facets, clusters);
    }

    private static Double distanceKm(SearchCriteria c, Property property) {
        double[] origin = c.origin();
        if (origin == null) {
            return null;
        }
        return Math.round(Geo.haversineKm(origin[0], origin[1], property.location().lat(), property.location().lon()) * 100) / 100.0;
    }

    private static Money displayPrice(SearchCriteria c, ExchangeRates rates, StayDocument source) {
        Number amount = c.period() == SearchInput.Period.MONTH ? source.monthlyPrice() : source.nightlyPrice();
        if (amount == null) {
            return null;
        }
        return convert(rates, amount.longValue(), source.currency(), c.displayCurrency());
    }

    private static Quote quote(SearchCriteria c, ExchangeRates rates, Unit.UnitType type, UnitPricing pricing) {
        if (!c.hasDates() || pricing == null) {
            return null;
        }
        // What createBooking will charge for these guests: beds and desks per person.
        return Quotes.quote(pricing, c.checkIn(), c.checkOut(), type.places(c.guests() == null ? 1 : c.guests()))
                .map(q -> q.withDisplay(convert(rates, q.total().amount(), q.total().currency(), c.displayCurrency()), rates.asOf()))
                .orElse(null);
    }

    private static Money convert(ExchangeRates rates, long amount, String from, String to) {
        return DatabaseCurrencyRates.convert(rates, amount, from, to);
    }

    /**
     * The first day in the window that starts a free stay of the asked length: for a group and a unit
     * sold per person with places taken, in the windows of that group's size.
     */
    private static LocalDate earliestCheckIn(SearchCriteria c, StayDocument source) {
        if (c.flexible() == null) {
            return null;
        }
        var f = c.flexible();
        List<StayDocument.FreeWindow> windows = source.freeWindows();
        if (c.flexibleForGroup() && source.groupWindows() != null && !source.groupWindows().isEmpty()) {
            windows = source.groupWindows().stream()
                    .filter(w -> w.minGuests() <= c.guests() && c.guests() <= w.maxGuests())
                    .map(w -> new StayDocument.FreeWindow(w.start(), w.end()))
                    .toList();
        }
        if (windows == null || windows.isEmpty()) {
            return f.earliest();
        }
        LocalDate best = null;
        for (StayDocument.FreeWindow w : windows) {
            LocalDate start = LocalDate.parse(w.start());
            LocalDate end = LocalDate.parse(w.end());
            LocalDate candidate = start.isAfter(f.earliest()) ? start : f.earliest();
            if (!candidate.isAfter(f.latest()) && !candidate.plusDays(f.nights()).isAfter(end)
                    && (best == null || candidate.isBefore(best))) {
                best = candidate;
            }
        }
        return best;
    }

    private static double histogramIntervalUsd(SearchCriteria c, ExchangeRates rates) {
        // A round width in the display currency (1, 2 or 5 x 10^k minor units), so bucket edges read well there.
        long usdWidth;
        if (c.minUsd() != null && c.maxUsd() != null && c.maxUsd() > c.minUsd()) {
            usdWidth = Math.max(1, (c.maxUsd() - c.minUsd()) / 20);
        } else {
            usdWidth = c.period() == SearchInput.Period.MONTH ? 10_000 : 1_000;
        }
        long display = Math.max(1, rates.fromUsdCents(usdWidth, c.displayCurrency()));
        return Math.max(1, rates.toUsdCents(nice(display), c.displayCurrency()));
    }

    static long nice(long value) {
        long magnitude = 1;
        while (magnitude * 10 <= value) {
            magnitude *= 10;
        }
        for (long step : new long[] {1, 2, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static SearchResults.Facets facets(SearchCriteria c, ExchangeRates rates, StayQuery.Extras extras, SearchCall.Answer answer) {
        List<SearchResults.FacetCount> types = counts(answer.aggregation("unit_types"));
        List<SearchResults.FacetCount> amenities = counts(answer.aggregation("amenities"));
        List<JsonNode> buckets = answer.aggregation("prices").path("buckets").valueStream().toList();
        double interval = extras.histogramIntervalUsd();
        long displayWidth = rates.fromUsdCents(Math.round(interval), c.displayCurrency());
        // Too many narrow buckets: merge neighbours (counts add up exactly) until at most 50 remain.
        int merge = Math.max(1, (int) Math.ceil(buckets.isEmpty() ? 1
                : (Math.round((buckets.get(buckets.size() - 1).path("key").asDouble() - buckets.get(0).path("key").asDouble()) / interval) + 1)
                        / (double) MAX_HISTOGRAM_BUCKETS));
        Map<Long, Integer> merged = new LinkedHashMap<>();
        for (JsonNode b : buckets) {
            long index = Math.round(b.path("key").asDouble() / interval) / merge;
            merged.merge(index, b.path("doc_count").asInt(), Integer::sum);
        }
        String currency = c.displayCurrency();
        List<SearchResults.PriceBucket> histogram = merged.entrySet().stream()
                .map(e -> new SearchResults.PriceBucket(Money.of(e.getKey() * merge * displayWidth, currency),
                        Money.of((e.getKey() + 1) * merge * displayWidth, currency), e.getValue()))
                .toList();
        return new SearchResults.Facets(histogram, types, amenities);
    }

    private static List<SearchResults.FacetCount> counts(JsonNode terms) {
        return terms.path("buckets").valueStream()
                .map(b -> new SearchResults.FacetCount(b.path("key").asString(), b.path("doc_count").asInt())).toList();
    }

    private static List<SearchResults.MapCluster> clusters(SearchCriteria c, ExchangeRates rates, List<SearchCall.Tile> tiles) {
        List<SearchResults.MapCluster> clusters = new ArrayList<>(tiles.size());
        for (SearchCall.Tile tile : tiles) {
            Double min = tile.min();
            Money minPrice = min == null || min.isInfinite() || min.isNaN() ? null
                    : Money.of(rates.fromUsdCents(Math.round(min), c.displayCurrency()), c.displayCurrency());
            clusters.add(new SearchResults.MapCluster(new Property.GeoPoint(tile.lat(), tile.lon()), tile.count(), minPrice));
        }
        return clusters;
    }

    /**
     * What the searchStays field selects right below it that changes the Elasticsearch request:
     * the fields of {@code facets} (one aggregation each), and the {@code precision} argument of each
     * {@code mapClusters}, in document order. Plain fields (the usual case) are read from the document itself; fragments or
     * directives go through graphql-java's selection set, which builds a normalized form of the
     * whole operation (a few percent of a search's CPU, for two names).
     */
    record Selected(Set<StayQuery.Facet> facets, List<Object> precisions) {

        static Selected of(DataFetchingEnvironment env) {
            Set<StayQuery.Facet> facets = EnumSet.noneOf(StayQuery.Facet.class);
            List<Object> precisions = new ArrayList<>();
            for (Field field : env.getMergedField().getFields()) {
                if (field.getSelectionSet() == null) {
                    return ofSelectionSet(env);
                }
                for (Selection<?> selection : field.getSelectionSet().getSelections()) {
                    if (!(selection instanceof Field child) || !child.getDirectives().isEmpty()) {
                        return ofSelectionSet(env);
                    }
                    if (child.getName().equals("facets")) {
                        if (child.getSelectionSet() == null) {
                            return ofSelectionSet(env);
                        }
                        for (Selection<?> facet : child.getSelectionSet().getSelections()) {
                            if (!(facet instanceof Field facetField) || !facetField.getDirectives().isEmpty()) {
                                return ofSelectionSet(env);
                            }
                            StayQuery.Facet selected = StayQuery.Facet.ofField(facetField.getName());
                            if (selected != null) {
                                facets.add(selected);
                            }
                        }
                    } else if (child.getName().equals("mapClusters")) {
                        Object precision = null;
                        for (graphql.language.Argument argument : child.getArguments()) {
                            if (!argument.getName().equals("precision")) {
                                continue;
                            }
                            if (argument.getValue() instanceof IntValue literal && literal.getValue().bitLength() < 32) {
                                precision = literal.getValue().intValue();
                            } else if (argument.getValue() instanceof VariableReference variable
                                    && env.getVariables().get(variable.getName()) instanceof Integer value) {
                                precision = value;
                            } else {
                                return ofSelectionSet(env);
                            }
                        }
                        if (!precisions.contains(precision)) {
                            precisions.add(precision);
                        }
                    }
                }
            }
            return new Selected(facets, precisions);
        }

        private static Selected ofSelectionSet(DataFetchingEnvironment env) {
            List<Object> precisions = new ArrayList<>();
            for (SelectedField field : env.getSelectionSet().getFields("mapClusters")) {
                precisions.add(field.getArguments().get("precision"));
            }
            Set<StayQuery.Facet> facets = EnumSet.noneOf(StayQuery.Facet.class);
            for (StayQuery.Facet facet : StayQuery.Facet.values()) {
                if (env.getSelectionSet().contains("facets/" + facet.field)) {
                    facets.add(facet);
                }
            }
            return new Selected(facets, precisions);
        }
    }

    private static List<Integer> clusterPrecisions(List<Object> selected) {
        List<Integer> precisions = new ArrayList<>();
        for (Object precision : selected) {
            if (!(precision instanceof Integer p) || p < 1 || p > 20) {
                throw new ApiException(UserErrorCode.OUT_OF_RANGE, "mapClusters precision must be between 1 and 20");
            }
            if (!precisions.contains(p)) {
                precisions.add(p);
            }
        }
        return precisions;
    }
}
