package io.nomadstays.bench;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The booking benchmarks (docs/benchmarks.md): {@code createBooking} under contention, 50 clients
 * on one unit and 50 clients over 1,000 units with random overlapping dates (bookings per second,
 * median and p99 latency, and afterwards the SQL invariant: no night sold beyond capacity and every
 * calendar row equal to its bookings); and {@code quote} for a 6-month stay against the API's floor
 * ({@code { __typename }}) measured in the same run. Bookings are made by users {@code demo:bench-guest-N}
 * on dates 400 to 700 days ahead and removed (with their calendar rows recomputed) before and after.
 */
final class BookingBench {

    private static final String CREATE = """
            mutation Book($input: CreateBookingInput!) {
              createBooking(input: $input) { booking { id status total { amount currency } } userErrors { field code message } }
            }""";
    private static final String QUOTE = """
            query Quote($unitId: ID!, $checkIn: Date!, $checkOut: Date!) {
              quote(unitId: $unitId, checkIn: $checkIn, checkOut: $checkOut, currency: "EUR") {
                nights lines { kind description amount { amount currency } } total { amount currency } deposit { amount } displayTotal { amount }
              }
            }""";
    private static final String FLOOR = "query Floor { __typename }";

    /** Nights booked beyond capacity, or calendar rows that disagree with the bookings holding them. */
    static final String OVERSOLD = """
            WITH nights AS (
                SELECT b.unit_id, d::date AS day, sum(b.quantity) AS taken
                  FROM booking b, generate_series(b.check_in, b.occupied_until - 1, interval '1 day') AS d
                 WHERE b.status IN ('REQUESTED', 'HELD', 'CONFIRMED', 'CHECKED_IN', 'COMPLETED') AND b.starts_at IS NULL
                   AND b.unit_id = ANY(?)
                 GROUP BY b.unit_id, d::date)
            SELECT count(*) FROM nights n JOIN unit u ON u.id = n.unit_id
              LEFT JOIN unit_calendar c ON c.unit_id = n.unit_id AND c.day = n.day
             WHERE n.taken > u.capacity OR c.booked IS DISTINCT FROM n.taken""";

    private record Target(UUID id, int capacity, int minStay, Integer maxStay, UUID operatorId, double lat, double lon) {
        String unitId() {
            return GlobalIds.encode(GlobalIds.UNIT, id);
        }
    }

    private record Phase(String name, long requests, long booked, long refused, long failed, double seconds, Histogram latency,
                         long invariantViolations, Cpu.Sample cpu) {
        double bookingsPerSecond() {
            return booked / seconds;
        }
    }

    private final Path out;
    private final Env env;
    private final Http http;
    private final URI api;
    private final URI graphql;
    private final int clients;
    private final int unitCount;
    private final Duration duration;
    private final int quoteRequests;
    private final int freshnessBookings;
    private final Cpu cpu;
    private final DevTokens tokens;

    static final double MAX_FRESHNESS_P99_MS = 2000;

    private static final String SEARCH = """
            query Free($filter: StaySearchInput!) { searchStays(filter: $filter, first: 100) { edges { node { id } } } }""";

    /** How long after createBooking answered each booked unit kept showing in searches for its dates. */
    private record Freshness(int bookings, Histogram latency, int timedOut) {
    }

    BookingBench(Args args) {
        boolean quick = args.flag("quick");
        this.out = args.path("out", "bench/target/run");
        this.env = Env.load();
        this.api = Http.loopback(args.required("api"));
        this.graphql = api.resolve("/graphql");
        this.http = new Http(Duration.ofSeconds(60));
        this.tokens = new DevTokens(http, api);
        this.clients = args.integer("clients", 50);
        this.unitCount = args.integer("units", 1000);
        this.duration = args.seconds("duration", Duration.ofSeconds(quick ? 10 : 30));
        this.quoteRequests = args.integer("quote-requests", quick ? 200 : 1000);
        this.freshnessBookings = args.integer("freshness-bookings", quick ? 50 : 200);
        Map<String, Long> pids = new java.util.LinkedHashMap<>();
        pids.put("api", args.longValue("api-pid", -1));
        pids.put("elasticsearch", env.esPid());
        pids.put("load generator", ProcessHandle.current().pid());
        this.cpu = new Cpu(pids, true);
        args.checkAllRead();
    }

    void run() throws Exception {
        String loadBefore = Cpu.loadAverage();
        List<Target> targets = targets();
        if (targets.size() < unitCount + 1) {
            throw new IllegalStateException("need " + (unitCount + 1) + " published instant-book units by the night, found " + targets.size()
                    + ": generate the demo data (infra/bin/demo.sh --units 100000) first");
        }
        // The unit everyone fights over: the one with the most places, so that bookings keep succeeding for a while.
        Target contended = targets.stream().max((a, b) -> Integer.compare(a.capacity(), b.capacity())).orElseThrow();
        List<Target> spread = targets.stream().filter(t -> t != contended).limit(unitCount).toList();
        cleanUp();
        for (int i = 0; i < clients; i++) {
            token("demo:bench-guest-" + i);
        }
        SearchBench.log("bookings: warm-up");
        contention("warm-up", List.of(contended), Duration.ofSeconds(5), 1);
        cleanUp();
        SearchBench.log("bookings: %d clients on one unit (capacity %d) for %d s", clients, contended.capacity(), duration.toSeconds());
        Phase one = contention("one unit", List.of(contended), duration, 2);
        SearchBench.log("bookings: %d clients over %d units for %d s", clients, spread.size(), duration.toSeconds());
        Phase many = contention(spread.size() + " units", spread, duration, 3);
        cleanUp();
        SearchBench.log("bookings: quote of a 6-month stay, %d requests against the floor", quoteRequests);
        Histogram[] quote = quotes(spread);
        SearchBench.log("bookings: %d bookings until search stops showing the unit for their dates", freshnessBookings);
        Freshness freshness = freshness(spread);
        cleanUp();
        String loadAfter = Cpu.loadAverage();
        report(contended, one, many, quote, freshness, loadBefore, loadAfter);
    }

    private List<Target> targets() throws Exception {
        try (Connection c = env.connect();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT u.id, u.capacity, u.min_stay, u.max_stay, u.operator_id, pr.latitude, pr.longitude
                       FROM unit u JOIN unit_pricing p ON p.unit_id = u.id JOIN property pr ON pr.id = u.property_id
                      WHERE u.status = 'PUBLISHED' AND u.booking_granularity = 'NIGHT' AND u.booking_mode = 'INSTANT'
                        AND u.room_type_id IS NULL AND u.min_stay <= 7 AND (u.max_stay IS NULL OR u.max_stay >= 200)
                        AND (p.nightly_rate IS NOT NULL OR p.monthly_rate IS NOT NULL)
                      ORDER BY u.id LIMIT ?""")) {
            ps.setInt(1, unitCount + 1);
            List<Target> list = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new Target(rs.getObject(1, UUID.class), rs.getInt(2), rs.getInt(3), (Integer) rs.getObject(4),
                            rs.getObject(5, UUID.class), rs.getDouble(6), rs.getDouble(7)));
                }
            }
            return list;
        }
    }

    /** Removes the benchmark's bookings and recomputes the calendar rows of the units they held. */
    private void cleanUp() throws Exception {
        try (Connection c = env.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("CREATE TEMP TABLE bench_units ON COMMIT DROP AS SELECT DISTINCT unit_id FROM booking b JOIN app_user u ON u.id = b.guest_id "
                    + "WHERE u.subject LIKE 'demo:bench-%'");
            s.execute("CREATE TEMP TABLE bench_bookings ON COMMIT DROP AS SELECT b.id FROM booking b JOIN app_user u ON u.id = b.guest_id "
                    + "WHERE u.subject LIKE 'demo:bench-%'");
            // Everything that refers to a booking, children first. Benchmark bookings are never paid, so the
            // append-only ledger has no rows of theirs; the payment side has their unpaid intents.
            for (String table : List.of("payout", "refund", "rent_instalment", "deposit_claim_item", "deposit_claim", "booking_deposit",
                    "payment", "booking_event")) {
                s.execute("DELETE FROM " + table + " WHERE booking_id IN (SELECT id FROM bench_bookings)");
            }
            s.execute("DELETE FROM booking_request r USING app_user u WHERE u.id = r.guest_id AND u.subject LIKE 'demo:bench-%'");
            int deleted = s.executeUpdate("DELETE FROM booking b USING app_user u WHERE u.id = b.guest_id AND u.subject LIKE 'demo:bench-%'");
            s.execute("""
                    UPDATE unit_calendar c SET booked = COALESCE((
                        SELECT sum(b.quantity) FROM booking b
                         WHERE b.unit_id = c.unit_id AND b.starts_at IS NULL AND c.day >= b.check_in AND c.day < b.occupied_until
                           AND b.status IN ('REQUESTED', 'HELD', 'CONFIRMED', 'CHECKED_IN', 'COMPLETED')), 0)
                     WHERE c.unit_id IN (SELECT unit_id FROM bench_units)""");
            s.execute("INSERT INTO outbox_event (operator_id, aggregate_type, aggregate_id, event_type) "
                    + "SELECT u.operator_id, 'unit', u.id, 'BookingReleased' FROM unit u WHERE u.id IN (SELECT unit_id FROM bench_units)");
            c.commit();
            if (deleted > 0) {
                SearchBench.log("bookings: removed %d benchmark bookings", deleted);
            }
        }
    }

    private Phase contention(String name, List<Target> units, Duration length, long seed) throws Exception {
        Recorder recorder = new Recorder(3);
        AtomicLong booked = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        LocalDate base = LocalDate.now(ZoneOffset.UTC).plusDays(400);
        long deadline = System.nanoTime() + length.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        Cpu.Sample cpuBefore = cpu.sample();
        long started = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String token = token("demo:bench-guest-" + i);
                Random random = new Random(seed * 1000 + i);
                futures.add(pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        Target t = units.get(random.nextInt(units.size()));
                        LocalDate in = base.plusDays(random.nextInt(300));
                        int nights = Math.max(t.minStay(), 1 + random.nextInt(14));
                        ObjectNode input = Json.object();
                        input.put("unitId", t.unitId()).put("checkIn", in.toString()).put("checkOut", in.plusDays(nights).toString()).put("guests", 1);
                        ObjectNode body = Json.object();
                        body.put("query", CREATE);
                        body.putObject("variables").set("input", input);
                        long t0 = System.nanoTime();
                        try {
                            Http.Response r = http.post(graphql, Json.bytes(body), Http.JSON, Map.of("Authorization", "Bearer " + token));
                            long micros = (System.nanoTime() - t0) / 1000;
                            recorder.recordValue(Math.max(1, micros));
                            requests.incrementAndGet();
                            JsonNode payload = r.status() == 200 ? Json.read(r.body()).path("data").path("createBooking") : null;
                            if (payload != null && payload.path("booking").path("id").isString()) {
                                booked.incrementAndGet();
                            } else if (payload != null && "UNAVAILABLE".equals(payload.path("userErrors").path(0).path("code").asString(""))) {
                                refused.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                                if (failed.get() <= 3) {
                                    SearchBench.log("bookings: unexpected answer %d %s", r.status(), r.text().substring(0, Math.min(300, r.text().length())));
                                }
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Cpu.Sample used = cpu.sample().minus(cpuBefore);
        Histogram h = recorder.getIntervalHistogram();
        long violations = violations(units);
        Phase phase = new Phase(name, requests.get(), booked.get(), refused.get(), failed.get(), seconds, h, violations, used);
        SearchBench.log("bookings: %s: %d requests, %d booked (%.1f/s), %d unavailable, %d failed, median %s, p99 %s, oversold nights %d",
                name, phase.requests(), phase.booked(), phase.bookingsPerSecond(), phase.refused(), phase.failed(),
                Report.ms(h.getValueAtPercentile(50) / 1000.0), Report.ms(h.getValueAtPercentile(99) / 1000.0), violations);
        return phase;
    }

    private long violations(List<Target> units) throws Exception {
        try (Connection c = env.connect(); PreparedStatement ps = c.prepareStatement(OVERSOLD)) {
            ps.setArray(1, c.createArrayOf("uuid", units.stream().map(Target::id).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Median of quote (6 months) and of the floor, alternating blocks of 50 so both see the same load. */
    private Histogram[] quotes(List<Target> units) throws Exception {
        Histogram quote = new Histogram(3);
        Histogram floor = new Histogram(3);
        Random random = new Random(42);
        LocalDate base = LocalDate.now(ZoneOffset.UTC).plusDays(30);
        byte[] floorBody = Json.bytes(Json.object().put("query", FLOOR));
        for (int warm = 0; warm < 100; warm++) {
            send(quoteBody(units, random, base));
            send(floorBody);
        }
        for (int done = 0; done < quoteRequests; done += 50) {
            for (int i = 0; i < 50; i++) {
                quote.recordValue(send(quoteBody(units, random, base)));
            }
            for (int i = 0; i < 50; i++) {
                floor.recordValue(send(floorBody));
            }
        }
        return new Histogram[] {quote, floor};
    }

    private byte[] quoteBody(List<Target> units, Random random, LocalDate base) {
        Target t = units.get(random.nextInt(units.size()));
        LocalDate in = base.plusDays(random.nextInt(200));
        ObjectNode body = Json.object();
        body.put("query", QUOTE);
        body.putObject("variables").put("unitId", t.unitId()).put("checkIn", in.toString()).put("checkOut", in.plusMonths(6).toString());
        return Json.bytes(body);
    }

    private long send(byte[] body) throws Exception {
        long t0 = System.nanoTime();
        Http.Response r = Http.ok(http.post(graphql, body, Http.JSON), "quote");
        long micros = (System.nanoTime() - t0) / 1000;
        JsonNode errors = Json.read(r.body()).path("errors");
        if (!errors.isMissingNode() && !errors.isNull()) {
            throw new IllegalStateException("the API answered errors: " + errors);
        }
        return Math.max(1, micros);
    }

    /**
     * Books units one at a time (4 workers, different units) and polls {@code searchStays} for the
     * booked dates around the unit's property, filtered to its operator, every 25 ms until the unit
     * is gone. Only units that show up for those dates before the booking are used.
     */
    private Freshness freshness(List<Target> units) throws Exception {
        Recorder recorder = new Recorder(3);
        AtomicLong timedOut = new AtomicLong();
        AtomicLong done = new AtomicLong();
        List<Target> pool = new ArrayList<>(units);
        java.util.Collections.shuffle(pool, new Random(7));
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        LocalDate base = LocalDate.now(ZoneOffset.UTC).plusDays(450);
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String token = token("demo:bench-guest-" + w);
                futures.add(workers.submit(() -> {
                    while (done.get() < freshnessBookings) {
                        int i = next.getAndIncrement();
                        if (i >= pool.size()) {
                            return null;
                        }
                        Target t = pool.get(i);
                        if (t.capacity() != 1) {
                            continue; // one booking must take the whole unit for it to leave dated searches
                        }
                        LocalDate in = base.plusDays(i % 200);
                        LocalDate out = in.plusDays(Math.max(3, t.minStay()));
                        byte[] search = searchBody(t, in, out);
                        if (!shows(search, t)) {
                            continue;
                        }
                        ObjectNode input = Json.object();
                        input.put("unitId", t.unitId()).put("checkIn", in.toString()).put("checkOut", out.toString()).put("guests", 1);
                        ObjectNode body = Json.object();
                        body.put("query", CREATE);
                        body.putObject("variables").set("input", input);
                        Http.Response r = http.post(graphql, Json.bytes(body), Http.JSON, Map.of("Authorization", "Bearer " + token));
                        if (!Json.read(r.body()).path("data").path("createBooking").path("booking").path("id").isString()) {
                            continue;
                        }
                        long booked = System.nanoTime();
                        long deadline = booked + Duration.ofSeconds(15).toNanos();
                        boolean gone = false;
                        while (System.nanoTime() < deadline) {
                            if (!shows(search, t)) {
                                gone = true;
                                break;
                            }
                            Thread.sleep(25);
                        }
                        if (gone) {
                            recorder.recordValue(Math.max(1, (System.nanoTime() - booked) / 1000));
                        } else {
                            timedOut.incrementAndGet();
                        }
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            workers.shutdownNow();
        }
        Histogram h = recorder.getIntervalHistogram();
        SearchBench.log("bookings: availability freshness over %d bookings: median %s, p99 %s, %d never left search within 15 s",
                done.get(), Report.ms(h.getValueAtPercentile(50) / 1000.0), Report.ms(h.getValueAtPercentile(99) / 1000.0), timedOut.get());
        return new Freshness((int) done.get(), h, (int) timedOut.get());
    }

    private byte[] searchBody(Target t, LocalDate in, LocalDate out) {
        ObjectNode filter = Json.object();
        filter.putObject("near").put("lat", t.lat()).put("lon", t.lon()).put("radiusKm", 0.1);
        filter.putArray("operatorIds").add(GlobalIds.encode(GlobalIds.OPERATOR, t.operatorId()));
        filter.putObject("dates").put("checkIn", in.toString()).put("checkOut", out.toString());
        ObjectNode body = Json.object();
        body.put("query", SEARCH);
        body.putObject("variables").set("filter", filter);
        return Json.bytes(body);
    }

    private boolean shows(byte[] search, Target t) throws Exception {
        JsonNode answer = Json.read(Http.ok(http.post(graphql, search, Http.JSON), "searchStays").body());
        String stay = GlobalIds.encode(GlobalIds.STAY, t.id());
        for (JsonNode edge : answer.path("data").path("searchStays").path("edges")) {
            if (stay.equals(edge.path("node").path("id").asString(""))) {
                return true;
            }
        }
        return false;
    }

    private String token(String subject) throws Exception {
        return tokens.of(subject);
    }

    private void report(Target contended, Phase one, Phase many, Histogram[] quote, Freshness freshness, String loadBefore, String loadAfter)
            throws Exception {
        StringBuilder md = new StringBuilder("## Bookings\n\n");
        md.append(Report.f("`createBooking` over HTTP from %d closed-loop clients (each its own signed-in nomad) for %d s per phase: "
                + "random check-in 400-700 days ahead, 1-14 nights (at least the unit's minimum), 1 guest. Phase 1 hits one unit "
                + "(the candidate with the most places: capacity %d); phase 2 picks among %d published instant-book units. Afterwards "
                + "the invariant query recomputes every night from the bookings and counts nights sold beyond capacity or calendar rows "
                + "that disagree. Load average %s before, %s after.%n%n", clients, duration.toSeconds(), contended.capacity(), unitCount,
                loadBefore, loadAfter));
        md.append("| phase | requests | booked | bookings/s | unavailable | other answers | median | p99 | oversold or wrong nights |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Phase p : List.of(one, many)) {
            md.append(Report.f("| %s | %d | %d | %.1f | %d | %d | %s | %s | %d |%n", p.name(), p.requests(), p.booked(), p.bookingsPerSecond(),
                    p.refused(), p.failed(), Report.ms(p.latency().getValueAtPercentile(50) / 1000.0),
                    Report.ms(p.latency().getValueAtPercentile(99) / 1000.0), p.invariantViolations()));
            Report.histogram(out, "bookings-" + p.name().replace(' ', '-'), p.latency());
            Report.check(out, "bookings", p.name() + ": oversold or inconsistent nights", String.valueOf(p.invariantViolations()), "0",
                    p.invariantViolations() == 0);
            Report.check(out, "bookings", p.name() + ": answers other than a booking or UNAVAILABLE", String.valueOf(p.failed()), "0",
                    p.failed() == 0);
            Report.check(out, "bookings", p.name() + ": createBooking median / p99, bookings/s",
                    Report.ms(p.latency().getValueAtPercentile(50) / 1000.0) + " / " + Report.ms(p.latency().getValueAtPercentile(99) / 1000.0)
                            + ", " + Report.f("%.1f/s", p.bookingsPerSecond()), "measured", "INFO");
        }
        md.append("\nCPU milliseconds per request during each phase, from /proc (the API includes its in-process search indexer, which "
                + "re-indexes each booked unit; PostgreSQL counts all databases; `other` is the rest of the machine, e.g. other builds; "
                + "`busy` is the average number of busy cores, 2 = saturated):\n\n");
        md.append("| phase | api | elasticsearch | postgres | load generator | other | busy |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        for (Phase p : List.of(one, many)) {
            double n = Math.max(1, p.requests());
            Cpu.Sample c = p.cpu();
            md.append(Report.f("| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f |%n", p.name(), c.ms("api") / n, c.ms("elasticsearch") / n,
                    c.ms("postgres") / n, c.ms("load generator") / n, c.otherMs() / n, c.busyCores()));
        }
        double q = quote[0].getValueAtPercentile(50) / 1000.0;
        double f = quote[1].getValueAtPercentile(50) / 1000.0;
        md.append(Report.f("%n`quote` of a 6-month stay (random unit of phase 2, display in EUR), %d requests from one client, alternating "
                + "blocks of 50 with the API's floor `{ __typename }` (same HTTP, security and GraphQL path, no data): median %s "
                + "(p99 %s) against %s (p99 %s), %.2fx.%n", quoteRequests, Report.ms(q), Report.ms(quote[0].getValueAtPercentile(99) / 1000.0),
                Report.ms(f), Report.ms(quote[1].getValueAtPercentile(99) / 1000.0), q / f));
        Report.histogram(out, "quote-6-months", quote[0]);
        Report.histogram(out, "graphql-floor", quote[1]);
        Report.check(out, "bookings", "quote, 6 months: median (floor)", Report.ms(q) + " (" + Report.ms(f) + ", " + Report.f("%.2fx", q / f) + ")",
                "measured", "INFO");
        double fp50 = freshness.latency().getValueAtPercentile(50) / 1000.0;
        double fp99 = freshness.latency().getValueAtPercentile(99) / 1000.0;
        md.append(Report.f("%nAvailability in search: %d bookings of single-place units (4 at a time), each followed by `searchStays` "
                + "for its dates around the unit's property (filtered to its operator) every 25 ms until the unit is gone: median %s, "
                + "p99 %s; %d still shown after 15 s.%n", freshness.bookings(), Report.ms(fp50), Report.ms(fp99), freshness.timedOut()));
        Report.histogram(out, "booking-visible-in-search", freshness.latency());
        boolean fresh = freshness.bookings() > 0 && freshness.timedOut() == 0 && fp99 < MAX_FRESHNESS_P99_MS;
        Report.check(out, "bookings", "p99 booking -> gone from searchStays for its dates",
                Report.ms(fp99) + " (median " + Report.ms(fp50) + ", " + freshness.bookings() + " bookings)", "< 2 s", fresh);
        Report.section(out, "bookings", md.toString());
    }
}
