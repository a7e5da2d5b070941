package io.nomadstays.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The pricing table: one function prices search results and bookings, so every rule is pinned here. */
class QuotesTests {

    // USD cents: 40/night, 245/week, 1,200/month, cleaning 30, deposit 500, 10% off from 90 nights.
    private static final UnitPricing ROOM = new UnitPricing(null, "USD", null, 4_000L, null, 24_500L, 120_000L, 3_000, 50_000,
            List.of(new UnitPricing.LongStayDiscount(90, 1000)), Instant.EPOCH);

    @ParameterizedTest(name = "{0} to {1}: {3}")
    @CsvSource(textBlock = """
            # checkIn,   checkOut,   nights, case,                              total (cents)
            2026-03-10, 2026-03-11,  1, one night,                               7000
            2026-03-10, 2026-03-16,  6, six nights at the nightly rate,          27000
            2026-03-10, 2026-03-17,  7, one week,                                27500
            2026-03-10, 2026-03-20, 10, a week and three nights,                 39500
            2026-03-10, 2026-04-06, 27, three weeks and six nights,              100500
            2026-01-31, 2026-02-28, 28, 31 Jan to 28 Feb is a month as booking counts it, 123000
            2026-01-31, 2026-02-27, 27, 31 Jan to 27 Feb is 27 nights,          100500
            2026-02-01, 2026-03-01, 28, February is one whole month,             123000
            2028-02-01, 2028-03-01, 29, leap February is one whole month,        123000
            2028-01-29, 2028-02-29, 31, month to 29 February,                    123000
            2026-03-01, 2026-04-01, 31, March across the DST change,             123000
            2026-10-20, 2026-11-05, 16, two weeks and two nights over DST end,   60000
            2026-03-15, 2026-05-01, 47, a month and 16 nights,                   187000
            2026-03-01, 2026-09-01, 184, six months with the long-stay discount, 651000
            """)
    void pricesStaysByTheOperatorsRates(LocalDate checkIn, LocalDate checkOut, int nights, String name, long total) {
        Quote quote = Quotes.quote(ROOM, checkIn, checkOut).orElseThrow();
        assertThat(quote.nights()).isEqualTo(nights);
        assertThat(quote.total().amount()).as(name).isEqualTo(total);
        assertThat(quote.deposit().amount()).isEqualTo(50_000);
        assertThat(quote.lines().stream().mapToLong(l -> l.amount().amount()).sum()).isEqualTo(total);
    }

    @Test
    void sixMonthsShowRentDiscountAndCleaningLines() {
        Quote quote = Quotes.quote(ROOM, LocalDate.parse("2026-03-01"), LocalDate.parse("2026-09-01")).orElseThrow();
        assertThat(quote.lines()).extracting(Quote.Line::kind)
                .containsExactly(Quote.Kind.RENT, Quote.Kind.DISCOUNT, Quote.Kind.CLEANING_FEE);
        assertThat(quote.lines().get(0).amount().amount()).isEqualTo(720_000);
        assertThat(quote.lines().get(1).amount().amount()).isEqualTo(-72_000);
    }

    @Test
    void monthlyOnlyUnitsProrateShortStaysAndDailyDesksPricePerDay() {
        var apartment = new UnitPricing(null, "CNY", null, null, null, null, 450_000L, 0, 0, List.of(), Instant.EPOCH);
        assertThat(Quotes.quote(apartment, LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-11")).orElseThrow().total().amount())
                .isEqualTo(150_000);
        var desk = new UnitPricing(null, "EUR", null, null, 1_500L, null, 25_000L, 0, 0, List.of(), Instant.EPOCH);
        assertThat(Quotes.quote(desk, LocalDate.parse("2026-03-02"), LocalDate.parse("2026-03-07")).orElseThrow().total().amount())
                .isEqualTo(7_500);
    }

    @Test
    void aMonthFromTheEndOfALongerMonthIsPricedAsAMonth() {
        var apartment = new UnitPricing(null, "USD", null, null, null, null, 300_000L, 0, 0, List.of(), Instant.EPOCH);
        // 31 January + 1 month = 28 February: one month, not 28 nights at the monthly rate / 30.
        assertThat(Quotes.quote(apartment, LocalDate.parse("2027-01-31"), LocalDate.parse("2027-02-28")).orElseThrow().total().amount())
                .isEqualTo(300_000);
        // And a day after it: the month and one night.
        assertThat(Quotes.quote(apartment, LocalDate.parse("2027-01-31"), LocalDate.parse("2027-03-01")).orElseThrow().total().amount())
                .isEqualTo(310_000);
        assertThat(Quotes.quote(apartment, LocalDate.parse("2027-01-05"), LocalDate.parse("2027-02-05")).orElseThrow().total().amount())
                .isEqualTo(300_000);
    }

    @Test
    void zeroDecimalCurrenciesStayWhole() {
        var tokyo = new UnitPricing(null, "JPY", null, 9_999L, null, null, null, 0, 0,
                List.of(new UnitPricing.LongStayDiscount(3, 333)), Instant.EPOCH);
        // 3 x 9,999 = 29,997 yen; 3.33% = 998.9 -> 999 yen off.
        assertThat(Quotes.quote(tokyo, LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-04")).orElseThrow().total().amount())
                .isEqualTo(28_998);
    }

    @Test
    void hourlyOnlyUnitsHaveNoQuoteForDatesAndEmptyStaysAreRefused() {
        var meetingRoom = new UnitPricing(null, "USD", 5_000L, null, null, null, null, 0, 0, List.of(), Instant.EPOCH);
        assertThat(Quotes.quote(meetingRoom, LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-02"))).isEmpty();
        assertThatThrownBy(() -> Quotes.quote(ROOM, LocalDate.parse("2026-03-02"), LocalDate.parse("2026-03-02")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bedsArePricedPerPlaceWithOneCleaningFee() {
        Quote one = Quotes.quote(ROOM, LocalDate.parse("2026-03-10"), LocalDate.parse("2026-03-13")).orElseThrow();
        Quote three = Quotes.quote(ROOM, LocalDate.parse("2026-03-10"), LocalDate.parse("2026-03-13"), 3).orElseThrow();
        assertThat(one.total().amount()).isEqualTo(3 * 4_000 + 3_000);
        assertThat(three.total().amount()).isEqualTo(3 * 3 * 4_000 + 3_000);
        assertThat(three.lines().get(0).description()).isEqualTo("3 nights at the nightly rate x 3");
        assertThatThrownBy(() -> Quotes.quote(ROOM, LocalDate.parse("2026-03-10"), LocalDate.parse("2026-03-13"), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} to {1}, extended to {2}: {3}")
    @CsvSource(textBlock = """
            # checkIn,   old checkOut, new checkOut, case,                                              added (cents)
            2026-03-01, 2026-05-01, 2026-06-01, one more month; the stay passes 90 nights: 10% off,   108000
            2026-03-01, 2026-05-01, 2026-05-11, ten more nights at monthly / 30,                     40000
            2026-03-01, 2026-03-21, 2026-04-01, 20 nights become a month: the rest at monthly / 30,  44000
            2026-03-01, 2026-03-03, 2026-03-05, a short stay stays nightly,                          8000
            2026-03-01, 2026-05-01, 2026-06-15, a month and 14 nights at monthly / 30 less 10%,       158400
            """)
    void extensionsKeepTheBookingsRatesWithoutASecondCleaningFee(LocalDate checkIn, LocalDate oldOut, LocalDate newOut, String name, long added) {
        Quote quote = Quotes.extension(ROOM, checkIn, oldOut, newOut, 1).orElseThrow();
        assertThat(quote.total().amount()).as(name).isEqualTo(added);
        assertThat(quote.deposit().amount()).isZero();
        assertThat(quote.lines()).extracting(Quote.Line::kind).doesNotContain(Quote.Kind.CLEANING_FEE);
    }

    private static final UnitPricing MEETING = new UnitPricing(null, "EUR", 2_000L, null, 12_000L, null, null, 0, 0, List.of(), Instant.EPOCH);

    @ParameterizedTest(name = "{0} to {1} in {2}: {3}")
    @CsvSource(textBlock = """
            # startsAt,            endsAt,                zone,           case,                                        total
            2026-03-02T09:00:00Z, 2026-03-02T10:15:00Z, Europe/Berlin,  five quarter hours,                           2500
            2026-03-02T08:00:00Z, 2026-03-02T17:00:00Z, Europe/Berlin,  nine hours cost more than the day pass,       12000
            2026-03-29T00:00:00Z, 2026-03-29T02:00:00Z, Europe/Berlin,  01:00 to 04:00 on the DST night is 2 hours,   4000
            2026-03-02T20:00:00Z, 2026-03-03T01:00:00Z, Europe/Berlin,  across local midnight: two days of hours,     10000
            2026-03-02T14:00:00Z, 2026-03-04T14:00:00Z, Asia/Shanghai,  48 hours: 2 hours then two day passes,      28000
            """)
    void meetingRoomsArePricedByTheQuarterHourCappedByTheDayPass(Instant startsAt, Instant endsAt, String zone, String name, long total) {
        Quote quote = Quotes.hourly(MEETING, startsAt, endsAt, java.time.ZoneId.of(zone)).orElseThrow();
        assertThat(quote.total().amount()).as(name).isEqualTo(total);
        assertThat(quote.nights()).isZero();
        assertThat(quote.startsAt()).isEqualTo(startsAt);
        assertThat(quote.lines().stream().mapToLong(l -> l.amount().amount()).sum()).isEqualTo(total);
    }

    @Test
    void wholeMonthsFollowTheCalendarIncludingMonthEnds() {
        assertThat(Quotes.wholeMonths(LocalDate.of(2027, 1, 5), LocalDate.of(2027, 2, 5))).isEqualTo(1);
        assertThat(Quotes.wholeMonths(LocalDate.of(2027, 1, 5), LocalDate.of(2027, 7, 5))).isEqualTo(6);
        // plusMonths clamps to the month's last day: these are whole months too.
        assertThat(Quotes.wholeMonths(LocalDate.of(2027, 1, 31), LocalDate.of(2027, 2, 28))).isEqualTo(1);
        assertThat(Quotes.wholeMonths(LocalDate.of(2026, 12, 29), LocalDate.of(2027, 2, 28))).isEqualTo(2);
        assertThat(Quotes.wholeMonths(LocalDate.of(2027, 1, 31), LocalDate.of(2027, 3, 31))).isEqualTo(2);
        // Not whole months.
        assertThat(Quotes.wholeMonths(LocalDate.of(2027, 1, 5), LocalDate.of(2027, 2, 4))).isZero();
        assertThat(Quotes.wholeMonths(LocalDate.of(2027, 1, 31), LocalDate.of(2027, 2, 27))).isZero();
        assertThat(Quotes.wholeMonths(LocalDate.of(2027, 1, 31), LocalDate.of(2027, 3, 28))).isZero();
        assertThat(Quotes.wholeMonths(LocalDate.of(2027, 1, 5), LocalDate.of(2027, 1, 5))).isZero();
        assertThat(Quotes.wholeMonths(LocalDate.of(2027, 2, 5), LocalDate.of(2027, 1, 5))).isZero();
    }
}
