package io.nomadstays.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Results on disk, in the run's work folder: each benchmark writes a markdown section
 * ({@code <part>.md}) and its target checks ({@code summary.tsv}); {@code report} puts them together
 * with the run's facts ({@code meta.tsv}) into {@code bench/results/<timestamp>.md}.
 */
final class Report {

    static final List<String> PARTS = List.of("reindex", "search", "freshness", "bookings");

    record Check(String part, String what, String measured, String target, String status) {
    }

    private Report() {
    }

    static void section(Path out, String part, String markdown) throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve(part + ".md"), markdown, StandardCharsets.UTF_8);
    }

    static void check(Path out, String part, String what, String measured, String target, boolean pass) throws IOException {
        check(out, part, what, measured, target, pass ? "PASS" : "FAIL");
    }

    static void check(Path out, String part, String what, String measured, String target, String status) throws IOException {
        Files.createDirectories(out);
        String line = String.join("\t", part, what, measured, target, status) + "\n";
        Files.writeString(out.resolve("summary.tsv"), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static void histogram(Path out, String name, Histogram h) throws IOException {
        Files.createDirectories(out.resolve("histograms"));
        try (PrintStream ps = new PrintStream(Files.newOutputStream(out.resolve("histograms").resolve(name + ".hgrm")), true,
                StandardCharsets.UTF_8)) {
            // Values are recorded in microseconds; 1000.0 prints milliseconds.
            h.outputPercentileDistribution(ps, 1000.0);
        }
    }

    static String f(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "n/a" : v >= 100 ? f("%.0f ms", v) : v >= 10 ? f("%.1f ms", v) : f("%.2f ms", v);
    }

    /** The whole report: run facts, one summary table of every target, then each benchmark's section. */
    static String compose(Path out, String title) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        Path meta = out.resolve("meta.tsv");
        if (Files.isRegularFile(meta)) {
            md.append("| | |\n| --- | --- |\n");
            for (String line : Files.readAllLines(meta, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    md.append("| ").append(line, 0, tab).append(" | ").append(line.substring(tab + 1).replace("|", "\\|")).append(" |\n");
                }
            }
            md.append("\n");
        }
        List<Check> checks = new ArrayList<>();
        Path summary = out.resolve("summary.tsv");
        if (Files.isRegularFile(summary)) {
            for (String line : Files.readAllLines(summary, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", -1);
                if (f.length == 5) {
                    checks.add(new Check(f[0], f[1], f[2], f[3], f[4]));
                }
            }
        }
        md.append("## Targets\n\n");
        if (checks.isEmpty()) {
            md.append("No benchmark produced results (see the log of the run).\n\n");
        } else {
            long failed = checks.stream().filter(c -> c.status().equals("FAIL")).count();
            md.append("| benchmark | what | measured | target | result |\n| --- | --- | --- | --- | --- |\n");
            for (Check c : checks) {
                md.append("| ").append(c.part()).append(" | ").append(c.what()).append(" | ").append(c.measured())
                        .append(" | ").append(c.target()).append(" | **").append(c.status()).append("** |\n");
            }
            md.append("\n").append(failed == 0 ? "All targets met." : failed + " of " + checks.size() + " checks failed.")
                    .append("\n\n");
        }
        for (String part : PARTS) {
            Path section = out.resolve(part + ".md");
            if (Files.isRegularFile(section)) {
                md.append(Files.readString(section, StandardCharsets.UTF_8)).append("\n");
            }
        }
        return md.toString();
    }

    static void writeMeta(Path out, Map<String, String> facts) throws IOException {
        Files.createDirectories(out);
        StringBuilder sb = new StringBuilder();
        facts.forEach((k, v) -> sb.append(k).append('\t').append(v.replace('\n', ' ').replace('\t', ' ')).append('\n'));
        Files.writeString(out.resolve("meta.tsv"), sb.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
