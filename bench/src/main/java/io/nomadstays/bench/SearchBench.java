package io.nomadstays.bench;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The search benchmark: each query through {@code searchStays} over HTTP and the same query sent raw
 * to Elasticsearch, in the same run, with one client (median, p99) and with 32 concurrent clients
 * (throughput, p99). Targets (docs/benchmarks.md): one client median within 2x of raw; 32 clients at
 * least 40% of raw throughput and p99 under 100 ms.
 */
final class SearchBench {

    static final double MAX_MEDIAN_RATIO = 2.0;
    static final double MIN_THROUGHPUT_RATIO = 0.4;
    static final double MAX_P99_MS = 100;

    private record Phase(Load.Result result, Cpu.Sample cpu, long pgTransactions) {

        static Phase merge(Phase a, Phase b) {
            return a == null ? b : new Phase(Load.merge(a.result(), b.result()), a.cpu().plus(b.cpu()), a.pgTransactions() + b.pgTransactions());
        }
    }

    /** Requests per single-client block before switching between the API and raw. */
    static final int SINGLE_BLOCK = 50;

    private record Measured(Phase apiSingle, Phase rawSingle, Phase apiConcurrent, Phase rawConcurrent,
                            SearchVerifier.Outcome verified) {
    }

    private final Path out;
    private final Http http;
    private final URI graphql;
    private final URI search;
    private final Env env;
    private final Cpu cpu;
    private final int clients;
    private final int singleCount;
    private final Duration duration;
    private final Duration warmup;
    private final Duration slice;
    /** The least warm-up; then rounds of {@link #SETTLE_ROUND} until the JIT has settled, up to {@link #apiWarmupMax}. */
    private final Duration apiWarmup;
    private final Duration apiWarmupMax;
    private Duration warmedUp = Duration.ZERO;
    private double jitShareAfterWarmup = Double.NaN;
    private final int paramSets;
    private final int verifyCount;
    private final long seed;
    private final String alias;
    private final List<SearchWorkload.Kind> kinds = new ArrayList<>();
    private final SearchWorkload workload;
    private final boolean quick;

    SearchBench(Args args) throws Exception {
        this.quick = args.flag("quick");
        this.out = args.path("out", "bench/target/run");
        this.env = Env.load();
        this.alias = args.string("alias", "stays");
        URI api = Http.loopback(args.required("api"));
        this.graphql = api.resolve("/graphql");
        this.search = env.es().resolve(alias + "/_search?typed_keys=true");
        this.http = new Http(Duration.ofSeconds(30));
        this.clients = args.integer("clients", 32);
        this.singleCount = args.integer("single-requests", quick ? 300 : 1000);
        this.duration = args.seconds("duration", Duration.ofSeconds(quick ? 8 : 30));
        this.warmup = args.seconds("warmup", Duration.ofSeconds(quick ? 4 : 15));
        this.slice = args.seconds("slice", Duration.ofSeconds(5));
        this.apiWarmup = args.seconds("api-warmup", Duration.ofSeconds(quick ? 0 : 165));
        this.apiWarmupMax = args.seconds("api-warmup-max", Duration.ofSeconds(480));
        this.paramSets = args.integer("param-sets", 500);
        this.verifyCount = args.integer("verify", quick ? 10 : 30);
        this.seed = args.longValue("seed", 20261128L);
        for (String q : args.string("queries", "a,b,c").split(",")) {
            kinds.add(SearchWorkload.Kind.valueOf(q.strip().toUpperCase(Locale.ROOT)));
        }
        long apiPid = args.longValue("api-pid", -1);
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("api", apiPid);
        pids.put("elasticsearch", env.esPid());
        pids.put("load generator", ProcessHandle.current().pid());
        this.cpu = new Cpu(pids, true).detailJvm("api");
        this.workload = new SearchWorkload(Cities.read(args.path("cities", "api/src/main/resources/demo/nomad-cities.csv")),
                LocalDate.now(ZoneOffset.UTC));
        args.checkAllRead();
    }

    /** A round of the warm-up after its least duration, and the JIT compiler's share of the API's CPU that counts as settled. */
    static final Duration SETTLE_ROUND = Duration.ofSeconds(15);
    static final double SETTLED_JIT_SHARE = 0.05;

    /**
     * The API's JIT needs thousands of requests of every shape: a fresh JVM spends more CPU compiling
     * than serving. The queries are mixed, as a server sees them: warmed up one after the other, the
     * JIT recompiled for the first query measured what it had specialised for the last one warmed up.
     * How long the JIT takes depends on the machine's speed, so after {@link #apiWarmup} the load goes
     * on in rounds until the compiler threads took under 5% of the API's CPU in one.
     */
    private void warmUp() throws InterruptedException {
        log("warming up the API for at least %s, then until its JIT settles (all queries, %d clients, at most %s)",
                apiWarmup, clients, apiWarmupMax);
        List<SearchWorkload.Request> mixed = new ArrayList<>();
        List<List<SearchWorkload.Request>> byKind = kinds.stream().map(k -> workload.requests(k, seed + 1, paramSets)).toList();
        for (int i = 0; i < paramSets; i++) {
            for (List<SearchWorkload.Request> requests : byKind) {
                mixed.add(requests.get(i));
            }
        }
        Load.Call call = i -> http.post(graphql, mixed.get(i % mixed.size()).graphql(), Http.JSON).status() == 200;
        long started = System.nanoTime();
        Load.concurrent(clients, apiWarmup, Long.MAX_VALUE / 2, call);
        do {
            Cpu.Sample before = cpu.sample();
            Load.concurrent(clients, SETTLE_ROUND, Long.MAX_VALUE / 2, call);
            Cpu.Sample used = cpu.sample().minus(before);
            jitShareAfterWarmup = used.ms("api:jit") / Math.max(1, used.ms("api"));
            log("warm-up: the JIT took %.1f%% of the API's CPU in the last %d s", 100 * jitShareAfterWarmup, SETTLE_ROUND.toSeconds());
        } while (jitShareAfterWarmup >= SETTLED_JIT_SHARE
                && Duration.ofNanos(System.nanoTime() - started).plus(SETTLE_ROUND).compareTo(apiWarmupMax) <= 0);
        warmedUp = Duration.ofNanos(System.nanoTime() - started);
    }

    void run() throws Exception {
        String loadBefore = Cpu.loadAverage();
        long indexed = count();
        log("search: %d documents behind alias %s; queries %s; %d clients, %s per concurrent phase, %d single-client requests",
                indexed, alias, kinds, clients, duration, singleCount);
        Map<SearchWorkload.Kind, Measured> results = new EnumMap<>(SearchWorkload.Kind.class);
        if (!apiWarmup.isZero()) {
            warmUp();
        }
        for (SearchWorkload.Kind kind : kinds) {
            List<SearchWorkload.Request> requests = workload.requests(kind, seed, paramSets);
            SearchVerifier.Outcome verified = new SearchVerifier(http, graphql, search).verify(requests.subList(0, Math.min(verifyCount, requests.size())));
            log("query %s: %d/%d checked requests give the same answer through the API and raw; mean total %.0f, %d with no result%s",
                    kind.id(), verified.matched(), verified.checked(), verified.meanTotal(), verified.zeroResults(),
                    verified.mismatches().isEmpty() ? "" : "; " + verified.mismatches());
            Load.Call api = i -> {
                Http.Response r = http.post(graphql, requests.get(i % requests.size()).graphql(), Http.JSON);
                return r.status() == 200 && r.startsWith("{\"data\"");
            };
            Load.Call raw = i -> http.post(search, requests.get(i % requests.size()).raw(), Http.JSON).status() == 200;

            log("query %s: warming up %s each", kind.id(), warmup);
            Load.concurrent(clients, warmup, Long.MAX_VALUE / 2, api);
            Load.concurrent(clients, warmup, Long.MAX_VALUE / 2, raw);
            Load.sequential(Math.min(100, singleCount), api);
            Load.sequential(Math.min(100, singleCount), raw);

            // API and raw alternate in short blocks (1 client) and slices (32 clients), so both see the same
            // background load on a shared machine; each target continues its own request sequence.
            Phase apiSingle = null;
            Phase rawSingle = null;
            for (int first = 0, block = 0; first < singleCount; first += SINGLE_BLOCK, block++) {
                int from = first;
                int n = Math.min(SINGLE_BLOCK, singleCount - first);
                if (block % 2 == 0) {
                    apiSingle = Phase.merge(apiSingle, phase(() -> Load.sequential(from, n, api)));
                    rawSingle = Phase.merge(rawSingle, phase(() -> Load.sequential(from, n, raw)));
                } else {
                    rawSingle = Phase.merge(rawSingle, phase(() -> Load.sequential(from, n, raw)));
                    apiSingle = Phase.merge(apiSingle, phase(() -> Load.sequential(from, n, api)));
                }
            }
            log("query %s, 1 client: API median %s p99 %s; raw median %s p99 %s", kind.id(),
                    Report.ms(apiSingle.result().medianMs()), Report.ms(apiSingle.result().p99Ms()),
                    Report.ms(rawSingle.result().medianMs()), Report.ms(rawSingle.result().p99Ms()));
            int slices = Math.max(2, (int) Math.round(duration.toMillis() / (double) slice.toMillis()));
            Duration sliceLength = duration.dividedBy(slices);
            long cap = Math.max(1, sliceLength.toSeconds()) * 50_000L;
            Phase apiConcurrent = null;
            Phase rawConcurrent = null;
            for (int s = 0; s < slices; s++) {
                int apiFrom = apiConcurrent == null ? 0 : (int) (apiConcurrent.result().ok() + apiConcurrent.result().errors());
                int rawFrom = rawConcurrent == null ? 0 : (int) (rawConcurrent.result().ok() + rawConcurrent.result().errors());
                if (s % 2 == 0) {
                    apiConcurrent = Phase.merge(apiConcurrent, phase(() -> Load.concurrent(clients, sliceLength, cap, api, apiFrom)));
                    rawConcurrent = Phase.merge(rawConcurrent, phase(() -> Load.concurrent(clients, sliceLength, cap, raw, rawFrom)));
                } else {
                    rawConcurrent = Phase.merge(rawConcurrent, phase(() -> Load.concurrent(clients, sliceLength, cap, raw, rawFrom)));
                    apiConcurrent = Phase.merge(apiConcurrent, phase(() -> Load.concurrent(clients, sliceLength, cap, api, apiFrom)));
                }
            }
            log("query %s, %d clients: API %.0f req/s p99 %s; raw %.0f req/s p99 %s", kind.id(), clients,
                    apiConcurrent.result().throughput(), Report.ms(apiConcurrent.result().p99Ms()),
                    rawConcurrent.result().throughput(), Report.ms(rawConcurrent.result().p99Ms()));
            Report.histogram(out, "search-" + kind.id() + "-api-1", apiSingle.result().latency());
            Report.histogram(out, "search-" + kind.id() + "-raw-1", rawSingle.result().latency());
            Report.histogram(out, "search-" + kind.id() + "-api-" + clients, apiConcurrent.result().latency());
            Report.histogram(out, "search-" + kind.id() + "-raw-" + clients, rawConcurrent.result().latency());
            results.put(kind, new Measured(apiSingle, rawSingle, apiConcurrent, rawConcurrent, verified));
        }
        write(results, indexed, loadBefore, Cpu.loadAverage());
    }

    @FunctionalInterface
    private interface Body {
        Load.Result run() throws Exception;
    }

    private Phase phase(Body body) throws Exception {
        long pg0 = pgTransactions();
        Cpu.Sample before = cpu.sample();
        Load.Result result = body.run();
        Cpu.Sample used = cpu.sample().minus(before);
        return new Phase(result, used, pgTransactions() - pg0 - 1);
    }

    private void write(Map<SearchWorkload.Kind, Measured> results, long indexed, String loadBefore, String loadAfter) throws Exception {
        StringBuilder md = new StringBuilder("## Search\n\n");
        String warmedUpText = warmedUp.isZero() ? "none through the API"
                : Report.f("%d s of all queries through the API (at least %d s, then until the JIT compiler threads took under %.0f%% "
                        + "of the API's CPU in %d s, at most %d s: %.1f%% in the last %d s)", warmedUp.toSeconds(), apiWarmup.toSeconds(),
                        100 * SETTLED_JIT_SHARE, SETTLE_ROUND.toSeconds(), apiWarmupMax.toSeconds(), 100 * jitShareAfterWarmup,
                        SETTLE_ROUND.toSeconds());
        md.append(Report.f("%d documents behind the alias `%s`. Each query through `searchStays` (POST /graphql, the same document "
                + "with varying variables) and the same Elasticsearch body sent raw to `/%s/_search?typed_keys=true`, with %d "
                + "parameter sets from the demo cities (seed %d), the same sequence for both. Warm-up: %s, "
                + "then %d s per query and target. 1 client: %d requests each; %d clients: %d s each, closed loop. API and raw alternate "
                + "in blocks of %d requests (1 client) and %d s slices (%d clients), so both see the same background load. "
                + "Load average %s before, %s after.\n\n",
                indexed, alias, alias, paramSets, seed, warmedUpText, warmup.toSeconds(), singleCount, clients,
                duration.toSeconds(), SINGLE_BLOCK, slice.toSeconds(), clients, loadBefore, loadAfter));
        md.append("| query | checked against the API | mean hits | no hits |\n| --- | --- | --- | --- |\n");
        results.forEach((k, m) -> md.append(Report.f("| %s: %s | %d/%d identical%s | %.0f | %d |\n", k.id(), k.description,
                m.verified().matched(), m.verified().checked(),
                m.verified().mismatches().isEmpty() ? "" : " (" + String.join("; ", m.verified().mismatches()).replace("|", "/") + ")",
                m.verified().meanTotal(), m.verified().zeroResults())));

        md.append("\n### One client\n\n| query | API median | raw median | ratio (target <= 2) | API p99 | raw p99 | requests | errors |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        results.forEach((k, m) -> {
            Load.Result a = m.apiSingle().result();
            Load.Result r = m.rawSingle().result();
            md.append(Report.f("| %s | %s | %s | %.2fx | %s | %s | %d | %d |\n", k.id(), Report.ms(a.medianMs()), Report.ms(r.medianMs()),
                    a.medianMs() / r.medianMs(), Report.ms(a.p99Ms()), Report.ms(r.p99Ms()), a.ok() + r.ok(), a.errors() + r.errors()));
        });
        md.append(Report.f("\n### %d clients\n\n| query | API req/s | raw req/s | ratio (target >= 0.40) | API p99 (target < 100 ms) | "
                + "raw p99 | API median | raw median | errors |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n", clients));
        results.forEach((k, m) -> {
            Load.Result a = m.apiConcurrent().result();
            Load.Result r = m.rawConcurrent().result();
            md.append(Report.f("| %s | %.0f | %.0f | %.2f | %s | %s | %s | %s | %d |\n", k.id(), a.throughput(), r.throughput(),
                    a.throughput() / r.throughput(), Report.ms(a.p99Ms()), Report.ms(r.p99Ms()), Report.ms(a.medianMs()),
                    Report.ms(r.medianMs()), a.errors() + r.errors()));
        });
        md.append(Report.f("\n### Where the CPU went (%d clients, CPU ms per request)\n\n", clients));
        md.append("Measured from /proc: the API JVM (and, within it, its JIT compiler threads and its GC/VM thread), "
                + "Elasticsearch, all PostgreSQL processes (other engineers' test databases included), this load generator, "
                + "and the rest of the machine (other engineers' builds). `busy` is the machine's average number of busy cores (2 = saturated). "
                + "`pg tx` counts transactions in the application's database during the phase: searches need none, the in-process "
                + "outbox indexer polls about 20 times a second.\n\n");
        md.append("| query | target | api | of which JIT | of which GC | elasticsearch | postgres (all databases) | load generator "
                + "| other | busy | pg tx |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        results.forEach((k, m) -> {
            for (Phase p : List.of(m.apiConcurrent(), m.rawConcurrent())) {
                double n = Math.max(1, p.result().ok());
                Cpu.Sample c = p.cpu();
                md.append(Report.f("| %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.2f | %d |\n", k.id(),
                        p == m.apiConcurrent() ? "API" : "raw", c.ms("api") / n, c.ms("api:jit") / n, c.ms("api:gc") / n,
                        c.ms("elasticsearch") / n, c.ms("postgres") / n, c.ms("load generator") / n, c.otherMs() / n, c.busyCores(), p.pgTransactions()));
            }
        });
        md.append("\nLatency distributions: `histograms/search-*.hgrm` in the run folder.\n");
        Report.section(out, "search", md.toString());

        for (var e : results.entrySet()) {
            String q = e.getKey().id();
            Measured m = e.getValue();
            boolean identical = m.verified().matched() == m.verified().checked();
            Report.check(out, "search", q + ": raw body = API query", m.verified().matched() + "/" + m.verified().checked() + " identical",
                    "all", identical);
            double medianRatio = m.apiSingle().result().medianMs() / m.rawSingle().result().medianMs();
            Report.check(out, "search", q + ": 1 client, median API / raw",
                    Report.f("%.2fx (%s vs %s)", medianRatio, Report.ms(m.apiSingle().result().medianMs()), Report.ms(m.rawSingle().result().medianMs())),
                    "<= 2x", medianRatio <= MAX_MEDIAN_RATIO && m.apiSingle().result().errors() == 0);
            double throughputRatio = m.apiConcurrent().result().throughput() / m.rawConcurrent().result().throughput();
            Report.check(out, "search", q + ": " + clients + " clients, throughput API / raw",
                    Report.f("%.2f (%.0f vs %.0f req/s)", throughputRatio, m.apiConcurrent().result().throughput(), m.rawConcurrent().result().throughput()),
                    ">= 0.40", throughputRatio >= MIN_THROUGHPUT_RATIO && m.apiConcurrent().result().errors() == 0);
            double p99 = m.apiConcurrent().result().p99Ms();
            Report.check(out, "search", q + ": " + clients + " clients, API p99",
                    Report.f("%s (raw %s)", Report.ms(p99), Report.ms(m.rawConcurrent().result().p99Ms())), "< 100 ms", p99 < MAX_P99_MS);
        }
    }

    private long count() throws Exception {
        var r = Http.ok(http.get(env.es().resolve(alias + "/_count")), "count");
        return Json.read(r.body()).path("count").asLong();
    }

    private long pgTransactions() {
        try (Connection c = env.connect();
             PreparedStatement ps = c.prepareStatement("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    static void log(String pattern, Object... args) {
        System.out.println("[bench] " + Report.f(pattern, args));
        System.out.flush();
    }
}
