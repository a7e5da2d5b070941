package io.nomadstays.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time per process from {@code /proc} (Linux), to show where the CPU of a phase went: the API,
 * Elasticsearch, PostgreSQL, this load generator, and everything else on the machine (other
 * engineers' builds). Zero everywhere on systems without {@code /proc}.
 */
final class Cpu {

    static final double TICK_MS = 1000.0 / clockTicks();

    /** CPU milliseconds per named process group, plus the machine's busy and total time. */
    record Sample(long nanos, Map<String, Double> processMs, double busyMs, double totalMs) {

        Sample minus(Sample before) {
            Map<String, Double> diff = new LinkedHashMap<>();
            // Never negative: a process that ended between the samples takes its time with it until its parent reaps it.
            processMs.forEach((k, v) -> diff.put(k, Math.max(0, v - before.processMs.getOrDefault(k, 0.0))));
            return new Sample(nanos - before.nanos, diff, busyMs - before.busyMs, totalMs - before.totalMs);
        }

        /** Two intervals added up (slices of one measurement). */
        Sample plus(Sample other) {
            if (other == null) {
                return this;
            }
            Map<String, Double> sum = new LinkedHashMap<>(processMs);
            other.processMs.forEach((k, v) -> sum.merge(k, v, Double::sum));
            return new Sample(nanos + other.nanos, sum, busyMs + other.busyMs, totalMs + other.totalMs);
        }

        double ms(String name) {
            return processMs.getOrDefault(name, 0.0);
        }

        /** Busy time not accounted to any named group (entries with a {@code ':'} are parts of another entry). */
        double otherMs() {
            double named = processMs.entrySet().stream().filter(e -> !e.getKey().contains(":"))
                    .mapToDouble(Map.Entry::getValue).sum();
            return Math.max(0, busyMs - named);
        }

        /** Cores' worth of busy time over the interval (2.0 = both cores of this machine busy). */
        double busyCores() {
            return nanos <= 0 ? 0 : busyMs / (nanos / 1e6);
        }
    }

    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final boolean postgres;
    private final java.util.Set<String> jvmDetail = new java.util.HashSet<>();

    /** Also splits out the JIT compiler threads ({@code name:jit}) and the GC / VM thread ({@code name:gc}) of this JVM. */
    Cpu detailJvm(String name) {
        jvmDetail.add(name);
        return this;
    }

    /** Ticks of a HotSpot JVM's compiler threads and of its GC and VM threads (SerialGC collects in the VM thread). */
    private static long[] jitAndGc(long pid) {
        long jit = 0;
        long gc = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                        jit += ticks(task.resolve("stat"));
                    } else if (comm.equals("VM Thread") || comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
                        gc += ticks(task.resolve("stat"));
                    }
                } catch (IOException | RuntimeException e) {
                    // The thread ended while we looked.
                }
            }
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
        return new long[] {jit, gc};
    }

    /**
     * @param pids     named processes to sample (a pid of -1 or 0 is skipped)
     * @param postgres also sum every process called {@code postgres}
     */
    Cpu(Map<String, Long> pids, boolean postgres) {
        pids.forEach((k, v) -> {
            if (v != null && v > 0) {
                this.pids.put(k, v);
            }
        });
        this.postgres = postgres;
    }

    Sample sample() {
        Map<String, Double> ms = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            ms.put(name, ticks(Path.of("/proc", String.valueOf(pid), "stat")) * TICK_MS);
            if (jvmDetail.contains(name)) {
                long[] jitGc = jitAndGc(pid);
                ms.put(name + ":jit", jitGc[0] * TICK_MS);
                ms.put(name + ":gc", jitGc[1] * TICK_MS);
            }
        });
        if (postgres) {
            ms.put("postgres", postgresTicks() * TICK_MS);
        }
        double[] machine = machine();
        return new Sample(System.nanoTime(), ms, machine[0] * TICK_MS, machine[1] * TICK_MS);
    }

    /** utime + stime of one process, in clock ticks; 0 when it is gone. */
    static long ticks(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long postgresTicks() {
        long total = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path p : dir) {
                try {
                    String s = Files.readString(p.resolve("stat"));
                    int open = s.indexOf('(');
                    int close = s.lastIndexOf(')');
                    if (open > 0 && close > open && s.substring(open + 1, close).equals("postgres")) {
                        // Own time, plus the time of ended children it has reaped (the postmaster's
                        // backends): a connection closed during the interval still counts.
                        String[] f = s.substring(close + 2).split(" ");
                        total += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
                    }
                } catch (IOException | RuntimeException e) {
                    // The process ended while we looked.
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return total;
    }

    /** {busy, total} clock ticks of all CPUs from the first line of /proc/stat. */
    private static double[] machine() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new double[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new double[] {0, 0};
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException | InterruptedException e) {
            return 100;
        }
    }

    /** The 1, 5 and 15 minute load averages, as in /proc/loadavg. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
