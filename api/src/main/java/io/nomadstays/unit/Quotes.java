package io.nomadstays.unit;

import io.nomadstays.shared.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
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
 * Proration rounds half-up once per line. Hourly units (meeting rooms) are priced by {@link #hourly}.
 */
public final class Quotes {

    private static final BigDecimal THIRTY = BigDecimal.valueOf(30);
    private static final BigDecimal SEVEN = BigDecimal.valueOf(7);
    private static final BigDecimal SIXTY = BigDecimal.valueOf(60);
    private static final BigDecimal BASIS_POINTS = BigDecimal.valueOf(10_000);

    private Quotes() {
    }

    public static Optional<Quote> quote(UnitPricing pricing, LocalDate checkIn, LocalDate checkOut) {
        return quote(pricing, checkIn, checkOut, 1);
    }

    /**
     * The quote for {@code quantity} places (beds or desks sold per person; 1 for a room): rent and
     * discount are per place, the cleaning fee is charged once.
     */
    public static Optional<Quote> quote(UnitPricing pricing, LocalDate checkIn, LocalDate checkOut, int quantity) {
        int nights = nights(checkIn, checkOut);
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity must be at least 1");
        }
        String currency = pricing.currency();
        List<Quote.Line> lines = new ArrayList<>();
        Long rent = rent(pricing, checkIn, checkOut, nights >= 28, quantity, lines);
        if (rent == null) {
            return Optional.empty();
        }
        long total = rent - discount(pricing, nights, rent, lines);
        if (pricing.cleaning() > 0) {
            total += pricing.cleaning();
            lines.add(line(Quote.Kind.CLEANING_FEE, "Cleaning fee", pricing.cleaning(), currency));
        }
        return Optional.of(new Quote(checkIn, checkOut, nights, List.copyOf(lines), Money.of(total, currency),
                Money.of(pricing.depositAmount(), currency), null, null));
    }

    /**
     * What extending a stay from {@code oldCheckOut} to {@code newCheckOut} adds, with the booking's
     * own price list: a stay that is (with the extension) 28 nights or more keeps being priced by the
     * month, the long-stay discount follows the whole stay's length, and there is no second cleaning
     * fee or deposit.
     */
    public static Optional<Quote> extension(UnitPricing pricing, LocalDate checkIn, LocalDate oldCheckOut, LocalDate newCheckOut,
                                            int quantity) {
        int added = nights(oldCheckOut, newCheckOut);
        int whole = nights(checkIn, newCheckOut);
        String currency = pricing.currency();
        List<Quote.Line> lines = new ArrayList<>();
        Long rent = rent(pricing, oldCheckOut, newCheckOut, whole >= 28, quantity, lines);
        if (rent == null) {
            return Optional.empty();
        }
        long total = rent - discount(pricing, whole, rent, lines);
        return Optional.of(new Quote(oldCheckOut, newCheckOut, added, List.copyOf(lines), Money.of(total, currency),
                Money.of(0, currency), null, null));
    }

    /**
     * An hourly stay (meeting rooms), in 15-minute slots: each local day of the meeting costs its
     * hours at the hourly rate, capped by the day pass (the daily rate) when there is one; a unit
     * with only a daily rate sells day passes. The cleaning fee is added once.
     */
    public static Optional<Quote> hourly(UnitPricing pricing, Instant startsAt, Instant endsAt, ZoneId zone) {
        if (!endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("endsAt must be after startsAt");
        }
        if (pricing.hourly() == null && pricing.daily() == null) {
            return Optional.empty();
        }
        String currency = pricing.currency();
        List<Quote.Line> lines = new ArrayList<>();
        long total = 0;
        ZonedDateTime cursor = startsAt.atZone(zone);
        ZonedDateTime end = endsAt.atZone(zone);
        while (cursor.isBefore(end)) {
            ZonedDateTime nextDay = cursor.toLocalDate().plusDays(1).atStartOfDay(zone);
            ZonedDateTime until = nextDay.isBefore(end) ? nextDay : end;
            long minutes = Duration.between(cursor, until).toMinutes();
            Long byTheHour = pricing.hourly() == null ? null
                    : BigDecimal.valueOf(pricing.hourly()).multiply(BigDecimal.valueOf(minutes))
                    .divide(SIXTY, 0, RoundingMode.HALF_UP).longValueExact();
            String hours = BigDecimal.valueOf(minutes).divide(SIXTY, 2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
            if (byTheHour != null && (pricing.daily() == null || byTheHour <= pricing.daily())) {
                total += byTheHour;
                lines.add(line(Quote.Kind.RENT, hours + (hours.equals("1") ? " hour" : " hours") + " at the hourly rate ("
                        + cursor.toLocalDate() + ")", byTheHour, currency));
            } else {
                total += pricing.daily();
                lines.add(line(Quote.Kind.RENT, "Day pass (" + cursor.toLocalDate() + ")", pricing.daily(), currency));
            }
            cursor = until;
        }
        if (pricing.cleaning() > 0) {
            total += pricing.cleaning();
            lines.add(line(Quote.Kind.CLEANING_FEE, "Cleaning fee", pricing.cleaning(), currency));
        }
        LocalDate checkIn = startsAt.atZone(zone).toLocalDate();
        LocalDate checkOut = endsAt.minusNanos(1).atZone(zone).toLocalDate().plusDays(1);
        return Optional.of(new Quote(checkIn, checkOut, 0, List.copyOf(lines), Money.of(total, currency),
                Money.of(pricing.depositAmount(), currency), null, null, startsAt, endsAt));
    }

    private static int nights(LocalDate from, LocalDate to) {
        long nights = ChronoUnit.DAYS.between(from, to);
        if (nights <= 0) {
            throw new IllegalArgumentException("checkOut must be after checkIn");
        }
        return Math.toIntExact(nights);
    }

    /**
     * How many calendar months {@code to} is after {@code from}, when it is whole months after it,
     * else 0. A month after the 31st of January is the 28th of February (as {@code plusMonths} has
     * it), which {@code ChronoUnit.MONTHS.between} alone counts as 0 months.
     */
    public static long wholeMonths(LocalDate from, LocalDate to) {
        long months = monthsWithin(from, to);
        return months > 0 && from.plusMonths(months).equals(to) ? months : 0;
    }

    /** The most calendar months from {@code from} that end on or before {@code to} (31 January + 1 month = 28 February). */
    private static long monthsWithin(LocalDate from, LocalDate to) {
        long months = Math.max(0, ChronoUnit.MONTHS.between(from, to));
        return from.plusMonths(months + 1).isAfter(to) ? months : months + 1;
    }

    /** Rent lines for [from, to) added to {@code lines}; null when the price list has no rate for it. */
    private static Long rent(UnitPricing pricing, LocalDate from, LocalDate to, boolean monthlyStay, int quantity, List<Quote.Line> lines) {
        int nights = nights(from, to);
        String currency = pricing.currency();
        String each = quantity == 1 ? "" : " x " + quantity;
        long rent;
        if (monthlyStay && pricing.monthly() != null) {
            long months = monthsWithin(from, to);
            LocalDate afterMonths = from.plusMonths(months);
            int rest = (int) ChronoUnit.DAYS.between(afterMonths, to);
            long monthly = pricing.monthly();
            rent = 0;
            if (months > 0) {
                rent = months * monthly * quantity;
                lines.add(line(Quote.Kind.RENT, months + (months == 1 ? " month" : " months") + " at the monthly rate" + each, rent, currency));
            }
            if (rest > 0) {
                long extra = prorate(monthly, rest, THIRTY) * quantity;
                rent += extra;
                lines.add(line(Quote.Kind.RENT, rest + nightsWord(rest) + " at the monthly rate / 30" + each, extra, currency));
            }
        } else if (nights >= 7 && pricing.weekly() != null) {
            int weeks = nights / 7;
            int rest = nights % 7;
            rent = weeks * pricing.weekly() * quantity;
            lines.add(line(Quote.Kind.RENT, weeks + (weeks == 1 ? " week" : " weeks") + " at the weekly rate" + each, rent, currency));
            if (rest > 0) {
                long extra = (pricing.nightly() != null ? rest * pricing.nightly() : prorate(pricing.weekly(), rest, SEVEN)) * quantity;
                rent += extra;
                lines.add(line(Quote.Kind.RENT, rest + nightsWord(rest) + (pricing.nightly() != null ? " at the nightly rate" : " at the weekly rate / 7")
                        + each, extra, currency));
            }
        } else if (pricing.nightly() != null) {
            rent = nights * pricing.nightly() * quantity;
            lines.add(line(Quote.Kind.RENT, nights + nightsWord(nights) + " at the nightly rate" + each, rent, currency));
        } else if (pricing.daily() != null) {
            rent = nights * pricing.daily() * quantity;
            lines.add(line(Quote.Kind.RENT, nights + (nights == 1 ? " day" : " days") + " at the daily rate" + each, rent, currency));
        } else if (pricing.monthly() != null) {
            rent = prorate(pricing.monthly(), nights, THIRTY) * quantity;
            lines.add(line(Quote.Kind.RENT, nights + nightsWord(nights) + " at the monthly rate / 30" + each, rent, currency));
        } else {
            return null;
        }
        return rent;
    }

    /** The best long-stay discount a stay of {@code nights} reaches, as a line; returns the amount off. */
    private static long discount(UnitPricing pricing, int nights, long rent, List<Quote.Line> lines) {
        var discount = pricing.longStayDiscounts().stream()
                .filter(d -> d.minNights() <= nights)
                .max(Comparator.comparingInt(UnitPricing.LongStayDiscount::percentBps));
        if (discount.isEmpty()) {
            return 0;
        }
        long off = BigDecimal.valueOf(rent).multiply(BigDecimal.valueOf(discount.get().percentBps()))
                .divide(BASIS_POINTS, 0, RoundingMode.HALF_UP).longValueExact();
        lines.add(line(Quote.Kind.DISCOUNT, percent(discount.get().percentBps()) + " off stays of " + discount.get().minNights()
                + " nights or more", -off, pricing.currency()));
        return off;
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
