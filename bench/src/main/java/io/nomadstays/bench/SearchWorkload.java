package io.nomadstays.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ObjectNode;

/**
 * The three searches of the benchmark, each as a fixed GraphQL document with varying variables and
 * as the raw Elasticsearch body that {@code StayQuery} builds for the same input (the templates in
 * {@code resources/queries/*.json}, checked against the API on every run by {@link SearchVerifier}).
 * Parameters come from a seeded random stream over the demo cities, so the API and raw runs send
 * the same sequence, and so do two runs with the same seed.
 *
 * <ul>
 *   <li>A: a city, a monthly price range in USD, at least 50 Mbps, cheapest first, 20 results.</li>
 *   <li>B: 5 km around a point near a city centre, check-in and check-out dates, nearest first,
 *       20 results with their price for the dates, and the facets (price histogram).</li>
 *   <li>C: a map viewport around a city at zoom 10-13, 20 results and map clusters at zoom + 2.</li>
 * </ul>
 */
final class SearchWorkload {

    enum Kind {
        A("city + monthly price range + min 50 Mbps, by price, 20 results"),
        B("5 km radius + dates + price histogram"),
        C("map viewport + clusters");

        final String description;

        Kind(String description) {
            this.description = description;
        }

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One request, ready to send: the GraphQL body and the raw Elasticsearch body. */
    record Request(Kind kind, int index, String summary, byte[] graphql, byte[] raw) {
    }

    static final double NEAR_RADIUS_KM = 5;
    static final double MIN_DOWNLOAD_MBPS = 50;
    /** What SearchController picks with no price filter, period NIGHT and display currency USD: 1000 US cents. */
    static final double HISTOGRAM_INTERVAL_USD_CENTS = 1000.0;

    private static final long[] MONTHLY_MIN_USD_CENTS = {20_000, 30_000, 40_000, 50_000, 70_000, 100_000};
    private static final long[] MONTHLY_WIDTH_USD_CENTS = {40_000, 60_000, 100_000, 150_000};
    private static final int[] NIGHTS = {7, 14, 28, 30, 60, 90};
    private static final int[] ZOOMS = {10, 11, 12, 13};

    private final List<Cities.City> cities;
    private final LocalDate today;
    private final Map<Kind, String> documents = new LinkedHashMap<>();
    private final Map<Kind, String> templates = new LinkedHashMap<>();

    SearchWorkload(List<Cities.City> cities, LocalDate today) {
        this.cities = cities;
        this.today = today;
        for (Kind k : Kind.values()) {
            documents.put(k, resource("queries/" + k.id() + ".graphql"));
            templates.put(k, minify(resource("queries/" + k.id() + ".json")));
        }
    }

    String document(Kind kind) {
        return documents.get(kind);
    }

    /** {@code count} requests of one kind from the stream seeded with {@code seed} (and the kind). */
    List<Request> requests(Kind kind, long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed * 31 + kind.ordinal());
        List<Request> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(switch (kind) {
                case A -> a(i, random);
                case B -> b(i, random);
                case C -> c(i, random);
            });
        }
        return list;
    }

    private Request a(int index, SplittableRandom random) {
        Cities.City city = cities.get(random.nextInt(cities.size()));
        long min = MONTHLY_MIN_USD_CENTS[random.nextInt(MONTHLY_MIN_USD_CENTS.length)];
        long max = min + MONTHLY_WIDTH_USD_CENTS[random.nextInt(MONTHLY_WIDTH_USD_CENTS.length)];
        ObjectNode filter = Json.object();
        filter.put("city", city.name());
        ObjectNode price = filter.putObject("price");
        price.put("min", min).put("max", max).put("currency", "USD").put("period", "MONTH");
        filter.put("minDownloadMbps", MIN_DOWNLOAD_MBPS);
        Map<String, String> v = new LinkedHashMap<>();
        v.put("cityLower", Json.quote(city.name().toLowerCase(Locale.ROOT)));
        v.put("city", Json.quote(city.name()));
        v.put("minUsd", Double.toString((double) min));
        v.put("maxUsd", Double.toString((double) max));
        v.put("minMbps", Double.toString(MIN_DOWNLOAD_MBPS));
        return request(Kind.A, index, "%s %d-%d USD/month".formatted(city.name(), min / 100, max / 100), filter, Map.of(), v);
    }

    private Request b(int index, SplittableRandom random) {
        Cities.City city = cities.get(random.nextInt(cities.size()));
        double[] point = offset(city, 3.0 * random.nextDouble(), random.nextDouble() * 2 * Math.PI, 4);
        int nights = NIGHTS[random.nextInt(NIGHTS.length)];
        LocalDate checkIn = today.plusDays(7 + random.nextInt(150));
        LocalDate checkOut = checkIn.plusDays(nights);
        ObjectNode filter = Json.object();
        filter.putObject("near").put("lat", point[0]).put("lon", point[1]).put("radiusKm", NEAR_RADIUS_KM);
        filter.putObject("dates").put("checkIn", checkIn.toString()).put("checkOut", checkOut.toString());
        Map<String, String> v = new LinkedHashMap<>();
        v.put("histogramInterval", Double.toString(HISTOGRAM_INTERVAL_USD_CENTS));
        v.put("lat", Double.toString(point[0]));
        v.put("lon", Double.toString(point[1]));
        v.put("distance", Json.quote(NEAR_RADIUS_KM + "km"));
        v.put("stayFits", stayFits(checkIn, checkOut));
        v.put("checkIn", Json.quote(checkIn.toString()));
        v.put("checkOut", Json.quote(checkOut.toString()));
        return request(Kind.B, index, "%s (%.4f,%.4f) %s +%d nights".formatted(city.name(), point[0], point[1], checkIn, nights),
                filter, Map.of(), v);
    }

    /**
     * The API's {@code StayQuery.stayFits}: NIGHT and DAY units by nights, MONTH units only for whole
     * calendar months (limits indexed as months x 28), HOUR units never.
     */
    static String stayFits(LocalDate checkIn, LocalDate checkOut) {
        long nights = ChronoUnit.DAYS.between(checkIn, checkOut);
        String byNight = "{\"bool\": {\"must_not\": [{\"terms\": {\"granularity\": [\"MONTH\", \"HOUR\"]}}], \"filter\": ["
                + stayLimits(nights) + "]}}";
        // The API's Quotes.wholeMonths: 31 January + 1 month = 28 February.
        long months = ChronoUnit.MONTHS.between(checkIn, checkOut);
        if (!(months > 0 && checkIn.plusMonths(months).equals(checkOut))) {
            months = months >= 0 && checkIn.plusMonths(months + 1).equals(checkOut) ? months + 1 : 0;
        }
        if (months == 0) {
            return byNight;
        }
        String byMonth = "{\"bool\": {\"filter\": [{\"terms\": {\"granularity\": [\"MONTH\"]}}, " + stayLimits(months * 28) + "]}}";
        return "{\"bool\": {\"minimum_should_match\": \"1\", \"should\": [" + byNight + ", " + byMonth + "]}}";
    }

    private static String stayLimits(long nights) {
        double n = nights;
        return "{\"bool\": {\"filter\": [{\"range\": {\"min_stay_nights\": {\"lte\": " + n + "}}}], "
                + "\"must_not\": [{\"range\": {\"max_stay_nights\": {\"lt\": " + n + "}}}]}}";
    }

    private Request c(int index, SplittableRandom random) {
        Cities.City city = cities.get(random.nextInt(cities.size()));
        double[] centre = offset(city, 4.0 * random.nextDouble(), random.nextDouble() * 2 * Math.PI, 5);
        int zoom = ZOOMS[random.nextInt(ZOOMS.length)];
        // About a 1024 x 600 pixel map: 4 tiles wide at this zoom.
        double width = 360.0 / (1 << zoom) * 4;
        double height = width * 0.6 * Math.cos(Math.toRadians(centre[0]));
        double north = round(centre[0] + height / 2, 5);
        double south = round(centre[0] - height / 2, 5);
        double west = round(centre[1] - width / 2, 5);
        double east = round(centre[1] + width / 2, 5);
        int precision = zoom + 2;
        ObjectNode filter = Json.object();
        filter.putObject("bounds").put("north", north).put("south", south).put("east", east).put("west", west);
        Map<String, String> v = new LinkedHashMap<>();
        v.put("precision", Integer.toString(precision));
        v.put("precisionDouble", Double.toString(precision));
        v.put("north", Double.toString(north));
        v.put("south", Double.toString(south));
        v.put("east", Double.toString(east));
        v.put("west", Double.toString(west));
        return request(Kind.C, index, "%s zoom %d [%.5f,%.5f]-[%.5f,%.5f]".formatted(city.name(), zoom, south, west, north, east),
                filter, Map.of("precision", precision), v);
    }

    private Request request(Kind kind, int index, String summary, ObjectNode filter, Map<String, Integer> extra,
                            Map<String, String> values) {
        ObjectNode body = Json.object();
        body.put("query", documents.get(kind));
        ObjectNode variables = body.putObject("variables");
        variables.set("filter", filter);
        extra.forEach(variables::put);
        return new Request(kind, index, summary, Json.bytes(body), render(templates.get(kind), values).getBytes(StandardCharsets.UTF_8));
    }

    /** A point {@code km} from the city centre in direction {@code bearing}, rounded like a map client would. */
    private static double[] offset(Cities.City city, double km, double bearing, int decimals) {
        double lat = city.lat() + km * Math.cos(bearing) / 111.32;
        double lon = city.lon() + km * Math.sin(bearing) / (111.32 * Math.cos(Math.toRadians(city.lat())));
        return new double[] {round(lat, decimals), round(lon, decimals)};
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z]+)}");

    static String render(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for ${" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Drops whitespace outside JSON strings (the templates are indented for people). */
    static String minify(String json) {
        StringBuilder out = new StringBuilder(json.length());
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char ch = json.charAt(i);
            if (inString) {
                out.append(ch);
                if (ch == '\\' && i + 1 < json.length()) {
                    out.append(json.charAt(++i));
                } else if (ch == '"') {
                    inString = false;
                }
            } else if (ch == '"') {
                inString = true;
                out.append(ch);
            } else if (!Character.isWhitespace(ch)) {
                out.append(ch);
            }
        }
        return out.toString();
    }

    static String resource(String path) {
        try (InputStream in = SearchWorkload.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
