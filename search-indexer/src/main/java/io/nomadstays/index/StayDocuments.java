package io.nomadstays.index;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds stay documents exactly as docs/search-document.md describes, from PostgreSQL, for a batch
 * of units with a handful of set-based queries (units with property, operator and prices; long-stay
 * discounts; internet summaries; exchange rates), never one query per unit.
 */
final class StayDocuments {

    /** The internet summary's window and verification rule: the same as the api's InternetSummary. */
    static final int INTERNET_WINDOW_DAYS = 90;
    static final int GUESTS_TO_VERIFY = 2;

    /** Fields that differ between two builds of unchanged data; the consistency check ignores them. */
    static final String BUILD_TIME_FIELD = "updated_at";

    /**
     * Units with their prices. Timestamps come as microseconds since the epoch ({@link Instants#ofMicros}):
     * a long instead of a text to parse. Their properties are read apart ({@link #PLACES}): a property
     * has several units, and its long texts would otherwise be sent and decoded once per unit.
     */
    private static final String UNITS = """
            SELECT u.id, u.operator_id, u.property_id, u.name, u.description, u.type, u.capacity, u.max_guests, u.size_m2,
                   u.furnished, u.booking_granularity, u.min_stay, u.max_stay, u.amenities, u.status,
                   (extract(epoch FROM u.published_at) * 1000000)::int8 AS published_at,
                   (extract(epoch FROM u.created_at) * 1000000)::int8 AS created_at,
                   (extract(epoch FROM u.updated_at) * 1000000)::int8 AS updated_at,
                   u.version,
                   pr.currency, pr.hourly_rate, pr.nightly_rate, pr.daily_rate, pr.weekly_rate, pr.monthly_rate,
                   pr.cleaning_fee, pr.deposit,
                   (extract(epoch FROM pr.updated_at) * 1000000)::int8 AS pr_updated_at,
                   coalesce(pa.charges_enabled, false) AS accepts_payments
              FROM unit u
              LEFT JOIN unit_pricing pr ON pr.unit_id = u.id
              LEFT JOIN payout_account pa ON pa.operator_id = u.operator_id
             WHERE u.id = ANY(?) AND u.status = 'PUBLISHED'
             ORDER BY u.id""";

    /** The properties of a batch's units, with their operators: once per property. */
    private static final String PLACES = """
            SELECT p.id, p.operator_id, p.name, p.description, p.address_line, p.city, p.city_local, p.postal_code,
                   p.country_code, p.latitude, p.longitude, p.time_zone, p.amenities, p.house_rules,
                   (extract(epoch FROM p.created_at) * 1000000)::int8 AS created_at,
                   (extract(epoch FROM p.updated_at) * 1000000)::int8 AS updated_at,
                   o.slug, o.name AS o_name, o.default_currency, o.commission_bps,
                   (extract(epoch FROM o.created_at) * 1000000)::int8 AS o_created_at
              FROM property p
              JOIN operator o ON o.id = p.operator_id
             WHERE p.id = ANY(?)""";

    /** Same SQL as the api's SpeedTests.summaries: medians of the window, verified by a probe or two guests. */
    private static final String INTERNET = """
            SELECT property_id,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY download_mbps) AS down,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY upload_mbps) AS up,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS latency,
                   count(*) AS n,
                   bool_or(source = 'PROBE')
                     OR count(DISTINCT reported_by) FILTER (WHERE source = 'GUEST') >= ? AS verified,
                   (extract(epoch FROM max(measured_at)) * 1000000)::int8 AS last
              FROM speed_test
             WHERE property_id = ANY(?) AND measured_at >= now() - make_interval(days => ?)
             GROUP BY property_id""";

    /**
     * Dates a unit cannot be booked at all (blocked, or every place taken: {@code free} 0), and
     * dates a unit sold per person has some places taken on ({@code free} the places left), merged
     * into ranges [start, end) of the same {@code free}: consecutive dates of one {@code free} share
     * {@code day - row_number}. Dates before yesterday (UTC) are left out: no search asks for them,
     * and the document stays small. One scan of the calendar for both.
     */
    private static final String UNAVAILABLE = """
            SELECT unit_id, min(day) AS start_day, max(day) + 1 AS end_day, free
              FROM (SELECT c.unit_id, c.day, f.free,
                           c.day - CAST(row_number() OVER (PARTITION BY c.unit_id, f.free ORDER BY c.day) AS integer) AS island
                      FROM unit_calendar c
                      JOIN unit u ON u.id = c.unit_id
                     CROSS JOIN LATERAL (SELECT CASE WHEN c.blocks > 0 OR c.booked >= c.capacity THEN 0
                                                     ELSE c.capacity - c.booked END AS free) f
                     WHERE c.unit_id = ANY(?) AND c.day >= current_date - 1
                       AND (c.blocks > 0 OR c.booked >= c.capacity
                            OR (c.booked > 0 AND u.type IN ('BED', 'SHARED_ROOM', 'HOT_DESK', 'DEDICATED_DESK')))) AS d
             GROUP BY unit_id, free, island
             ORDER BY unit_id, start_day""";

    /** Free windows are open-ended at both sides: these stand for "always". */
    static final LocalDate FIRST_DAY = LocalDate.of(1970, 1, 1);
    static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 31);
    static final int MAX_WINDOW_NIGHTS = 100_000;
    /**
     * Nested documents a unit's {@code group_windows} may take: with {@code few_places} (one per day of
     * two years at most) and {@code free_windows}, well under Elasticsearch's 10,000 per document.
     */
    static final int MAX_GROUP_WINDOWS = 5_000;

    /** A range of dates [start, end). */
    record Range(LocalDate start, LocalDate end) {
    }

    /** A range of dates [start, end) on which a unit sold per person has only {@code free} places left. */
    record Scarce(LocalDate start, LocalDate end, int free) {
    }

    /** What the calendar says of a unit: dates it is full or blocked, and dates it has few places left. */
    record Calendar(List<Range> unavailable, List<Scarce> fewPlaces) {
        static final Calendar OPEN = new Calendar(List.of(), List.of());
    }

    private static final System.Logger log = System.getLogger(StayDocuments.class.getName());

    private StayDocuments() {
    }

    private record Discount(int minNights, int percentBps) {
    }

    /** @param last the latest measurement, as the documents write it (once per property, not per unit) */
    private record Internet(double down, double up, Double latency, int count, boolean verified, String last) {
    }

    /**
     * The documents of those of {@code unitIds} that are published, by unit id in id order. A unit
     * that is missing from the result must not be in the index (draft, archived or deleted).
     */
    static Map<UUID, ObjectNode> build(Connection c, Collection<UUID> unitIds) throws SQLException {
        return read(c, unitIds).documents();
    }

    /** Reads what the documents of those of {@code unitIds} that are published are built from. */
    static Batch read(Connection c, Collection<UUID> unitIds) throws SQLException {
        String now = Instants.iso(Instant.now());
        if (unitIds.isEmpty()) {
            return new Batch(List.of(), Map.of(), Map.of(), Map.of(), null, now);
        }
        Array ids = c.createArrayOf("uuid", unitIds.toArray());
        ExchangeRates rates = ExchangeRates.load(c);
        Map<UUID, List<Discount>> discounts = discounts(c, ids);
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(UNITS)) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs));
                }
            }
        }
        Set<UUID> propertyIds = rows.stream().map(r -> r.propertyId).collect(Collectors.toSet());
        Map<UUID, Place> places = places(c, propertyIds);
        for (Row row : rows) {
            row.place = places.get(row.propertyId);
            if (row.place == null) {
                // The foreign key rules it out; a document without its property must not be written.
                throw new IllegalStateException("Unit " + row.id + " has no property " + row.propertyId);
            }
        }
        Map<UUID, Internet> internet = internet(c, propertyIds);
        return new Batch(rows, discounts, internet, calendars(c, ids), rates, now);
    }

    /**
     * The rows of a batch of published units and what their documents add to them. Reading it needs
     * the database, writing the documents does not: the reindex writes them on its bulk threads
     * while it reads the next batch.
     */
    static final class Batch {

        private final Map<UUID, Row> rows = new LinkedHashMap<>();
        private final Map<UUID, List<Discount>> discounts;
        private final Map<UUID, Internet> internet;
        private final Map<UUID, Calendar> calendars;
        private final ExchangeRates rates;
        private final String now;

        private Batch(List<Row> rows, Map<UUID, List<Discount>> discounts, Map<UUID, Internet> internet,
                      Map<UUID, Calendar> calendars, ExchangeRates rates, String now) {
            rows.forEach(r -> this.rows.put(r.id, r));
            this.discounts = discounts;
            this.internet = internet;
            this.calendars = calendars;
            this.rates = rates;
            this.now = now;
        }

        /** The published units of the batch, in id order: each has a document. */
        Set<UUID> units() {
            return rows.keySet();
        }

        /** Writes the JSON document of one of {@link #units()}. */
        void write(UUID unit, OutputStream out) {
            Row row = rows.get(unit);
            try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
                document(g, row, discounts.getOrDefault(unit, List.of()), internet.get(row.propertyId), rates, now,
                        calendars.getOrDefault(unit, Calendar.OPEN));
            }
        }

        /** The documents as trees, for the consistency check and tests. */
        Map<UUID, ObjectNode> documents() {
            Map<UUID, ObjectNode> documents = new LinkedHashMap<>();
            ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
            for (UUID unit : rows.keySet()) {
                out.reset();
                write(unit, out);
                documents.put(unit, (ObjectNode) Json.MAPPER.readTree(out.toByteArray()));
            }
            return documents;
        }
    }

    /** A document, written field by field: the reindex writes 100,000s of them, trees would double the cost. */
    private static void document(JsonGenerator g, Row r, List<Discount> discounts, Internet net, ExchangeRates rates,
                                 String now, Calendar calendar) {
        g.writeStartObject();
        g.writeStringProperty("unit_id", r.id.toString());
        g.writeStringProperty("property_id", r.propertyId.toString());
        g.writeStringProperty("operator_id", r.operatorId.toString());
        g.writeBooleanProperty("accepts_payments", r.acceptsPayments);
        g.writeStringProperty("unit_type", r.type);
        g.writeNumberProperty("capacity", r.capacity);
        g.writeNumberProperty("max_guests", r.maxGuests);
        if (r.sizeM2 != null) {
            g.writeNumberProperty("size_m2", r.sizeM2);
        }
        g.writeBooleanProperty("furnished", r.furnished);
        g.writeStringProperty("granularity", r.granularity);
        switch (r.granularity) {
            case "HOUR" -> g.writeNumberProperty("min_stay_nights", 1);
            case "MONTH" -> {
                g.writeNumberProperty("min_stay_nights", r.minStay * 28);
                if (r.maxStay != null) {
                    g.writeNumberProperty("max_stay_nights", r.maxStay * 28);
                }
            }
            default -> {
                g.writeNumberProperty("min_stay_nights", r.minStay);
                if (r.maxStay != null) {
                    g.writeNumberProperty("max_stay_nights", r.maxStay);
                }
            }
        }
        Place p = r.place;
        g.writeStringProperty("city", p.city.toLowerCase(Locale.ROOT));
        g.writeStringProperty("city_text", p.cityLocal == null ? p.city : p.city + " " + p.cityLocal);
        if (p.cityLocal != null) {
            g.writeStringProperty("city_local", p.cityLocal);
        }
        g.writeStringProperty("country", p.countryCode);
        g.writeObjectPropertyStart("location");
        g.writeNumberProperty("lat", p.latitude);
        g.writeNumberProperty("lon", p.longitude);
        g.writeEndObject();
        g.writeArrayPropertyStart("amenities");
        for (String amenity : new TreeSet<>(Stream.concat(p.amenities.stream(), r.amenities.stream()).toList())) {
            g.writeString(amenity);
        }
        g.writeEndArray();
        g.writeName("text");
        text(g, r);

        if (r.currency != null) {
            g.writeStringProperty("currency", r.currency);
            Long nightly = firstOf(r.nightly, r.daily, divideHalfUp(r.monthly, 30));
            Long monthly = firstOf(r.monthly, times(r.nightly, 30), times(r.daily, 30));
            if (nightly != null) {
                g.writeNumberProperty("nightly_price", nightly);
            }
            if (monthly != null) {
                g.writeNumberProperty("monthly_price", monthly);
            }
            if (rates.supports(r.currency)) {
                if (nightly != null) {
                    g.writeNumberProperty("nightly_usd", rates.toUsdCents(nightly, r.currency));
                }
                if (monthly != null) {
                    g.writeNumberProperty("monthly_usd", rates.toUsdCents(monthly, r.currency));
                }
            } else if (nightly != null || monthly != null) {
                log.log(System.Logger.Level.WARNING, "No exchange rate for {0}: unit {1} is indexed without USD prices",
                        r.currency, r.id);
            }
        }
        if (net != null) {
            g.writeNumberProperty("download_mbps", net.down);
            g.writeNumberProperty("upload_mbps", net.up);
            g.writeBooleanProperty("internet_verified", net.verified);
            g.writeStringProperty("internet_measured_at", net.last);
        }
        g.writeStringProperty("updated_at", now);
        g.writeName("display");
        display(g, r, discounts, net);
        writeAvailability(g, calendar.unavailable());
        writeFewPlaces(g, calendar.fewPlaces());
        writeGroupWindows(g, calendar.unavailable(), calendar.fewPlaces(), Math.min(r.capacity, r.maxGuests));
        g.writeEndObject();
    }

    /**
     * {@code text}: the unit's name, its property's name, the unit's description, the property's
     * description, city and local name, the blank ones left out, one per line. Written from UTF-8
     * bytes, the property's encoded once per batch: escaping these long strings char by char was a
     * fifth of the reindex's CPU (docs/benchmarks.md, "Full reindex").
     */
    private static void text(JsonGenerator g, Row r) {
        byte[][] place = r.place.words();
        byte[][] lines = {utf8(r.name), place[0], utf8(r.description), place[1], place[2], place[3]};
        int length = 0;
        for (byte[] line : lines) {
            length += line == null ? 0 : line.length + 1;
        }
        byte[] text = new byte[Math.max(0, length - 1)];
        int at = 0;
        for (byte[] line : lines) {
            if (line != null) {
                if (at > 0) {
                    text[at++] = '\n';
                }
                System.arraycopy(line, 0, text, at, line.length);
                at += line.length;
            }
        }
        g.writeUTF8String(text, 0, text.length);
    }

    /** A blank or missing line of {@code text} is left out. */
    private static byte[] utf8(String line) {
        return line == null || line.isBlank() ? null : line.getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON value written once and copied into every document that holds it. */
    private static SerializedString json(Consumer<JsonGenerator> writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            writer.accept(g);
        }
        return new SerializedString(out.toString(StandardCharsets.UTF_8));
    }

    private static Map<UUID, Place> places(Connection c, Set<UUID> propertyIds) throws SQLException {
        Map<UUID, Place> byId = new HashMap<>();
        if (propertyIds.isEmpty()) {
            return byId;
        }
        try (PreparedStatement ps = c.prepareStatement(PLACES)) {
            ps.setArray(1, c.createArrayOf("uuid", propertyIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Place place = new Place(rs);
                    byId.put(place.id, place);
                }
            }
        }
        return byId;
    }

    private static Map<UUID, Calendar> calendars(Connection c, Array ids) throws SQLException {
        Map<UUID, Calendar> byUnit = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(UNAVAILABLE)) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Calendar calendar = byUnit.computeIfAbsent(rs.getObject(1, UUID.class),
                            k -> new Calendar(new ArrayList<>(), new ArrayList<>()));
                    LocalDate start = rs.getObject(2, LocalDate.class);
                    LocalDate end = rs.getObject(3, LocalDate.class);
                    int free = rs.getInt(4);
                    if (free == 0) {
                        calendar.unavailable().add(new Range(start, end));
                    } else {
                        calendar.fewPlaces().add(new Scarce(start, end, free));
                    }
                }
            }
        }
        return byUnit;
    }

    /** {@code few_places}, only when a unit sold per person has some places taken (docs/search-document.md). */
    private static void writeFewPlaces(JsonGenerator g, List<Scarce> fewPlaces) {
        if (fewPlaces.isEmpty()) {
            return;
        }
        g.writeArrayPropertyStart("few_places");
        for (Scarce s : fewPlaces) {
            g.writeStartObject();
            g.writeStringProperty("start", s.start().toString());
            g.writeStringProperty("end", s.end().toString());
            g.writeNumberProperty("free", s.free());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /**
     * {@code group_windows}, beside {@code few_places}: the free windows of each group size from 2 to
     * the largest group the unit takes (its capacity and {@code max_guests}; docs/search-document.md).
     * A group of {@code g} is held up by the unavailable ranges and by the ranges with fewer than
     * {@code g} places left, so its windows change only where {@code g} passes a {@code free} value:
     * one set of windows per band of group sizes {@code [min_guests, max_guests]}, at most
     * {@link #MAX_GROUP_WINDOWS} windows in all (the first band always): the bands of the largest
     * groups that do not fit are left out, and a unit without a window for a group is not offered to it.
     */
    private static void writeGroupWindows(JsonGenerator g, List<Range> unavailable, List<Scarce> fewPlaces, int largestGroup) {
        if (fewPlaces.isEmpty() || largestGroup < 2) {
            return;
        }
        TreeSet<Integer> bandStarts = new TreeSet<>();
        bandStarts.add(2);
        for (Scarce s : fewPlaces) {
            if (s.free() + 1 <= largestGroup) {
                bandStarts.add(Math.max(2, s.free() + 1));
            }
        }
        g.writeArrayPropertyStart("group_windows");
        int written = 0;
        for (int min : bandStarts) {
            Integer next = bandStarts.higher(min);
            int max = next == null ? largestGroup : next - 1;
            List<Range> blocked = new ArrayList<>(unavailable);
            for (Scarce s : fewPlaces) {
                if (s.free() < min) {
                    blocked.add(new Range(s.start(), s.end()));
                }
            }
            blocked.sort(Comparator.comparing(Range::start));
            List<Range> windows = gaps(blocked);
            if (written > 0 && written + windows.size() > MAX_GROUP_WINDOWS) {
                break;
            }
            written += windows.size();
            for (Range w : windows) {
                g.writeStartObject();
                g.writeNumberProperty("min_guests", min);
                g.writeNumberProperty("max_guests", max);
                windowFields(g, w);
                g.writeEndObject();
            }
        }
        g.writeEndArray();
    }

    /** The gaps around ranges sorted by start, from {@link #FIRST_DAY} to {@link #LAST_DAY}. */
    private static List<Range> gaps(List<Range> sorted) {
        List<Range> gaps = new ArrayList<>();
        LocalDate start = FIRST_DAY;
        for (Range r : sorted) {
            if (r.start().isAfter(start)) {
                gaps.add(new Range(start, r.start()));
            }
            if (r.end().isAfter(start)) {
                start = r.end();
            }
        }
        gaps.add(new Range(start, LAST_DAY));
        return gaps;
    }

    /**
     * Writes {@code unavailable} (always, possibly empty) and, when anything is unavailable, the
     * {@code free_windows} between those ranges (docs/search-document.md).
     */
    private static void writeAvailability(JsonGenerator g, List<Range> unavailable) {
        g.writeArrayPropertyStart("unavailable");
        for (Range r : unavailable) {
            g.writeStartObject();
            g.writeStringProperty("gte", r.start().toString());
            g.writeStringProperty("lt", r.end().toString());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (unavailable.isEmpty()) {
            return;
        }
        g.writeArrayPropertyStart("free_windows");
        for (Range w : gaps(unavailable)) {
            g.writeStartObject();
            windowFields(g, w);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void windowFields(JsonGenerator g, Range w) {
        g.writeStringProperty("start", w.start().toString());
        g.writeStringProperty("end", w.end().toString());
        g.writeNumberProperty("nights", (int) Math.min(ChronoUnit.DAYS.between(w.start(), w.end()), MAX_WINDOW_NIGHTS));
    }

    /**
     * Replaces {@code fields} of {@code d} with what {@code writer} writes: the documents' own writer,
     * read back, so that there is one way to write them.
     */
    private static void rewrite(ObjectNode d, Consumer<JsonGenerator> writer, String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            writer.accept(g);
            g.writeEndObject();
        }
        for (String field : fields) {
            d.remove(field);
        }
        d.setAll((ObjectNode) Json.MAPPER.readTree(out.toByteArray()));
    }

    /**
     * The ranges of a stored document clipped to what a build today would write, and the windows
     * between them recomputed, so that the consistency check does not report documents whose past
     * dates have merely aged out.
     */
    static void clipAvailability(ObjectNode d, LocalDate firstDay) {
        boolean hasUnavailable = d.get("unavailable") != null && d.get("unavailable").isArray();
        List<Range> unavailable = clipped(d.get("unavailable"), "gte", "lt", firstDay).stream()
                .map(r -> new Range(r.start(), r.end())).toList();
        List<Scarce> fewPlaces = clipped(d.get("few_places"), "start", "end", firstDay);
        int capacity = d.path("capacity").asInt(0);
        int largestGroup = Math.min(capacity, d.path("max_guests").asInt(capacity));
        rewrite(d, g -> {
            if (hasUnavailable) {
                writeAvailability(g, unavailable);
            }
            writeFewPlaces(g, fewPlaces);
            writeGroupWindows(g, unavailable, fewPlaces, largestGroup);
        }, hasUnavailable ? new String[] {"unavailable", "free_windows", "few_places", "group_windows"}
                : new String[] {"few_places", "group_windows"});
    }

    /** The ranges of a stored list that end after {@code firstDay}, made to start no earlier (with their {@code free}, if any). */
    private static List<Scarce> clipped(JsonNode stored, String startField, String endField, LocalDate firstDay) {
        List<Scarce> kept = new ArrayList<>();
        if (stored == null || !stored.isArray()) {
            return kept;
        }
        for (var r : stored) {
            LocalDate start = LocalDate.parse(r.get(startField).asString());
            LocalDate end = LocalDate.parse(r.get(endField).asString());
            if (end.isAfter(firstDay)) {
                kept.add(new Scarce(start.isBefore(firstDay) ? firstDay : start, end, r.path("free").asInt(0)));
            }
        }
        return kept;
    }

    private static void display(JsonGenerator g, Row r, List<Discount> discounts, Internet net) {
        g.writeStartObject();
        g.writeObjectPropertyStart("unit");
        g.writeStringProperty("id", r.id.toString());
        g.writeStringProperty("operatorId", r.operatorId.toString());
        g.writeStringProperty("propertyId", r.propertyId.toString());
        g.writeStringProperty("name", r.name);
        g.writeStringProperty("description", r.description);
        g.writeStringProperty("type", r.type);
        g.writeNumberProperty("capacity", r.capacity);
        g.writeNumberProperty("maxGuests", r.maxGuests);
        g.writeNumberProperty("sizeM2", r.sizeM2);
        g.writeBooleanProperty("furnished", r.furnished);
        g.writeStringProperty("granularity", r.granularity);
        g.writeNumberProperty("minStay", r.minStay);
        number(g, "maxStay", r.maxStay);
        strings(g, "amenities", r.amenities);
        g.writeStringProperty("status", r.status);
        g.writeStringProperty("publishedAt", Instants.iso(r.publishedAt));
        g.writeStringProperty("createdAt", Instants.iso(r.createdAt));
        g.writeStringProperty("updatedAt", Instants.iso(r.updatedAt));
        g.writeNumberProperty("version", r.version);
        g.writeEndObject();

        g.writeName("property");
        g.writeRawValue(r.place.propertyJson());
        g.writeName("operator");
        g.writeRawValue(r.place.operatorJson());

        if (r.currency == null) {
            g.writeNullProperty("pricing");
        } else {
            g.writeObjectPropertyStart("pricing");
            g.writeStringProperty("currency", r.currency);
            number(g, "hourly", r.hourly);
            number(g, "nightly", r.nightly);
            number(g, "daily", r.daily);
            number(g, "weekly", r.weekly);
            number(g, "monthly", r.monthly);
            number(g, "cleaning", r.cleaning);
            number(g, "deposit", r.deposit);
            g.writeArrayPropertyStart("longStayDiscounts");
            for (Discount discount : discounts) {
                g.writeStartObject();
                g.writeNumberProperty("minNights", discount.minNights());
                g.writeNumberProperty("percentBps", discount.percentBps());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringProperty("updatedAt", Instants.iso(r.pricingUpdatedAt));
            g.writeEndObject();
        }

        if (net == null) {
            g.writeNullProperty("internet");
        } else {
            g.writeObjectPropertyStart("internet");
            g.writeNumberProperty("medianDownloadMbps", net.down);
            g.writeNumberProperty("medianUploadMbps", net.up);
            if (net.latency == null) {
                g.writeNullProperty("medianLatencyMs");
            } else {
                g.writeNumberProperty("medianLatencyMs", net.latency);
            }
            g.writeNumberProperty("testCount", net.count);
            g.writeBooleanProperty("verified", net.verified);
            g.writeStringProperty("lastMeasuredAt", net.last);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, String name, Long value) {
        if (value == null) {
            g.writeNullProperty(name);
        } else {
            g.writeNumberProperty(name, value.longValue());
        }
    }

    private static void number(JsonGenerator g, String name, Integer value) {
        if (value == null) {
            g.writeNullProperty(name);
        } else {
            g.writeNumberProperty(name, value.intValue());
        }
    }

    private static void strings(JsonGenerator g, String name, List<String> values) {
        g.writeArrayPropertyStart(name);
        for (String value : values) {
            g.writeString(value);
        }
        g.writeEndArray();
    }

    private static Map<UUID, List<Discount>> discounts(Connection c, Array ids) throws SQLException {
        Map<UUID, List<Discount>> byUnit = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT unit_id, min_nights, percent_bps FROM unit_long_stay_discount WHERE unit_id = ANY(?) ORDER BY unit_id, min_nights")) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byUnit.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new Discount(rs.getInt(2), rs.getInt(3)));
                }
            }
        }
        return byUnit;
    }

    private static Map<UUID, Internet> internet(Connection c, Set<UUID> propertyIds) throws SQLException {
        Map<UUID, Internet> byProperty = new HashMap<>();
        if (propertyIds.isEmpty()) {
            return byProperty;
        }
        try (PreparedStatement ps = c.prepareStatement(INTERNET)) {
            ps.setInt(1, GUESTS_TO_VERIFY);
            ps.setArray(2, c.createArrayOf("uuid", propertyIds.toArray()));
            ps.setInt(3, INTERNET_WINDOW_DAYS);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double latency = rs.getDouble("latency");
                    Double medianLatency = rs.wasNull() ? null : round(latency);
                    byProperty.put(rs.getObject("property_id", UUID.class), new Internet(round(rs.getDouble("down")),
                            round(rs.getDouble("up")), medianLatency, rs.getInt("n"), rs.getBoolean("verified"),
                            Instants.iso(instant(rs, "last"))));
                }
            }
        }
        return byProperty;
    }

    /** Two decimals, as the api's SpeedTests rounds its medians. */
    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static Long firstOf(Long... amounts) {
        for (Long amount : amounts) {
            if (amount != null) {
                return amount;
            }
        }
        return null;
    }

    private static Long times(Long amount, int factor) {
        return amount == null ? null : Math.multiplyExact(amount, factor);
    }

    private static Long divideHalfUp(Long amount, int divisor) {
        return amount == null ? null
                : BigDecimal.valueOf(amount).divide(BigDecimal.valueOf(divisor), 0, RoundingMode.HALF_UP).longValueExact();
    }

    /** A timestamp the SQL reads as microseconds since the epoch: a long, not a text to parse. */
    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long micros = rs.getLong(column);
        return rs.wasNull() ? null : Instants.ofMicros(micros);
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static List<String> textArray(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    private static String trimmed(ResultSet rs, String column) throws SQLException {
        String value = rs.getString(column);
        return value == null ? null : value.strip();
    }

    /**
     * A property and its operator, read once per batch however many of its units the batch has. Its
     * display objects and the words its units' {@code text} shares are encoded once, when the first
     * of its units is written (a batch is written by one thread at a time).
     */
    private static final class Place {
        final UUID id;
        final UUID operatorId;
        final String name;
        final String description;
        final String addressLine;
        final String city;
        final String cityLocal;
        final String postalCode;
        final String countryCode;
        final double latitude;
        final double longitude;
        final String timeZone;
        final List<String> amenities;
        final String houseRules;
        final Instant createdAt;
        final Instant updatedAt;
        final String operatorSlug;
        final String operatorName;
        final String defaultCurrency;
        final int commissionBps;
        final Instant operatorCreatedAt;
        private SerializedString propertyJson;
        private SerializedString operatorJson;
        private byte[][] words;

        Place(ResultSet rs) throws SQLException {
            id = rs.getObject("id", UUID.class);
            operatorId = rs.getObject("operator_id", UUID.class);
            name = rs.getString("name");
            description = rs.getString("description");
            addressLine = rs.getString("address_line");
            city = rs.getString("city");
            cityLocal = rs.getString("city_local");
            postalCode = rs.getString("postal_code");
            countryCode = trimmed(rs, "country_code");
            latitude = rs.getDouble("latitude");
            longitude = rs.getDouble("longitude");
            timeZone = rs.getString("time_zone");
            amenities = textArray(rs, "amenities");
            houseRules = rs.getString("house_rules");
            createdAt = instant(rs, "created_at");
            updatedAt = instant(rs, "updated_at");
            operatorSlug = rs.getString("slug");
            operatorName = rs.getString("o_name");
            defaultCurrency = trimmed(rs, "default_currency");
            commissionBps = rs.getInt("commission_bps");
            operatorCreatedAt = instant(rs, "o_created_at");
        }

        /** {@code display.property}. */
        SerializedString propertyJson() {
            if (propertyJson == null) {
                propertyJson = json(g -> {
                    g.writeStartObject();
                    g.writeStringProperty("id", id.toString());
                    g.writeStringProperty("operatorId", operatorId.toString());
                    g.writeStringProperty("name", name);
                    g.writeStringProperty("description", description);
                    g.writeStringProperty("addressLine", addressLine);
                    g.writeStringProperty("city", city);
                    g.writeStringProperty("cityLocal", cityLocal);
                    g.writeStringProperty("postalCode", postalCode);
                    g.writeStringProperty("countryCode", countryCode);
                    g.writeNumberProperty("lat", latitude);
                    g.writeNumberProperty("lon", longitude);
                    g.writeStringProperty("timeZone", timeZone);
                    strings(g, "amenities", amenities);
                    g.writeStringProperty("houseRules", houseRules);
                    g.writeStringProperty("createdAt", Instants.iso(createdAt));
                    g.writeStringProperty("updatedAt", Instants.iso(updatedAt));
                    g.writeEndObject();
                });
            }
            return propertyJson;
        }

        /** {@code display.operator}. */
        SerializedString operatorJson() {
            if (operatorJson == null) {
                operatorJson = json(g -> {
                    g.writeStartObject();
                    g.writeStringProperty("id", operatorId.toString());
                    g.writeStringProperty("slug", operatorSlug);
                    g.writeStringProperty("name", operatorName);
                    g.writeStringProperty("defaultCurrency", defaultCurrency);
                    g.writeNumberProperty("commissionBps", commissionBps);
                    g.writeStringProperty("createdAt", Instants.iso(operatorCreatedAt));
                    g.writeEndObject();
                });
            }
            return operatorJson;
        }

        /** The lines of {@code text} after the unit's own name, in order: name, (the unit's description,) description, city, local name. */
        byte[][] words() {
            if (words == null) {
                words = new byte[][]{utf8(name), utf8(description), utf8(city), utf8(cityLocal)};
            }
            return words;
        }
    }

    /** One row of {@link #UNITS}. */
    private static final class Row {
        final UUID id;
        final UUID operatorId;
        final UUID propertyId;
        final String name;
        final String description;
        final String type;
        final int capacity;
        final int maxGuests;
        final BigDecimal sizeM2;
        final boolean furnished;
        final String granularity;
        final int minStay;
        final Integer maxStay;
        final List<String> amenities;
        final String status;
        final Instant publishedAt;
        final Instant createdAt;
        final Instant updatedAt;
        final long version;
        final String currency;
        final Long hourly;
        final Long nightly;
        final Long daily;
        final Long weekly;
        final Long monthly;
        final Long cleaning;
        final Long deposit;
        final Instant pricingUpdatedAt;
        final boolean acceptsPayments;
        /** Set once the batch's properties are read. */
        Place place;

        Row(ResultSet rs) throws SQLException {
            id = rs.getObject("id", UUID.class);
            operatorId = rs.getObject("operator_id", UUID.class);
            propertyId = rs.getObject("property_id", UUID.class);
            name = rs.getString("name");
            description = rs.getString("description");
            type = rs.getString("type");
            capacity = rs.getInt("capacity");
            maxGuests = rs.getInt("max_guests");
            sizeM2 = rs.getBigDecimal("size_m2");
            furnished = rs.getBoolean("furnished");
            granularity = rs.getString("booking_granularity");
            minStay = rs.getInt("min_stay");
            int max = rs.getInt("max_stay");
            maxStay = rs.wasNull() ? null : max;
            amenities = textArray(rs, "amenities");
            status = rs.getString("status");
            publishedAt = instant(rs, "published_at");
            createdAt = instant(rs, "created_at");
            updatedAt = instant(rs, "updated_at");
            version = rs.getLong("version");
            currency = trimmed(rs, "currency");
            hourly = nullableLong(rs, "hourly_rate");
            nightly = nullableLong(rs, "nightly_rate");
            daily = nullableLong(rs, "daily_rate");
            weekly = nullableLong(rs, "weekly_rate");
            monthly = nullableLong(rs, "monthly_rate");
            cleaning = nullableLong(rs, "cleaning_fee");
            deposit = nullableLong(rs, "deposit");
            pricingUpdatedAt = instant(rs, "pr_updated_at");
            acceptsPayments = rs.getBoolean("accepts_payments");
        }
    }
}
