package io.nomadstays.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The freshness benchmark: how long after a committed price change ({@code setUnitPricing} has
 * answered) the new price shows in {@code searchStays} (not {@code stay(id:)}, which reads
 * PostgreSQL). Changes go to published units of the demo operators, signed in as each operator's
 * manager; each change sets the nightly rate to a value never used before for that unit, then
 * {@code searchStays} filtered to the unit's operator and city (display currency = the unit's, so
 * {@code displayPrice} is the nightly rate itself) is polled every few milliseconds until the unit
 * shows the new price. A few workers change different units at once; the original prices are put
 * back at the end. Target: p99 under 2 s over 1,000 changes.
 */
final class FreshnessBench {

    static final double MAX_P99_MS = 2000;

    private static final String MUTATION = """
            mutation Price($input: SetUnitPricingInput!) {
              setUnitPricing(input: $input) { unit { id } userErrors { field code message } }
            }""";
    private static final String POLL = """
            query Fresh($filter: StaySearchInput!) {
              searchStays(filter: $filter, first: 100) { edges { node { id displayPrice { amount currency } } } }
            }""";

    /** A demo unit and the price list it had before the benchmark. */
    private record Unit(UUID id, UUID operatorId, String city, String manager, String currency, Long hourly, long nightly, Long daily,
                        Long weekly, Long monthly, long cleaning, long deposit, List<long[]> discounts) {

        String stayId() {
            return GlobalIds.encode(GlobalIds.STAY, id);
        }
    }

    private final Path out;
    private final Env env;
    private final Http http;
    private final URI graphql;
    private final URI api;
    private final int changes;
    private final int workers;
    private final Duration pollInterval;
    private final Duration timeout;
    private final String indexerMode;
    private final Path indexerJar;
    private final DevTokens tokens;
    private final long apiPid;
    private Process standaloneIndexer;

    FreshnessBench(Args args) {
        boolean quick = args.flag("quick");
        this.out = args.path("out", "bench/target/run");
        this.env = Env.load();
        this.api = Http.loopback(args.required("api"));
        this.graphql = api.resolve("/graphql");
        this.http = new Http(Duration.ofSeconds(30));
        this.tokens = new DevTokens(http, api);
        this.changes = args.integer("changes", quick ? 100 : 1000);
        this.workers = args.integer("workers", 4);
        this.pollInterval = Duration.ofMillis(args.integer("poll-ms", 25));
        this.timeout = args.seconds("timeout", Duration.ofSeconds(15));
        this.indexerMode = args.string("indexer", "auto");
        this.indexerJar = args.path("indexer-jar", "search-indexer/target/search-indexer.jar");
        this.apiPid = args.longValue("api-pid", -1);
        args.checkAllRead();
        if (!List.of("auto", "api", "standalone").contains(indexerMode)) {
            throw new IllegalArgumentException("--indexer is auto, api or standalone, not " + indexerMode);
        }
    }

    void run() throws Exception {
        String loadBefore = Cpu.loadAverage();
        List<Unit> candidates = units();
        if (candidates.isEmpty()) {
            throw new IllegalStateException("no published demo unit with a nightly rate and a demo manager: seed the demo data "
                    + "(infra/bin/demo.sh) first");
        }
        String note = "";
        try {
            if (indexerMode.equals("standalone")) {
                startIndexer();
                note = "The outbox was consumed by a standalone `search-indexer.jar run` (--indexer standalone).";
            }
            List<Unit> units = new ArrayList<>();
            for (Unit u : candidates) {
                Long shown = shownPrice(u);
                if (shown != null) {
                    units.add(u);
                }
            }
            if (units.isEmpty()) {
                throw new IllegalStateException("none of the " + candidates.size() + " demo units shows up in searchStays filtered to its "
                        + "operator and city: is the index built?");
            }
            SearchBench.log("freshness: %d demo units found in search (of %d candidates), %d workers, %d changes, polling every %d ms",
                    units.size(), candidates.size(), workers, changes, pollInterval.toMillis());
            Map<UUID, AtomicLong> next = new HashMap<>();
            units.forEach(u -> next.put(u.id(), new AtomicLong(1)));

            // Probe: is anyone consuming the outbox? The API should; otherwise (auto) start the standalone indexer.
            Unit probe = units.get(0);
            long probeMs = change(probe, probe.nightly() + next.get(probe.id()).getAndIncrement(), timeout);
            if (probeMs < 0 && indexerMode.equals("auto")) {
                SearchBench.log("freshness: a price change did not reach search within %s; starting the standalone indexer", timeout);
                startIndexer();
                note = "The API did not consume the outbox (a probe change was not searchable after " + timeout.toSeconds()
                        + " s), so a standalone `search-indexer.jar run` was started for this benchmark.";
                probeMs = change(probe, probe.nightly() + next.get(probe.id()).getAndIncrement(), Duration.ofSeconds(60));
            }
            if (probeMs < 0) {
                Report.section(out, "freshness", "## Freshness\n\nNo price change reached search within " + timeout.toSeconds()
                        + " s: nothing consumed the outbox. " + note + "\n");
                Report.check(out, "freshness", "p99 change -> visible in searchStays", "never visible", "< 2 s", false);
                return;
            }
            // Warm-up: a few changes not counted.
            for (int i = 0; i < Math.min(10, units.size()); i++) {
                Unit u = units.get(i);
                change(u, u.nightly() + next.get(u.id()).getAndIncrement(), timeout);
            }

            Histogram visible = Load.histogram();
            Histogram mutation = Load.histogram();
            AtomicLong timeouts = new AtomicLong();
            AtomicLong polls = new AtomicLong();
            AtomicReference<Exception> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            int effectiveWorkers = Math.max(1, Math.min(workers, units.size()));
            long start = System.nanoTime();
            for (int w = 0; w < effectiveWorkers; w++) {
                List<Unit> mine = new ArrayList<>();
                for (int i = w; i < units.size(); i += effectiveWorkers) {
                    mine.add(units.get(i));
                }
                int quota = changes / effectiveWorkers + (w < changes % effectiveWorkers ? 1 : 0);
                Thread t = new Thread(() -> {
                    try {
                        for (int i = 0; i < quota; i++) {
                            Unit u = mine.get(i % mine.size());
                            long price = u.nightly() + next.get(u.id()).getAndIncrement();
                            Measurement m = measure(u, price, timeout);
                            polls.addAndGet(m.polls());
                            synchronized (visible) {
                                mutation.recordValue(Math.min(Load.MAX_MICROS, m.mutationMicros()));
                                visible.recordValue(Math.min(Load.MAX_MICROS, m.visibleMicros() < 0 ? timeout.toNanos() / 1000 : m.visibleMicros()));
                            }
                            if (m.visibleMicros() < 0) {
                                timeouts.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    }
                }, "freshness-" + w);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join(TimeUnit.MINUTES.toMillis(60));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            restore(units);
            if (failure.get() != null) {
                throw failure.get();
            }
            write(visible, mutation, timeouts.get(), polls.get(), seconds, units.size(), effectiveWorkers, note, loadBefore);
        } finally {
            stopIndexer();
        }
    }

    private record Measurement(long mutationMicros, long visibleMicros, long polls) {
    }

    /** Milliseconds until visible, or -1. */
    private long change(Unit u, long price, Duration max) throws Exception {
        Measurement m = measure(u, price, max);
        return m.visibleMicros() < 0 ? -1 : m.visibleMicros() / 1000;
    }

    private Measurement measure(Unit u, long price, Duration max) throws Exception {
        long t0 = System.nanoTime();
        setPrice(u, price);
        long committed = System.nanoTime();
        long deadline = committed + max.toNanos();
        long polls = 0;
        long nextPoll = committed;
        while (System.nanoTime() < deadline) {
            long wait = nextPoll - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            nextPoll += pollInterval.toNanos();
            polls++;
            Long shown = shownPrice(u);
            if (shown != null && shown == price) {
                return new Measurement((committed - t0) / 1000, (System.nanoTime() - committed) / 1000, polls);
            }
        }
        return new Measurement((committed - t0) / 1000, -1, polls);
    }

    private void setPrice(Unit u, long nightly) throws Exception {
        ObjectNode body = Json.object();
        body.put("query", MUTATION);
        ObjectNode input = body.putObject("variables").putObject("input");
        input.put("unitId", GlobalIds.encode(GlobalIds.UNIT, u.id()));
        input.put("currency", u.currency());
        putIfSet(input, "hourlyRate", u.hourly());
        input.put("nightlyRate", nightly);
        putIfSet(input, "dailyRate", u.daily());
        putIfSet(input, "weeklyRate", u.weekly());
        putIfSet(input, "monthlyRate", u.monthly());
        input.put("cleaningFee", u.cleaning());
        input.put("deposit", u.deposit());
        ArrayNode discounts = input.putArray("longStayDiscounts");
        for (long[] d : u.discounts()) {
            discounts.addObject().put("minNights", (int) d[0]).put("percentBps", (int) d[1]);
        }
        Map<String, String> headers = Map.of("Authorization", "Bearer " + token(u.manager()));
        Http.Response r;
        try {
            r = Http.ok(http.post(graphql, Json.bytes(body), Http.JSON, headers), "setUnitPricing");
        } catch (HttpTimeoutException e) {
            Path stall = Stalls.record(out, "setUnitPricing", env, apiPid);
            throw new IOException("setUnitPricing got no answer in time; what the API and PostgreSQL were doing: " + stall, e);
        }
        JsonNode answer = Json.read(r.body());
        JsonNode payload = answer.path("data").path("setUnitPricing");
        if (answer.has("errors") || payload.path("userErrors").size() > 0 || payload.path("unit").isNull()) {
            throw new IllegalStateException("setUnitPricing refused: " + r.text());
        }
    }

    private static void putIfSet(ObjectNode node, String field, Long value) {
        if (value != null) {
            node.put(field, value.longValue());
        }
    }

    /** The nightly price searchStays shows for the unit (in its own currency), or null when it is not in the results. */
    private Long shownPrice(Unit u) throws Exception {
        ObjectNode body = Json.object();
        body.put("query", POLL);
        ObjectNode filter = body.putObject("variables").putObject("filter");
        filter.putArray("operatorIds").add(GlobalIds.encode(GlobalIds.OPERATOR, u.operatorId()));
        filter.put("city", u.city());
        filter.put("currency", u.currency());
        Http.Response r = Http.ok(http.post(graphql, Json.bytes(body), Http.JSON), "searchStays");
        JsonNode answer = Json.read(r.body());
        if (answer.has("errors")) {
            throw new IllegalStateException("searchStays failed: " + r.text());
        }
        String id = u.stayId();
        for (JsonNode edge : answer.path("data").path("searchStays").path("edges")) {
            JsonNode node = edge.path("node");
            if (id.equals(node.path("id").asString())) {
                JsonNode price = node.path("displayPrice");
                return price.isObject() ? price.path("amount").asLong() : null;
            }
        }
        return null;
    }

    private void restore(List<Unit> units) {
        int failed = 0;
        for (Unit u : units) {
            try {
                setPrice(u, u.nightly());
            } catch (Exception e) {
                failed++;
            }
        }
        SearchBench.log("freshness: original prices restored (%d failures)", failed);
    }

    private String token(String subject) throws Exception {
        return tokens.of(subject);
    }

    /** Published demo units with a nightly rate whose operator has a demo manager. */
    private List<Unit> units() throws Exception {
        List<Unit> units = new ArrayList<>();
        try (Connection c = env.connect()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT DISTINCT ON (u.id) u.id, u.operator_id, p.city, au.subject, pr.currency, pr.hourly_rate, pr.nightly_rate,
                           pr.daily_rate, pr.weekly_rate, pr.monthly_rate, pr.cleaning_fee, pr.deposit
                      FROM unit u
                      JOIN property p ON p.id = u.property_id
                      JOIN unit_pricing pr ON pr.unit_id = u.id
                      JOIN staff_membership sm ON sm.operator_id = u.operator_id AND sm.role IN ('MANAGER', 'OWNER')
                      JOIN app_user au ON au.id = sm.user_id AND au.subject LIKE 'demo:%-manager'
                     WHERE u.status = 'PUBLISHED' AND pr.nightly_rate IS NOT NULL
                     ORDER BY u.id, au.subject""");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    units.add(new Unit(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                            rs.getString(5).strip(), nullable(rs, 6), rs.getLong(7), nullable(rs, 8), nullable(rs, 9), nullable(rs, 10),
                            rs.getLong(11), rs.getLong(12), new ArrayList<>()));
                }
            }
            Map<UUID, Unit> byId = new LinkedHashMap<>();
            units.forEach(u -> byId.put(u.id(), u));
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT unit_id, min_nights, percent_bps FROM unit_long_stay_discount WHERE unit_id = ANY(?) ORDER BY unit_id, min_nights")) {
                Array ids = c.createArrayOf("uuid", byId.keySet().toArray());
                ps.setArray(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byId.get(rs.getObject(1, UUID.class)).discounts().add(new long[] {rs.getInt(2), rs.getInt(3)});
                    }
                }
            }
        }
        return units;
    }

    private static Long nullable(ResultSet rs, int column) throws java.sql.SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private void startIndexer() throws Exception {
        if (standaloneIndexer != null) {
            return;
        }
        if (!Files.isRegularFile(indexerJar)) {
            throw new IllegalStateException("no indexer jar at " + indexerJar);
        }
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                indexerJar.toString(), "run").redirectErrorStream(true).redirectOutput(out.resolve("freshness-indexer.log").toFile());
        for (String key : List.of("NOMAD_PG_HOST", "NOMAD_PG_PORT", "NOMAD_PG_USER", "NOMAD_PG_PASSWORD", "NOMAD_PG_DATABASE", "NOMAD_ES_URL")) {
            pb.environment().putIfAbsent(key, env.get(key, ""));
        }
        Files.createDirectories(out);
        standaloneIndexer = pb.start();
        SearchBench.log("freshness: started the standalone indexer (pid %d)", standaloneIndexer.pid());
    }

    private void stopIndexer() throws InterruptedException {
        if (standaloneIndexer != null) {
            standaloneIndexer.destroy();
            if (!standaloneIndexer.waitFor(30, TimeUnit.SECONDS)) {
                standaloneIndexer.destroyForcibly();
            }
            standaloneIndexer = null;
        }
    }

    private void write(Histogram visible, Histogram mutation, long timeouts, long polls, double seconds, int units, int workers,
                       String note, String loadBefore) throws Exception {
        StringBuilder md = new StringBuilder("## Freshness\n\n");
        md.append(Report.f("%d price changes (`setUnitPricing` on %d published demo units, as each operator's manager), %d at a time, "
                + "in %.0f s. Each is timed from the mutation's answer to the first `searchStays` answer (filtered to the unit's "
                + "operator and city, polled every %d ms, %d polls in all) that shows the new `displayPrice`; changes not visible "
                + "after %d s count as %d s. Load average %s before, %s after. %s\n\n",
                visible.getTotalCount(), units, workers, seconds, pollInterval.toMillis(), polls, timeout.toSeconds(), timeout.toSeconds(),
                loadBefore, Cpu.loadAverage(), note));
        md.append("| | median | p90 | p99 | max |\n| --- | --- | --- | --- | --- |\n");
        md.append(Report.f("| change -> visible in searchStays | %s | %s | %s | %s |\n", Report.ms(visible.getValueAtPercentile(50) / 1000.0),
                Report.ms(visible.getValueAtPercentile(90) / 1000.0), Report.ms(visible.getValueAtPercentile(99) / 1000.0),
                Report.ms(visible.getMaxValue() / 1000.0)));
        md.append(Report.f("| setUnitPricing answer | %s | %s | %s | %s |\n", Report.ms(mutation.getValueAtPercentile(50) / 1000.0),
                Report.ms(mutation.getValueAtPercentile(90) / 1000.0), Report.ms(mutation.getValueAtPercentile(99) / 1000.0),
                Report.ms(mutation.getMaxValue() / 1000.0)));
        md.append(Report.f("\nNot visible within %d s: %d.\n", timeout.toSeconds(), timeouts));
        Report.section(out, "freshness", md.toString());
        Report.histogram(out, "freshness-visible", visible);
        double p99 = visible.getValueAtPercentile(99) / 1000.0;
        Report.check(out, "freshness", "p99 change -> visible in searchStays",
                Report.f("%s (median %s, %d changes)", Report.ms(p99), Report.ms(visible.getValueAtPercentile(50) / 1000.0), visible.getTotalCount()),
                "< 2 s", p99 < MAX_P99_MS && timeouts == 0);
    }
}
