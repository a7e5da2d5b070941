package io.nomadstays.search;

import co.elastic.clients.elasticsearch._types.DistanceUnit;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch._types.query_dsl.RangeRelation;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import io.nomadstays.unit.Quotes;
import io.nomadstays.unit.Unit;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the Elasticsearch request of a search: filters in a bool filter (cached, unscored),
 * free text as the only scored part, a sort ending in the unique unit id so search_after pages
 * are stable, and only the aggregations the GraphQL selection asked for.
 */
final class StayQuery {

    /** The unit types sold per person ({@link Unit.UnitType#places}). */
    private static final List<FieldValue> PER_PERSON = Arrays.stream(Unit.UnitType.values()).filter(Unit.UnitType::perPerson)
            .map(t -> FieldValue.of(t.name())).toList();
    private static final FieldValue MONTH = FieldValue.of("MONTH");
    private static final FieldValue HOUR = FieldValue.of("HOUR");
    /** How StayDocuments indexes a MONTH unit's limits. */
    private static final int NIGHTS_PER_MONTH = 28;

    static final int CLUSTER_TILES = 500;

    private StayQuery() {
    }

    /** What the caller selected beyond the hits. */
    /** The facets a search selects, each one aggregation: Elasticsearch computes only those. */
    enum Facet {
        PRICE_HISTOGRAM("priceHistogram"), UNIT_TYPES("unitTypes"), AMENITIES("amenities");

        /** The field of {@code StayFacets}. */
        final String field;

        Facet(String field) {
            this.field = field;
        }

        static Facet ofField(String field) {
            for (Facet f : values()) {
                if (f.field.equals(field)) {
                    return f;
                }
            }
            return null;
        }
    }

    record Extras(Set<Facet> facets, double histogramIntervalUsd, List<Integer> clusterPrecisions) {
    }

    /**
     * @param payableOnly only units whose operator accepts payments ({@code accepts_payments}): the
     *                    others cannot be booked while {@code nomad.payments.require-charges-enabled} is on
     */
    static SearchRequest request(String index, SearchCriteria c, boolean payableOnly, int size, List<FieldValue> after,
                                 Extras extras) {
        SearchRequest.Builder b = new SearchRequest.Builder()
                .index(index)
                .size(size)
                .trackTotalHits(t -> t.enabled(true))
                .query(query(c, payableOnly))
                // The whole _source, unfiltered: filtering made Elasticsearch parse and rewrite every hit's
                // source, a quarter of its CPU per search (docs/benchmarks.md, "What _source costs").
                .sort(sort(c));
        if (after != null) {
            b.searchAfter(after);
        }
        Map<String, Aggregation> aggs = aggregations(c, extras);
        if (!aggs.isEmpty()) {
            b.aggregations(aggs);
        }
        return b.build();
    }

    static String priceField(SearchCriteria c) {
        return c.period() == SearchInput.Period.MONTH ? "monthly_usd" : "nightly_usd";
    }

    static Query query(SearchCriteria c, boolean payableOnly) {
        BoolQuery.Builder bool = new BoolQuery.Builder();
        List<Query> filters = new ArrayList<>();
        if (c.city() != null) {
            String city = c.city();
            filters.add(Query.of(q -> q.bool(b -> b
                    .should(s -> s.term(t -> t.field("city").value(city.toLowerCase(Locale.ROOT))))
                    .should(s -> s.term(t -> t.field("city_local").value(city)))
                    .minimumShouldMatch("1"))));
        }
        if (c.near() != null) {
            var near = c.near();
            filters.add(Query.of(q -> q.geoDistance(g -> g.field("location")
                    .distance(near.radiusKm() + "km")
                    .location(l -> l.latlon(ll -> ll.lat(near.lat()).lon(near.lon()))))));
        }
        if (c.bounds() != null) {
            filters.add(bounds(c.bounds()));
        }
        if (c.minUsd() != null || c.maxUsd() != null) {
            String field = priceField(c);
            filters.add(Query.of(q -> q.range(r -> r.number(n -> {
                n.field(field);
                if (c.minUsd() != null) {
                    n.gte((double) c.minUsd());
                }
                if (c.maxUsd() != null) {
                    n.lte((double) c.maxUsd());
                }
                return n;
            }))));
        }
        if (c.minDownloadMbps() != null) {
            filters.add(Query.of(q -> q.range(r -> r.number(n -> n.field("download_mbps").gte(c.minDownloadMbps())))));
        }
        if (c.verifiedOnly()) {
            filters.add(term("internet_verified", true));
        }
        if (c.hasDates()) {
            filters.add(stayFits(c.checkIn(), c.checkOut()));
            String from = c.checkIn().toString();
            String to = c.checkOut().toString();
            bool.mustNot(q -> q.range(r -> r.date(d -> d.field("unavailable").gte(from).lt(to).relation(RangeRelation.Intersects))));
        }
        if (c.flexible() != null) {
            var f = c.flexible();
            filters.add(flexibleFits(f));
            Query fits = Query.of(q -> q.bool(wb -> wb.filter(windowFits("free_windows", f))));
            Query anyWindow = Query.of(q -> q.exists(e -> e.field("free_windows.start")));
            // A document without free_windows has no unavailable dates: always free.
            Query forOne = Query.of(q -> q.bool(b -> b
                    .should(s -> s.nested(n -> n.path("free_windows").query(fits)))
                    .should(s -> s.bool(nb -> nb.mustNot(m -> m.nested(n -> n.path("free_windows").query(anyWindow)))))
                    .minimumShouldMatch("1")));
            if (!c.flexibleForGroup()) {
                filters.add(forOne);
            } else {
                // A unit sold per person with places taken has windows per group size (group_windows): a group
                // needs that many places on every night, as createBooking does. Other units: free_windows.
                double guests = c.guests();
                Query groupFits = Query.of(q -> q.bool(wb -> wb
                        .filter(x -> x.range(r -> r.number(nn -> nn.field("group_windows.min_guests").lte(guests))))
                        .filter(x -> x.range(r -> r.number(nn -> nn.field("group_windows.max_guests").gte(guests))))
                        .filter(windowFits("group_windows", f))));
                Query anyGroupWindow = Query.of(q -> q.exists(e -> e.field("group_windows.start")));
                // ignore_unmapped: an index built before the field existed, until the indexer adds it.
                filters.add(Query.of(q -> q.bool(b -> b
                        .should(s -> s.nested(n -> n.path("group_windows").query(groupFits).ignoreUnmapped(true)))
                        .should(s -> s.bool(nb -> nb
                                .filter(forOne)
                                .mustNot(m -> m.nested(n -> n.path("group_windows").query(anyGroupWindow).ignoreUnmapped(true)))))
                        .minimumShouldMatch("1"))));
            }
        }
        if (c.guests() != null) {
            filters.add(Query.of(q -> q.range(r -> r.number(n -> n.field("max_guests").gte((double) c.guests())))));
            if (c.guests() > 1) {
                // Beds and desks are sold per person: the group needs as many places (createBooking's rule),
                // and with dates as many free on every night.
                double guests = c.guests();
                List<Query> tooFew = new ArrayList<>();
                tooFew.add(Query.of(q -> q.range(r -> r.number(n -> n.field("capacity").lt(guests)))));
                if (c.hasDates()) {
                    String from = c.checkIn().toString();
                    String to = c.checkOut().toString();
                    Query overlapping = Query.of(q -> q.bool(b -> b
                            .filter(f -> f.range(r -> r.date(d -> d.field("few_places.start").lt(to))))
                            .filter(f -> f.range(r -> r.date(d -> d.field("few_places.end").gt(from))))
                            .filter(f -> f.range(r -> r.number(n -> n.field("few_places.free").lt(guests))))));
                    // ignore_unmapped: an index built before the field existed, until the indexer adds it.
                    tooFew.add(Query.of(q -> q.nested(n -> n.path("few_places").query(overlapping).ignoreUnmapped(true))));
                }
                bool.mustNot(q -> q.bool(b -> b
                        .filter(f -> f.terms(t -> t.field("unit_type").terms(tv -> tv.value(PER_PERSON))))
                        .filter(f -> f.bool(any -> any.should(tooFew).minimumShouldMatch("1")))));
            }
        }
        if (c.unitTypes() != null) {
            List<FieldValue> types = c.unitTypes().stream().map(t -> FieldValue.of(t.name())).toList();
            filters.add(Query.of(q -> q.terms(t -> t.field("unit_type").terms(tv -> tv.value(types)))));
        }
        if (c.amenities() != null) {
            for (String amenity : c.amenities()) {
                filters.add(Query.of(q -> q.term(t -> t.field("amenities").value(amenity))));
            }
        }
        if (c.furnished() != null) {
            filters.add(term("furnished", c.furnished()));
        }
        if (c.minSizeM2() != null) {
            filters.add(Query.of(q -> q.range(r -> r.number(n -> n.field("size_m2").gte(c.minSizeM2())))));
        }
        if (c.operatorIds() != null) {
            List<FieldValue> ids = c.operatorIds().stream().map(FieldValue::of).toList();
            filters.add(Query.of(q -> q.terms(t -> t.field("operator_id").terms(tv -> tv.value(ids)))));
        }
        bool.filter(filters);
        if (payableOnly) {
            // Not "= true": a document written before the field existed has none and stays findable, as
            // it was, until the indexer rewrites it; a search that found nothing after an upgrade would be worse.
            bool.mustNot(term("accepts_payments", false));
        }
        if (c.text() != null) {
            String text = c.text();
            // match finds words in any order; match_phrase finds CJK names (大理 is two one-character tokens).
            bool.must(m -> m.bool(b -> b
                    .should(s -> s.match(mt -> mt.field("text").query(text).operator(Operator.And)))
                    .should(s -> s.matchPhrase(mp -> mp.field("text").query(text).boost(2f)))
                    .should(s -> s.matchPhrase(mp -> mp.field("city_text").query(text).boost(3f)))
                    .minimumShouldMatch("1")));
        }
        return Query.of(q -> q.bool(bool.build()));
    }

    /**
     * A window of {@code path} ({@code free_windows} or {@code group_windows}) that holds a stay of the
     * asked length starting by the latest check-in: it starts by then, ends no earlier than the
     * earliest check-in plus the nights, and is at least that many nights long.
     */
    private static List<Query> windowFits(String path, SearchCriteria.Flexible f) {
        String latest = f.latest().toString();
        String endAtLeast = f.earliest().plusDays(f.nights()).toString();
        return List.of(
                Query.of(q -> q.range(r -> r.date(d -> d.field(path + ".start").lte(latest)))),
                Query.of(q -> q.range(r -> r.date(d -> d.field(path + ".end").gte(endAtLeast)))),
                Query.of(q -> q.range(r -> r.number(n -> n.field(path + ".nights").gte((double) f.nights())))));
    }

    /**
     * Units whose booking rules take these dates, as {@code BookingService.check} decides: NIGHT and
     * DAY units by the nights; MONTH units only for whole calendar months, within their limits
     * (indexed as months x 28, so compared with whole months x 28); HOUR units never (they are
     * booked with startsAt and endsAt).
     */
    static Query stayFits(LocalDate checkIn, LocalDate checkOut) {
        int nights = (int) ChronoUnit.DAYS.between(checkIn, checkOut);
        Query byNight = Query.of(q -> q.bool(b -> b.mustNot(granularity(MONTH, HOUR)).filter(stayLimits(nights))));
        long months = Quotes.wholeMonths(checkIn, checkOut);
        if (months == 0) {
            return byNight;
        }
        Query byMonth = Query.of(q -> q.bool(b -> b.filter(granularity(MONTH)).filter(stayLimits((int) months * NIGHTS_PER_MONTH))));
        return Query.of(q -> q.bool(b -> b.should(byNight).should(byMonth).minimumShouldMatch("1")));
    }

    /**
     * Units whose stay limits take a flexible stay. Asked in months: NIGHT and DAY units by months x
     * 30 nights, MONTH units by whole months. Asked in nights: every unit but HOUR ones by the
     * nights (MONTH units as indexed, months x 28: approximate, as the dates are not known yet).
     */
    private static Query flexibleFits(SearchCriteria.Flexible f) {
        if (f.months() == null) {
            return Query.of(q -> q.bool(b -> b.mustNot(granularity(HOUR)).filter(stayLimits(f.nights()))));
        }
        Query byNight = Query.of(q -> q.bool(b -> b.mustNot(granularity(MONTH, HOUR)).filter(stayLimits(f.nights()))));
        Query byMonth = Query.of(q -> q.bool(b -> b.filter(granularity(MONTH)).filter(stayLimits(f.months() * NIGHTS_PER_MONTH))));
        return Query.of(q -> q.bool(b -> b.should(byNight).should(byMonth).minimumShouldMatch("1")));
    }

    private static Query granularity(FieldValue... values) {
        return Query.of(q -> q.terms(t -> t.field("granularity").terms(tv -> tv.value(List.of(values)))));
    }

    /**
     * A minimum stay of at most {@code nights} and no maximum below it. A unit without a maximum has no
     * {@code max_stay_nights}, which no range matches, so "not below" keeps it. Asked as "at least, or
     * missing", the missing half was a scan of every document less those with a maximum: about 5% of
     * a dated search's Elasticsearch CPU (docs/benchmarks.md, "Profiling").
     */
    private static Query stayLimits(int nights) {
        return Query.of(q -> q.bool(b -> b
                .filter(f -> f.range(r -> r.number(n -> n.field("min_stay_nights").lte((double) nights))))
                .mustNot(m -> m.range(r -> r.number(n -> n.field("max_stay_nights").lt((double) nights))))));
    }

    /** A viewport across the antimeridian is two boxes: west edge to 180, and -180 to the east edge. */
    private static Query bounds(SearchCriteria.GeoBox box) {
        if (!box.crossesAntimeridian()) {
            return box(box.north(), box.south(), box.west(), box.east());
        }
        return Query.of(q -> q.bool(b -> b
                .should(box(box.north(), box.south(), box.west(), 180))
                .should(box(box.north(), box.south(), -180, box.east()))
                .minimumShouldMatch("1")));
    }

    private static Query box(double north, double south, double west, double east) {
        return Query.of(q -> q.geoBoundingBox(g -> g.field("location").boundingBox(bb -> bb.tlbr(t -> t
                .topLeft(l -> l.latlon(ll -> ll.lat(north).lon(west)))
                .bottomRight(l -> l.latlon(ll -> ll.lat(south).lon(east)))))));
    }

    private static Query term(String field, boolean value) {
        return Query.of(q -> q.term(t -> t.field(field).value(value)));
    }

    /**
     * What the sort values of a hit mean, as {@link #sort} builds them: a cursor is only valid for a
     * search in the same order ({@link SearchCursor}). {@code keys} is how many values a hit carries.
     */
    record Order(String key, int keys) {

        static Order of(SearchCriteria c) {
            return switch (c.sort()) {
                case RELEVANCE -> c.text() != null ? new Order("RELEVANCE:text", 2) : new Order("RELEVANCE", 1);
                case PRICE_ASC, PRICE_DESC -> new Order(c.sort().name() + ":" + priceField(c), 2);
                case DOWNLOAD_SPEED_DESC -> new Order(c.sort().name(), 2);
                case DISTANCE -> new Order("DISTANCE:" + c.origin()[0] + "," + c.origin()[1], 2);
            };
        }
    }

    static List<SortOptions> sort(SearchCriteria c) {
        List<SortOptions> sorts = new ArrayList<>();
        switch (c.sort()) {
            case RELEVANCE -> {
                if (c.text() != null) {
                    sorts.add(SortOptions.of(s -> s.score(sc -> sc.order(SortOrder.Desc))));
                }
            }
            case PRICE_ASC -> sorts.add(field(priceField(c), SortOrder.Asc));
            case PRICE_DESC -> sorts.add(field(priceField(c), SortOrder.Desc));
            case DOWNLOAD_SPEED_DESC -> sorts.add(field("download_mbps", SortOrder.Desc));
            case DISTANCE -> {
                double[] origin = c.origin();
                sorts.add(SortOptions.of(s -> s.geoDistance(g -> g.field("location")
                        .location(l -> l.latlon(ll -> ll.lat(origin[0]).lon(origin[1])))
                        .order(SortOrder.Asc).unit(DistanceUnit.Kilometers))));
            }
        }
        sorts.add(field("unit_id", SortOrder.Asc));
        return sorts;
    }

    private static SortOptions field(String name, SortOrder order) {
        return SortOptions.of(s -> s.field(f -> f.field(name).order(order).missing(FieldValue.of("_last"))));
    }

    static Map<String, Aggregation> aggregations(SearchCriteria c, Extras extras) {
        Map<String, Aggregation> aggs = new LinkedHashMap<>();
        if (extras.facets().contains(Facet.UNIT_TYPES)) {
            aggs.put("unit_types", Aggregation.of(a -> a.terms(t -> t.field("unit_type").size(20))));
        }
        if (extras.facets().contains(Facet.AMENITIES)) {
            aggs.put("amenities", Aggregation.of(a -> a.terms(t -> t.field("amenities").size(50))));
        }
        if (extras.facets().contains(Facet.PRICE_HISTOGRAM)) {
            aggs.put("prices", Aggregation.of(a -> a.histogram(h -> h.field(priceField(c))
                    .interval(extras.histogramIntervalUsd()).minDocCount(1))));
        }
        for (int precision : extras.clusterPrecisions()) {
            aggs.put("clusters_" + precision, Aggregation.of(a -> a
                    .geotileGrid(g -> g.field("location").precision(precision).size(CLUSTER_TILES))
                    .aggregations("centre", sub -> sub.geoCentroid(gc -> gc.field("location")))
                    .aggregations("min_price", sub -> sub.min(m -> m.field(priceField(c))))));
        }
        return aggs;
    }
}
