package io.nomadstays.billing;

import io.nomadstays.unit.Quote;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * How a booking's total is paid: stays of at most a month (and hourly bookings) in one payment at
 * booking; longer stays by the month, anchored to the move-in day: month {@code i} covers
 * [checkIn + i months, checkIn + i+1 months), the last one ends at check-out. Rent is split in
 * proportion to the nights of each period (the last takes the rounding remainder, so the parts add
 * up to the total exactly); one-off fees (cleaning) are part of the first payment.
 */
public final class RentSchedule {

    /** One payment: {@code sequence} 1 is paid at booking, the others on their {@code from} date. */
    public record Instalment(int sequence, LocalDate from, LocalDate to, long amount) {
    }

    private RentSchedule() {
    }

    public static List<Instalment> split(long total, Quote quote, LocalDate checkIn, LocalDate checkOut, boolean hourly) {
        if (hourly || !checkOut.isAfter(checkIn.plusMonths(1))) {
            return List.of(new Instalment(1, checkIn, checkOut, total));
        }
        long fees = quote.lines().stream().filter(l -> l.kind() == Quote.Kind.CLEANING_FEE).mapToLong(l -> l.amount().amount()).sum();
        long rent = total - fees;
        long nights = ChronoUnit.DAYS.between(checkIn, checkOut);
        List<Instalment> parts = new ArrayList<>();
        long assigned = 0;
        for (int i = 0; ; i++) {
            LocalDate from = checkIn.plusMonths(i);
            LocalDate to = checkIn.plusMonths(i + 1L);
            boolean last = !to.isBefore(checkOut);
            if (last) {
                to = checkOut;
            }
            long amount = last ? rent - assigned : Math.floorDiv(rent * ChronoUnit.DAYS.between(from, to), nights);
            assigned += amount;
            parts.add(new Instalment(i + 1, from, to, amount + (i == 0 ? fees : 0)));
            if (last) {
                return List.copyOf(parts);
            }
        }
    }

    /** The platform's commission on {@code amount}, rounded half up to a minor unit. */
    public static long commission(long amount, int bps) {
        return Math.floorDiv(amount * bps + 5_000, 10_000);
    }
}
