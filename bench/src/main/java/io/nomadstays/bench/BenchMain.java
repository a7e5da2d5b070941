package io.nomadstays.bench;

import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark client, run as its own JVM by bench/run.sh (docs/benchmarks.md). Commands:
 * <pre>
 *   search    --api URL [--api-pid PID] [--out DIR] [--quick] [--clients 32] [--duration S] [--warmup S] [--single-requests N] [--queries a,b,c]
 *   reindex   [--indexer-jar JAR] [--out DIR] [--rounds N]
 *   freshness --api URL [--api-pid PID] [--indexer auto|api|standalone] [--indexer-jar JAR] [--changes N] [--workers N] [--poll-ms MS]
 *   report    --out DIR --file FILE [--title TEXT]
 *   meta      --out DIR KEY=VALUE...           facts for the report header
 *   fail      --out DIR --part P --message M [--log FILE]   a part that did not complete
 *   free-port                                  a free TCP port on 127.0.0.1
 *   wait-http URL [--timeout S]                until URL answers 200
 *   units | rates | outbox-backlog | docs [--alias stays]   counts used by run.sh
 *   wait-outbox [--timeout S]                  until no outbox event is left unprocessed
 * </pre>
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] argv) {
        if (argv.length == 0 || argv[0].equals("-h") || argv[0].equals("--help")) {
            System.out.println("commands: search, reindex, freshness, report, meta, free-port, wait-http, units, rates, outbox-backlog, "
                    + "docs, wait-outbox (see docs/benchmarks.md)");
            return;
        }
        List<String> words = new ArrayList<>(List.of(argv));
        String command = words.remove(0);
        Args args = new Args(words);
        try {
            switch (command) {
                case "search" -> new SearchBench(args).run();
                case "reindex" -> new ReindexBench(args).run();
                case "freshness" -> new FreshnessBench(args).run();
                case "bookings" -> new BookingBench(args).run();
                case "report" -> report(args);
                case "meta" -> meta(args);
                case "fail" -> fail(args);
                case "free-port" -> System.out.println(freePort());
                case "wait-http" -> waitHttp(args);
                case "units" -> System.out.println(single(args, "SELECT count(*) FROM unit WHERE status = 'PUBLISHED'"));
                case "rates" -> System.out.println(single(args, "SELECT count(*) FROM exchange_rate"));
                case "outbox-backlog" -> System.out.println(single(args, "SELECT count(*) FROM outbox_event WHERE processed_at IS NULL"));
                case "docs" -> System.out.println(docs(args));
                case "wait-outbox" -> waitOutbox(args);
                default -> throw new IllegalArgumentException("unknown command " + command);
            }
            System.exit(0);
        } catch (IllegalArgumentException e) {
            System.err.println("bench " + command + ": " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("bench " + command + " failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void report(Args args) throws Exception {
        Path out = args.path("out", "bench/target/run");
        Path file = Path.of(args.required("file"));
        String title = args.string("title", "Nomad Stays benchmarks");
        args.checkAllRead();
        String md = Report.compose(out, title);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, md, StandardCharsets.UTF_8);
        System.out.print(md);
    }

    private static void meta(Args args) throws Exception {
        Path out = args.path("out", "bench/target/run");
        args.checkAllRead();
        java.util.Map<String, String> facts = new java.util.LinkedHashMap<>();
        for (String kv : args.positional()) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                facts.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        Report.writeMeta(out, facts);
    }

    /** Records that a benchmark could not run, so the report says so instead of leaving the part out. */
    private static void fail(Args args) throws Exception {
        Path out = args.path("out", "bench/target/run");
        String part = args.required("part");
        String message = args.required("message");
        Path log = args.path("log", "");
        args.checkAllRead();
        StringBuilder md = new StringBuilder("## ").append(part.substring(0, 1).toUpperCase(java.util.Locale.ROOT))
                .append(part.substring(1)).append("\n\n**The benchmark did not complete:** ").append(message).append("\n");
        if (!log.toString().isEmpty() && Files.isRegularFile(log)) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            md.append("\nLast lines of `").append(log.getFileName()).append("`:\n\n```\n")
                    .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()))).append("\n```\n");
        }
        Report.section(out, part, md.toString());
        Report.check(out, part, "benchmark ran", "failed", "completes", false);
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void waitHttp(Args args) throws Exception {
        URI uri = Http.loopback(args.positional().get(0));
        Duration timeout = args.seconds("timeout", Duration.ofSeconds(180));
        args.checkAllRead();
        Http http = new Http(Duration.ofSeconds(5));
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                Http.Response r = http.get(uri);
                if (r.status() == 200) {
                    return;
                }
                last = "HTTP " + r.status();
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(uri + " did not answer 200 within " + timeout.toSeconds() + " s (last: " + last + ")");
    }

    /**
     * One count. A database no application has started against yet has no tables (Flyway creates
     * them when the API or the generator first starts): that counts as nothing there yet.
     */
    private static long single(Args args, String sql) throws Exception {
        args.checkAllRead();
        try (Connection c = Env.load().connect(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) { // undefined_table
                System.err.println("bench: no schema yet (" + e.getMessage().lines().findFirst().orElse("") + "): counting 0");
                return 0;
            }
            throw e;
        }
    }

    private static long docs(Args args) throws Exception {
        String alias = args.string("alias", "stays");
        args.checkAllRead();
        Env env = Env.load();
        Http.Response r = new Http(Duration.ofSeconds(30)).get(env.es().resolve(alias + "/_count"));
        return r.status() == 200 ? Json.read(r.body()).path("count").asLong() : -1;
    }

    private static void waitOutbox(Args args) throws Exception {
        Duration timeout = args.seconds("timeout", Duration.ofSeconds(900));
        args.checkAllRead();
        Env env = Env.load();
        long deadline = System.nanoTime() + timeout.toNanos();
        long start = System.nanoTime();
        long last = -1;
        long lastReport = 0;
        while (true) {
            try (Connection c = env.connect();
                 PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM outbox_event WHERE processed_at IS NULL");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                last = rs.getLong(1);
            }
            if (last == 0) {
                System.out.printf("[bench] outbox drained after %.0f s%n", (System.nanoTime() - start) / 1e9);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(last + " outbox events still unprocessed after " + timeout.toSeconds() + " s");
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                System.out.printf("[bench] outbox backlog: %d events%n", last);
                lastReport = System.nanoTime();
            }
            Thread.sleep(1000);
        }
    }
}
