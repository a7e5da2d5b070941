package io.nomadstays.index;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Timestamps as the documents hold them: exactly {@link Instant#toString} (UTC, the fraction in
 * groups of three digits), written without a {@code DateTimeFormatter}. A document has eight;
 * through the formatter they were a tenth of a reindex's CPU, counting its JIT compilation.
 */
final class Instants {

    private static final long FIRST = LocalDate.of(1, 1, 1).toEpochDay() * 86_400;
    private static final long AFTER_LAST = LocalDate.of(10_000, 1, 1).toEpochDay() * 86_400;

    private Instants() {
    }

    /** Microseconds since the epoch, as {@link StayDocuments}' SQL reads timestamps (PostgreSQL keeps microseconds). */
    static Instant ofMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
    }

    /** {@link Instant#toString}; years outside 1-9999 go through it. */
    static String iso(Instant instant) {
        if (instant == null) {
            return null;
        }
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST || seconds >= AFTER_LAST) {
            return instant.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int time = (int) Math.floorMod(seconds, 86_400);
        byte[] out = new byte[30];
        int n = digits(out, 0, date.getYear(), 4);
        out[n++] = '-';
        n = digits(out, n, date.getMonthValue(), 2);
        out[n++] = '-';
        n = digits(out, n, date.getDayOfMonth(), 2);
        out[n++] = 'T';
        n = digits(out, n, time / 3_600, 2);
        out[n++] = ':';
        n = digits(out, n, time / 60 % 60, 2);
        out[n++] = ':';
        n = digits(out, n, time % 60, 2);
        int nanos = instant.getNano();
        if (nanos != 0) {
            out[n++] = '.';
            if (nanos % 1_000_000 == 0) {
                n = digits(out, n, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                n = digits(out, n, nanos / 1_000, 6);
            } else {
                n = digits(out, n, nanos, 9);
            }
        }
        out[n++] = 'Z';
        return new String(out, 0, 0, n);
    }

    /** Writes {@code value} as exactly {@code width} decimal digits at {@code at}; returns the next position. */
    private static int digits(byte[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }
}
