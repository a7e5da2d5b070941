package io.nomadstays.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.shared.Money;
import io.nomadstays.unit.Quote;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class RentScheduleTests {

    static Quote quote(LocalDate in, LocalDate out, long rent, long cleaning) {
        List<Quote.Line> lines = cleaning == 0 ? List.of(new Quote.Line(Quote.Kind.RENT, "rent", Money.of(rent, "EUR")))
                : List.of(new Quote.Line(Quote.Kind.RENT, "rent", Money.of(rent, "EUR")),
                new Quote.Line(Quote.Kind.CLEANING_FEE, "cleaning", Money.of(cleaning, "EUR")));
        return new Quote(in, out, (int) java.time.temporal.ChronoUnit.DAYS.between(in, out), lines, Money.of(rent + cleaning, "EUR"),
                Money.of(0, "EUR"), null, null);
    }

    @Test
    void aStayOfAtMostAMonthIsPaidAtOnce() {
        LocalDate in = LocalDate.of(2027, 1, 31);
        var parts = RentSchedule.split(100_000, quote(in, in.plusMonths(1), 95_000, 5_000), in, in.plusMonths(1), false);
        assertThat(parts).containsExactly(new RentSchedule.Instalment(1, in, in.plusMonths(1), 100_000));
    }

    @Test
    void wholeMonthsPayTheSameRentWhateverTheirNightsAndFeesComeFirst() {
        LocalDate in = LocalDate.of(2027, 1, 1);
        LocalDate out = LocalDate.of(2027, 4, 1); // January (31), February (28), March (31)
        var parts = RentSchedule.split(305_000, quote(in, out, 300_000, 5_000), in, out, false);
        assertThat(parts).extracting(RentSchedule.Instalment::amount).containsExactly(105_000L, 100_000L, 100_000L);
        assertThat(parts).extracting(RentSchedule.Instalment::from)
                .containsExactly(in, LocalDate.of(2027, 2, 1), LocalDate.of(2027, 3, 1));
    }

    @Test
    void anchorsOnTheMoveInDayAndAShortLastMonthPaysItsFractionWithTheRemainder() {
        LocalDate in = LocalDate.of(2027, 1, 31);
        LocalDate out = LocalDate.of(2027, 3, 15); // [01-31, 02-28) then [02-28, 03-15): 15 of 31 nights
        var parts = RentSchedule.split(100_001, quote(in, out, 100_001, 0), in, out, false);
        assertThat(parts).extracting(RentSchedule.Instalment::to).containsExactly(LocalDate.of(2027, 2, 28), out);
        long first = parts.get(0).amount();
        assertThat(first).isEqualTo(Math.floorDiv(100_001L * 31, 46)); // weights 1 and 15/31 -> 31/46 of the rent
        assertThat(parts.stream().mapToLong(RentSchedule.Instalment::amount).sum()).isEqualTo(100_001);
    }

    @Test
    void commissionRoundsHalfUpToAMinorUnit() {
        assertThat(RentSchedule.commission(7_500, 1_000)).isEqualTo(750);
        assertThat(RentSchedule.commission(12_345, 1_000)).isEqualTo(1_235);
        assertThat(RentSchedule.commission(12_344, 1_000)).isEqualTo(1_234);
        assertThat(RentSchedule.commission(12_345, 0)).isZero();
    }
}
