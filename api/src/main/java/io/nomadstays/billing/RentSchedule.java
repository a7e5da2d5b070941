package io.nomadstays.billing;

import io.nomadstays.unit.Quote;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * How a booking's total is paid: stays of at most a month (and hourly bookings) in one payment at
 * booking; longer stays by the month, anchored to the move-in day: month {@code i} covers
 * [checkIn + i months, checkIn + i+1 months), the last one ends at check-out. Every whole month
 * pays the same rent (a 31-night January costs what a 28-night February does, as monthly rent
 * does); a last, shorter period pays its fraction of a month (its nights over the nights of that
 * month). The last part takes the rounding remainder, so the parts add up to the total exactly.
 * One-off fees (cleaning) are part of the first payment.
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
        List<LocalDate[]> periods = new ArrayList<>();
        List<BigDecimal> weights = new ArrayList<>();
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; ; i++) {
            LocalDate from = checkIn.plusMonths(i);
            LocalDate monthEnd = checkIn.plusMonths(i + 1L);
            LocalDate to = monthEnd.isBefore(checkOut) ? monthEnd : checkOut;
            BigDecimal weight = BigDecimal.valueOf(ChronoUnit.DAYS.between(from, to))
                    .divide(BigDecimal.valueOf(ChronoUnit.DAYS.between(from, monthEnd)), 12, RoundingMode.HALF_EVEN);
            periods.add(new LocalDate[] {from, to});
            weights.add(weight);
            sum = sum.add(weight);
            if (!to.isBefore(checkOut)) {
                break;
            }
        }
        List<Instalment> parts = new ArrayList<>();
        long assigned = 0;
        for (int i = 0; i < periods.size(); i++) {
            boolean last = i == periods.size() - 1;
            long amount = last ? rent - assigned
                    : BigDecimal.valueOf(rent).multiply(weights.get(i)).divide(sum, 0, RoundingMode.FLOOR).longValueExact();
            assigned += amount;
            parts.add(new Instalment(i + 1, periods.get(i)[0], periods.get(i)[1], amount + (i == 0 ? fees : 0)));
        }
        return List.copyOf(parts);
    }

    /** The platform's commission on {@code amount}, rounded half up to a minor unit. */
    public static long commission(long amount, int bps) {
        return Math.floorDiv(amount * bps + 5_000, 10_000);
    }
}
