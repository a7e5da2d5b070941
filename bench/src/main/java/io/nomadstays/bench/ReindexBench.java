package io.nomadstays.bench;

import io.nomadstays.index.SearchSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reindex benchmark: a full reindex from PostgreSQL ({@code search-indexer.jar reindex --fresh},
 * its own process, as in production) against the raw {@code _bulk} rate of the very documents it
 * wrote, measured in the same run: they are exported from the new index, then bulk-indexed into a
 * scratch index made from the same definition with the same bulk-load settings, the same batch size
 * and the same number of requests in flight. Only the bulk requests are timed. Target: the reindex
 * runs at no less than half the raw rate.
 */
final class ReindexBench {

    static final double MIN_RATIO = 0.5;
    private static final Pattern RESULT = Pattern.compile(
            "(?:Indexed|Resumed and indexed) (\\d+) units into (\\S+) in ([\\d.]+) s \\(([\\d.]+) units/s\\)");

    private record Reindex(long units, String index, double seconds, double wallSeconds, Cpu.Sample cpu, double indexerCpuMs) {
        double rate() {
            return units / seconds;
        }
    }

    private record Raw(long documents, int batches, double bulkSeconds, double refreshSeconds, long failures, String firstFailure,
                       Cpu.Sample cpu) {
        double rate() {
            return documents / bulkSeconds;
        }
    }

    private final Path out;
    private final Env env;
    private final Http http;
    private final URI es;
    private final Path indexerJar;
    private final Path launcher;
    /** Null: the launcher's own options for a reindex. */
    private final String indexerJavaOptions;
    private String commandLine;
    private final int rounds;
    private final int batchSize;
    private final int concurrency;
    private final Cpu cpu;

    ReindexBench(Args args) {
        this.out = args.path("out", "bench/target/run");
        this.env = Env.load();
        this.es = env.es();
        this.http = new Http(Duration.ofMinutes(2));
        this.indexerJar = args.path("indexer-jar", "search-indexer/target/search-indexer.jar");
        this.launcher = args.path("indexer-launcher", "search-indexer/bin/search-indexer");
        this.indexerJavaOptions = args.string("indexer-java-opts", null);
        this.rounds = args.integer("rounds", args.flag("quick") ? 1 : 3);
        SearchSettings defaults = SearchSettings.defaults();
        this.batchSize = Integer.parseInt(env.get("NOMAD_SEARCH_REINDEX_BATCH_SIZE", String.valueOf(defaults.reindexBatchSize())).strip());
        this.concurrency = Integer.parseInt(env.get("NOMAD_SEARCH_REINDEX_CONCURRENCY", String.valueOf(defaults.reindexConcurrency())).strip());
        args.checkAllRead();
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("elasticsearch", env.esPid());
        pids.put("load generator", ProcessHandle.current().pid());
        this.cpu = new Cpu(pids, true);
    }

    void run() throws Exception {
        if (!Files.isRegularFile(indexerJar)) {
            throw new IllegalStateException("no indexer jar at " + indexerJar + " (build it: ./mvnw -pl search-indexer -am package)");
        }
        commandLine = commandLine();
        String loadBefore = Cpu.loadAverage();
        List<Reindex> reindexes = new ArrayList<>();
        List<Raw> raws = new ArrayList<>();
        List<byte[]> batches = null;
        for (int round = 1; round <= rounds; round++) {
            quiet();
            Reindex reindex = reindex(round);
            reindexes.add(reindex);
            SearchBench.log("reindex %d: %d units in %.1f s (%.0f units/s; process wall time %.1f s)", round, reindex.units(),
                    reindex.seconds(), reindex.rate(), reindex.wallSeconds());
            if (batches == null) {
                // Every round writes the same documents (only their external version differs): export them once.
                batches = export(reindex.index());
            }
            quiet();
            Raw raw = rawBulk(batches, reindex.units());
            raws.add(raw);
            SearchBench.log("raw bulk %d: %d documents in %.1f s (%.0f docs/s), refresh %.1f s, %d failures", round, raw.documents(),
                    raw.bulkSeconds(), raw.rate(), raw.refreshSeconds(), raw.failures());
        }
        write(reindexes, raws, loadBefore, Cpu.loadAverage());
    }

    /**
     * The reindex as an operator runs it: through the indexer's launcher, which chooses the JVM options
     * (it execs the JVM, so the process and its CPU are the indexer's).
     */
    private ProcessBuilder launch(boolean dryRun) {
        ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "reindex", "--fresh");
        Map<String, String> environment = pb.environment();
        for (String key : List.of("NOMAD_PG_HOST", "NOMAD_PG_PORT", "NOMAD_PG_USER", "NOMAD_PG_PASSWORD", "NOMAD_PG_DATABASE", "NOMAD_ES_URL")) {
            environment.putIfAbsent(key, env.get(key, ""));
        }
        environment.put("NOMAD_INDEXER_JAR", indexerJar.toString());
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        if (indexerJavaOptions != null) {
            environment.put("NOMAD_INDEXER_JAVA_OPTS", indexerJavaOptions);
        }
        if (dryRun) {
            environment.put("NOMAD_INDEXER_DRY_RUN", "1");
        }
        return pb;
    }

    /** The command line the launcher runs, as it prints it in a dry run. */
    private String commandLine() throws IOException, InterruptedException {
        Process p = launch(true).redirectErrorStream(true).start();
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("the indexer launcher " + launcher + " failed: " + line);
        }
        return line;
    }

    private Reindex reindex(int round) throws Exception {
        Path log = out.resolve("reindex-" + round + ".log");
        Files.createDirectories(out);
        ProcessBuilder pb = launch(false).redirectErrorStream(true).redirectOutput(log.toFile());
        SearchBench.log("reindex %d: %s", round, commandLine);
        Cpu.Sample before = cpu.sample();
        long start = System.nanoTime();
        Process p = pb.start();
        Path stat = Path.of("/proc", String.valueOf(p.pid()), "stat");
        long ticks = 0;
        // Bounded: a reindex of 100,000 units takes a minute or two here. The indexer's CPU is read while it still exists.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
            ticks = Math.max(ticks, Cpu.ticks(stat));
            if (System.nanoTime() > deadline) {
                p.destroy();
                throw new IllegalStateException("the reindex did not finish within 30 minutes; see " + log);
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        Cpu.Sample used = cpu.sample().minus(before);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("the reindex failed (exit " + p.exitValue() + "); see " + log + ":\n" + tail(output));
        }
        Matcher m = RESULT.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no result line in the reindex output; see " + log + ":\n" + tail(output));
        }
        double indexerMs = ticks * Cpu.TICK_MS;
        return new Reindex(Long.parseLong(m.group(1)), m.group(2), Double.parseDouble(m.group(3)), wall, used, indexerMs);
    }

    /** The documents of {@code index} as ready-made NDJSON bulk bodies of {@code batchSize} index operations each. */
    private List<byte[]> export(String index) throws Exception {
        List<byte[]> batches = new ArrayList<>();
        ByteArrayOutputStream batch = new ByteArrayOutputStream(4 << 20);
        int inBatch = 0;
        long total = 0;
        String scratch = SCRATCH;
        String after = null;
        URI search = es.resolve(index + "/_search");
        long started = System.nanoTime();
        for (int page = 0; page < 10_000; page++) {
            ObjectNode body = Json.object();
            body.put("size", 5000);
            body.put("version", true);
            body.putArray("sort").addObject().put("unit_id", "asc");
            if (after != null) {
                body.putArray("search_after").add(after);
            }
            JsonNode hits = Json.read(Http.ok(http.post(search, Json.bytes(body), Http.JSON), "export").body()).path("hits").path("hits");
            if (hits.isEmpty()) {
                break;
            }
            for (JsonNode hit : hits) {
                ObjectNode action = Json.object();
                action.putObject("index").put("_index", scratch).put("_id", hit.path("_id").asString())
                        .put("version", hit.path("_version").asLong()).put("version_type", "external");
                batch.write(Json.bytes(action));
                batch.write('\n');
                batch.write(Json.bytes(hit.path("_source")));
                batch.write('\n');
                total++;
                if (++inBatch == batchSize) {
                    batches.add(batch.toByteArray());
                    batch.reset();
                    inBatch = 0;
                }
                after = hit.path("sort").path(0).asString();
            }
        }
        if (inBatch > 0) {
            batches.add(batch.toByteArray());
        }
        long bytes = batches.stream().mapToLong(b -> b.length).sum();
        SearchBench.log("exported %d documents (%d MB of bulk bodies, %d batches) from %s in %.1f s", total, bytes >> 20,
                batches.size(), index, (System.nanoTime() - started) / 1e9);
        return batches;
    }

    /** The scratch index the exported bulk bodies name (each round deletes it when done). */
    private static final String SCRATCH = "bench-raw-bulk";

    /** Waits (at most a minute) until Elasticsearch has no merge running, so neither side pays for the other's merges. */
    private void quiet() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            JsonNode nodes = Json.read(Http.ok(http.get(es.resolve("_nodes/_local/stats/indices/merge")), "merge stats").body()).path("nodes");
            long current = 0;
            for (JsonNode n : nodes) {
                current += n.path("indices").path("merges").path("current").asLong();
            }
            if (current == 0) {
                return;
            }
            Thread.sleep(500);
        }
    }

    private Raw rawBulk(List<byte[]> batches, long expected) throws Exception {
        String scratch = SCRATCH;
        http.send("DELETE", es.resolve(scratch + "?ignore_unavailable=true"), null);
        String definition = definition();
        Http.ok(http.send("PUT", es.resolve(scratch), definition.getBytes(StandardCharsets.UTF_8)), "create " + scratch);
        Http.ok(http.get(es.resolve("_cluster/health/" + scratch + "?wait_for_status=yellow&timeout=30s")), "health");
        URI bulk = es.resolve(scratch + "/_bulk");
        AtomicInteger next = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        AtomicLong documents = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            Cpu.Sample before = cpu.sample();
            long start = System.nanoTime();
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    for (int b = next.getAndIncrement(); b < batches.size(); b = next.getAndIncrement()) {
                        Http.Response r = http.post(bulk, batches.get(b), Http.NDJSON);
                        if (r.status() != 200) {
                            failures.incrementAndGet();
                            firstFailure.compareAndSet(null, "HTTP " + r.status() + ": " + r.text().substring(0, Math.min(300, r.text().length())));
                            continue;
                        }
                        JsonNode answer = Json.read(r.body());
                        for (JsonNode item : answer.path("items")) {
                            JsonNode op = item.path("index");
                            if (op.has("error")) {
                                failures.incrementAndGet();
                                firstFailure.compareAndSet(null, op.path("error").toString());
                            } else {
                                documents.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
            double bulkSeconds = (System.nanoTime() - start) / 1e9;
            long refreshStart = System.nanoTime();
            Http.ok(http.post(es.resolve(scratch + "/_refresh"), new byte[0], Http.JSON), "refresh");
            double refreshSeconds = (System.nanoTime() - refreshStart) / 1e9;
            Cpu.Sample used = cpu.sample().minus(before);
            long count = Json.read(Http.ok(http.get(es.resolve(scratch + "/_count")), "count").body()).path("count").asLong();
            if (count != expected) {
                firstFailure.compareAndSet(null, "scratch index holds " + count + " documents, expected " + expected);
            }
            return new Raw(documents.get(), batches.size(), bulkSeconds, refreshSeconds, failures.get(), firstFailure.get(), used);
        } finally {
            pool.shutdownNow();
            http.send("DELETE", es.resolve(scratch), null);
        }
    }

    /**
     * The index definition the reindex uses, with the bulk-load settings it creates new indices with
     * (no refresh, no replicas, async translog).
     */
    private static String definition() throws IOException {
        String location = SearchSettings.DEFAULT_DEFINITION.substring("classpath:".length());
        try (InputStream in = ReindexBench.class.getClassLoader().getResourceAsStream(location)) {
            if (in == null) {
                throw new IllegalStateException("no index definition " + location + " on the classpath");
            }
            ObjectNode def = (ObjectNode) Json.read(in.readAllBytes());
            ObjectNode settings = def.has("settings") ? (ObjectNode) def.get("settings") : def.putObject("settings");
            if (settings.get("index") instanceof ObjectNode nested) {
                nested.remove("refresh_interval");
                nested.remove("number_of_replicas");
                nested.remove("translog");
            }
            // As IndexDefinition.body(forBulkLoad = true) in search-indexer.
            settings.put("refresh_interval", "-1");
            settings.put("number_of_replicas", "0");
            settings.put("translog.durability", "async");
            return Json.MAPPER.writeValueAsString(def);
        }
    }

    private void write(List<Reindex> reindexes, List<Raw> raws, String loadBefore, String loadAfter) throws IOException {
        StringBuilder md = new StringBuilder("## Full reindex\n\n");
        md.append(Report.f("`search-indexer.jar reindex --fresh` (its own JVM, reading PostgreSQL, as in production) against the raw "
                + "`_bulk` rate of the same documents: exported from the new index, then bulk-indexed into a scratch index created "
                + "from the same definition with the reindex's bulk-load settings (no refresh, no replicas, async translog), %d documents per request, "
                + "%d requests in flight, as the reindex does (`NOMAD_SEARCH_REINDEX_BATCH_SIZE`, `NOMAD_SEARCH_REINDEX_CONCURRENCY`). "
                + "Only the raw bulk requests are timed; the reindex's own figure covers its whole run (scan, build, bulk, refresh, "
                + "outbox replay, alias swap). %d rounds, each a reindex then the raw bulk, so both see similar background load; "
                + "the target is checked on the medians. Load average %s before, %s after.\n\n", batchSize, concurrency, rounds,
                loadBefore, loadAfter));
        md.append("Indexer command (its launcher, `search-indexer/bin/search-indexer reindex --fresh`")
                .append(indexerJavaOptions == null ? "" : " with `NOMAD_INDEXER_JAVA_OPTS=\"" + indexerJavaOptions + "\"`")
                .append("): `").append(commandLine.replace(out.toString(), "<run>")).append("`.\n\n");
        md.append("| round | what | documents | seconds | docs/s |\n| --- | --- | --- | --- | --- |\n");
        for (int i = 0; i < reindexes.size(); i++) {
            Reindex r = reindexes.get(i);
            Raw w = raws.get(i);
            md.append(Report.f("| %d | full reindex (its own timing) | %d | %.1f | %.0f |\n", i + 1, r.units(), r.seconds(), r.rate()));
            md.append(Report.f("| %d | full reindex, process wall time (JVM start included) | %d | %.1f | %.0f |\n", i + 1, r.units(),
                    r.wallSeconds(), r.units() / r.wallSeconds()));
            md.append(Report.f("| %d | raw `_bulk`, bulk requests only | %d | %.1f | %.0f |\n", i + 1, w.documents(), w.bulkSeconds(), w.rate()));
            md.append(Report.f("| %d | raw `_bulk` + final refresh | %d | %.1f | %.0f |\n", i + 1, w.documents(),
                    w.bulkSeconds() + w.refreshSeconds(), w.documents() / (w.bulkSeconds() + w.refreshSeconds())));
        }
        md.append("\nCPU seconds during each (from /proc; `other` is the rest of the machine, e.g. other builds):\n\n");
        md.append("| round | what | indexer JVM | elasticsearch | postgres | load generator | other | busy cores |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (int i = 0; i < reindexes.size(); i++) {
            Reindex r = reindexes.get(i);
            Raw w = raws.get(i);
            Cpu.Sample c = r.cpu();
            md.append(Report.f("| %d | reindex | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f |\n", i + 1, r.indexerCpuMs() / 1000,
                    c.ms("elasticsearch") / 1000, c.ms("postgres") / 1000, c.ms("load generator") / 1000,
                    Math.max(0, c.otherMs() - r.indexerCpuMs()) / 1000, c.busyCores()));
            c = w.cpu();
            md.append(Report.f("| %d | raw bulk + refresh | - | %.1f | %.1f | %.1f | %.1f | %.2f |\n", i + 1, c.ms("elasticsearch") / 1000,
                    c.ms("postgres") / 1000, c.ms("load generator") / 1000, c.otherMs() / 1000, c.busyCores()));
            if (w.failures() > 0 || w.firstFailure() != null) {
                md.append(Report.f("\nRaw bulk round %d: %d failures, first: %s\n", i + 1, w.failures(), w.firstFailure()));
            }
        }
        Report.section(out, "reindex", md.toString());
        double reindexRate = median(reindexes.stream().mapToDouble(Reindex::rate).toArray());
        double rawRate = median(raws.stream().mapToDouble(Raw::rate).toArray());
        double ratio = reindexRate / rawRate;
        boolean clean = raws.stream().allMatch(w -> w.failures() == 0 && w.firstFailure() == null);
        Report.check(out, "reindex", "reindex rate / raw bulk rate",
                Report.f("%.2f (%.0f vs %.0f docs/s)", ratio, reindexRate, rawRate), ">= 0.50", ratio >= MIN_RATIO && clean);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String tail(String s) {
        return s.length() <= 2000 ? s : s.substring(s.length() - 2000);
    }
}
