package io.nomadstays.search;

import io.nomadstays.unit.Unit;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The GraphQL input of {@code searchStays}, as sent: nothing here is validated yet. */
record SearchInput(String city, Near near, Bounds bounds, PriceRange price, Double minDownloadMbps,
                   Boolean verifiedInternetOnly, Dates dates, FlexibleDates flexibleDates, Integer guests,
                   List<Unit.UnitType> unitTypes, List<String> amenities, Boolean furnished, Double minSizeM2,
                   String text, List<String> operatorIds, String currency) {

    /**
     * The input from its coerced GraphQL value (graphql-java has checked every type: Float is a
     * Double, Int an Integer, Long a Long, Date a LocalDate, IDs strings, enums their names or, for
     * {@code UnitType}, {@link Unit.UnitType}'s constants). Read by hand:
     * Spring's argument binder cost about 2% of a search's CPU (docs/benchmarks.md, "Profiling").
     */
    static SearchInput of(Map<String, Object> in) {
        Map<String, Object> near = object(in, "near");
        Map<String, Object> bounds = object(in, "bounds");
        Map<String, Object> price = object(in, "price");
        Map<String, Object> dates = object(in, "dates");
        Map<String, Object> flexible = object(in, "flexibleDates");
        List<?> unitTypes = (List<?>) in.get("unitTypes");
        List<Unit.UnitType> types = null;
        if (unitTypes != null) {
            types = new ArrayList<>(unitTypes.size());
            for (Object type : unitTypes) {
                types.add(Unit.UnitType.valueOf(name(type)));
            }
        }
        return new SearchInput((String) in.get("city"),
                near == null ? null : new Near(decimal(near, "lat"), decimal(near, "lon"), decimal(near, "radiusKm")),
                bounds == null ? null : new Bounds(decimal(bounds, "north"), decimal(bounds, "south"), decimal(bounds, "east"), decimal(bounds, "west")),
                price == null ? null : new PriceRange(whole(price, "min"), whole(price, "max"), (String) price.get("currency"),
                        price.get("period") == null ? null : Period.valueOf(name(price.get("period")))),
                decimal(in, "minDownloadMbps"), (Boolean) in.get("verifiedInternetOnly"),
                dates == null ? null : new Dates((LocalDate) dates.get("checkIn"), (LocalDate) dates.get("checkOut")),
                flexible == null ? null : new FlexibleDates((LocalDate) flexible.get("earliestCheckIn"), (LocalDate) flexible.get("latestCheckIn"),
                        integer(flexible, "nights"), integer(flexible, "months")),
                integer(in, "guests"), types, list(in, "amenities"), (Boolean) in.get("furnished"), decimal(in, "minSizeM2"),
                (String) in.get("text"), list(in, "operatorIds"), (String) in.get("currency"));
    }

    /** An enum value's name, whether graphql-java gives the name or the Java constant the schema maps it to. */
    static String name(Object value) {
        return value instanceof Enum<?> e ? e.name() : (String) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> in, String name) {
        return (Map<String, Object>) in.get(name);
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> in, String name) {
        return (List<String>) in.get(name);
    }

    private static Double decimal(Map<String, Object> in, String name) {
        return in.get(name) instanceof Number n ? n.doubleValue() : null;
    }

    private static Long whole(Map<String, Object> in, String name) {
        return in.get(name) instanceof Number n ? n.longValue() : null;
    }

    private static Integer integer(Map<String, Object> in, String name) {
        return in.get(name) instanceof Number n ? n.intValue() : null;
    }

    record Near(Double lat, Double lon, Double radiusKm) {
    }

    record Bounds(Double north, Double south, Double east, Double west) {
    }

    record PriceRange(Long min, Long max, String currency, Period period) {
    }

    enum Period { NIGHT, MONTH }

    record Dates(LocalDate checkIn, LocalDate checkOut) {
    }

    record FlexibleDates(LocalDate earliestCheckIn, LocalDate latestCheckIn, Integer nights, Integer months) {
    }

    enum Sort { RELEVANCE, PRICE_ASC, PRICE_DESC, DISTANCE, DOWNLOAD_SPEED_DESC }
}
