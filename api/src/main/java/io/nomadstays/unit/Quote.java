package io.nomadstays.unit;

import io.nomadstays.shared.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The price of a stay in the unit's currency: rent lines, an optional long-stay discount and the
 * cleaning fee add up to {@code total}; the deposit is held separately. {@code displayTotal} is the
 * total converted for display with the rate of {@code rateDate}; nothing is ever charged in it.
 * Hourly stays (meeting rooms) also carry their instants; their {@code nights} is 0.
 */
public record Quote(LocalDate checkIn, LocalDate checkOut, int nights, List<Line> lines, Money total, Money deposit,
                    Money displayTotal, LocalDate rateDate, Instant startsAt, Instant endsAt) {

    public enum Kind { RENT, DISCOUNT, CLEANING_FEE }

    public record Line(Kind kind, String description, Money amount) {
    }

    public Quote(LocalDate checkIn, LocalDate checkOut, int nights, List<Line> lines, Money total, Money deposit,
                 Money displayTotal, LocalDate rateDate) {
        this(checkIn, checkOut, nights, lines, total, deposit, displayTotal, rateDate, null, null);
    }

    public Quote withDisplay(Money converted, LocalDate asOf) {
        return new Quote(checkIn, checkOut, nights, lines, total, deposit, converted, asOf, startsAt, endsAt);
    }
}
