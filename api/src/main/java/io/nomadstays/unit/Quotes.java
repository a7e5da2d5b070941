package io.nomadstays.unit;

import io.nomadstays.shared.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The one pricing function: search shows what a booking will charge because both call this.
 *
 * <p>Rules, in the unit's currency and minor units, on local dates of the property (so DST and
 * time zones cannot change a price):
 * <ol>
 *   <li>28 nights or more with a monthly rate: whole calendar months from check-in at the monthly
 *       rate (1 Jan to 1 Feb is one month, as is 31 Jan to 28 Feb), the remaining nights at the
 *       monthly rate / 30 each.</li>
 *   <li>Otherwise 7 nights or more with a weekly rate: whole weeks at the weekly rate, the
 *       remaining nights at the nightly rate (or weekly / 7 when there is none).</li>
 *   <li>Otherwise each night at the nightly rate, else the daily rate, else monthly / 30.</li>
 *   <li>The best long-stay discount whose minimum the stay reaches comes off the rent.</li>
 *   <li>The cleaning fee is added once; the deposit is shown apart from the total.</li>
 * </ol>
 * Proration rounds half-up once per line. Hourly-only units have no quote for dates.
 */
public final class Quotes {

    private static final BigDecimal THIRTY = BigDecimal.valueOf(30);
    private static final BigDecimal SEVEN = BigDecimal.valueOf(7);
    private static final BigDecimal BASIS_POINTS = BigDecimal.valueOf(10_000);

    private Quotes() {
    }

    public static Optional<Quote> quote(UnitPricing pricing, LocalDate checkIn, LocalDate checkOut) {
        int nights = (int) ChronoUnit.DAYS.between(checkIn, checkOut);
        if (nights <= 0) {
            throw new IllegalArgumentException("checkOut must be after checkIn");
        }
        String currency = pricing.currency();
        List<Quote.Line> lines = new ArrayList<>();
        long rent;
        if (nights >= 28 && pricing.monthly() != null) {
            long months = ChronoUnit.MONTHS.between(checkIn, checkOut);
            LocalDate afterMonths = checkIn.plusMonths(months);
            int rest = (int) ChronoUnit.DAYS.between(afterMonths, checkOut);
            long monthly = pricing.monthly();
            rent = months * monthly;
            lines.add(line(Quote.Kind.RENT, months + (months == 1 ? " month" : " months") + " at the monthly rate", months * monthly, currency));
            if (rest > 0) {
                long extra = prorate(monthly, rest, THIRTY);
                rent += extra;
                lines.add(line(Quote.Kind.RENT, rest + nightsWord(rest) + " at the monthly rate / 30", extra, currency));
            }
        } else if (nights >= 7 && pricing.weekly() != null) {
            int weeks = nights / 7;
            int rest = nights % 7;
            rent = weeks * pricing.weekly();
            lines.add(line(Quote.Kind.RENT, weeks + (weeks == 1 ? " week" : " weeks") + " at the weekly rate", rent, currency));
            if (rest > 0) {
                long extra = pricing.nightly() != null ? rest * pricing.nightly() : prorate(pricing.weekly(), rest, SEVEN);
                rent += extra;
                lines.add(line(Quote.Kind.RENT, rest + nightsWord(rest) + (pricing.nightly() != null ? " at the nightly rate" : " at the weekly rate / 7"),
                        extra, currency));
            }
        } else if (pricing.nightly() != null) {
            rent = nights * pricing.nightly();
            lines.add(line(Quote.Kind.RENT, nights + nightsWord(nights) + " at the nightly rate", rent, currency));
        } else if (pricing.daily() != null) {
            rent = nights * pricing.daily();
            lines.add(line(Quote.Kind.RENT, nights + (nights == 1 ? " day" : " days") + " at the daily rate", rent, currency));
        } else if (pricing.monthly() != null) {
            rent = prorate(pricing.monthly(), nights, THIRTY);
            lines.add(line(Quote.Kind.RENT, nights + nightsWord(nights) + " at the monthly rate / 30", rent, currency));
        } else {
            return Optional.empty();
        }
        long total = rent;
        var discount = pricing.longStayDiscounts().stream()
                .filter(d -> d.minNights() <= nights)
                .max(Comparator.comparingInt(UnitPricing.LongStayDiscount::percentBps));
        if (discount.isPresent()) {
            long off = BigDecimal.valueOf(rent).multiply(BigDecimal.valueOf(discount.get().percentBps()))
                    .divide(BASIS_POINTS, 0, RoundingMode.HALF_UP).longValueExact();
            total -= off;
            lines.add(line(Quote.Kind.DISCOUNT, percent(discount.get().percentBps()) + " off stays of " + discount.get().minNights()
                    + " nights or more", -off, currency));
        }
        if (pricing.cleaning() > 0) {
            total += pricing.cleaning();
            lines.add(line(Quote.Kind.CLEANING_FEE, "Cleaning fee", pricing.cleaning(), currency));
        }
        return Optional.of(new Quote(checkIn, checkOut, nights, List.copyOf(lines), Money.of(total, currency),
                Money.of(pricing.depositAmount(), currency), null, null));
    }

    private static long prorate(long rate, int units, BigDecimal per) {
        return BigDecimal.valueOf(rate).multiply(BigDecimal.valueOf(units)).divide(per, 0, RoundingMode.HALF_UP).longValueExact();
    }

    private static Quote.Line line(Quote.Kind kind, String description, long amount, String currency) {
        return new Quote.Line(kind, description, Money.of(amount, currency));
    }

    private static String nightsWord(int n) {
        return n == 1 ? " night" : " nights";
    }

    private static String percent(int bps) {
        return BigDecimal.valueOf(bps, 2).stripTrailingZeros().toPlainString() + "%";
    }
}
