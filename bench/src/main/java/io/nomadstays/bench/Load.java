package io.nomadstays.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop load: each client sends a request, waits for the whole answer, and sends the next.
 * Latency is measured from just before the request is handed to the HTTP client to the last byte
 * of the answer, in microseconds. Every loop is bounded (a request count, or a deadline and a
 * request cap).
 */
final class Load {

    /** Latencies up to a minute, 3 significant digits. */
    static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);

    /** One request; {@code index} picks the parameters. True when the answer was a success. */
    @FunctionalInterface
    interface Call {
        boolean call(int index) throws Exception;
    }

    record Result(int clients, long ok, long errors, long elapsedNanos, Histogram latency, String firstError) {

        double seconds() {
            return elapsedNanos / 1e9;
        }

        double throughput() {
            return ok / Math.max(1e-9, seconds());
        }

        double medianMs() {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(50) / 1000.0;
        }

        double p99Ms() {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(99) / 1000.0;
        }

        double maxMs() {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1000.0;
        }
    }

    private Load() {
    }

    /** Two parts of one measurement (slices of a run): counts and time add up, latencies merge. */
    static Result merge(Result a, Result b) {
        if (a == null) {
            return b;
        }
        Histogram h = histogram();
        h.add(a.latency());
        h.add(b.latency());
        return new Result(Math.max(a.clients(), b.clients()), a.ok() + b.ok(), a.errors() + b.errors(),
                a.elapsedNanos() + b.elapsedNanos(), h, a.firstError() != null ? a.firstError() : b.firstError());
    }

    static Histogram histogram() {
        return new Histogram(MAX_MICROS, 3);
    }

    /** One client, {@code count} requests with indexes {@code 0..count-1}. */
    static Result sequential(int count, Call call) {
        return sequential(0, count, call);
    }

    /** One client, {@code count} requests with indexes {@code first..first+count-1}. */
    static Result sequential(int first, int count, Call call) {
        Histogram h = histogram();
        long ok = 0;
        long errors = 0;
        String firstError = null;
        long start = System.nanoTime();
        for (int i = first; i < first + count; i++) {
            long t0 = System.nanoTime();
            boolean success;
            try {
                success = call.call(i);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                success = false;
                firstError = firstError == null ? e.toString() : firstError;
            }
            long micros = (System.nanoTime() - t0) / 1000;
            if (success) {
                ok++;
                h.recordValue(Math.min(micros, MAX_MICROS));
            } else {
                errors++;
                firstError = firstError == null ? "unsuccessful answer to request " + i : firstError;
            }
        }
        return new Result(1, ok, errors, System.nanoTime() - start, h, firstError);
    }

    /**
     * {@code clients} threads send requests until {@code duration} has passed (requests in flight
     * then complete and count) or {@code maxRequests} have been started. Indexes are handed out in
     * order from 0, so two runs of the same length send the same sequence.
     */
    static Result concurrent(int clients, Duration duration, long maxRequests, Call call) throws InterruptedException {
        return concurrent(clients, duration, maxRequests, call, 0);
    }

    /** As above, with request indexes starting at {@code firstIndex} (a run split into slices continues its sequence). */
    static Result concurrent(int clients, Duration duration, long maxRequests, Call call, int firstIndex) throws InterruptedException {
        AtomicInteger next = new AtomicInteger(firstIndex);
        long lastIndex = firstIndex + maxRequests;
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Histogram> histograms = new ArrayList<>();
        long[] ok = new long[clients];
        long[] errors = new long[clients];
        AtomicReference<String> firstError = new AtomicReference<>();
        long[] window = new long[2];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Histogram h = histogram();
            histograms.add(h);
            int client = c;
            Thread t = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long deadline = window[0] + duration.toNanos();
                while (System.nanoTime() < deadline) {
                    int i = next.getAndIncrement();
                    if (i >= lastIndex) {
                        break;
                    }
                    long t0 = System.nanoTime();
                    boolean success;
                    try {
                        success = call.call(i);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        success = false;
                        firstError.compareAndSet(null, e.toString());
                    }
                    long micros = (System.nanoTime() - t0) / 1000;
                    if (success) {
                        ok[client]++;
                        h.recordValue(Math.min(micros, MAX_MICROS));
                    } else {
                        errors[client]++;
                        firstError.compareAndSet(null, "unsuccessful answer to request " + i);
                    }
                }
            }, "load-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        ready.await();
        window[0] = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join(duration.toMillis() + 120_000);
        }
        long elapsed = System.nanoTime() - window[0];
        Histogram all = histogram();
        histograms.forEach(all::add);
        long okTotal = 0;
        long errorTotal = 0;
        for (int c = 0; c < clients; c++) {
            okTotal += ok[c];
            errorTotal += errors[c];
        }
        return new Result(clients, okTotal, errorTotal, elapsed, all, firstError.get());
    }
}
