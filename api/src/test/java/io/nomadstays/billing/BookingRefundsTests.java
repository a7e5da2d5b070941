package io.nomadstays.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BookingRefundsTests {

    static Payment payment(Payment.Purpose purpose, int sequence, long amount, String status) {
        Instant now = Instant.now();
        return new Payment(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "pi_" + purpose + sequence, purpose, sequence, 1, amount, "USD",
                amount / 10, status, null, null, null, now, now);
    }

    @Test
    void theFirstPaymentIsRefundedFirstThenRentNewestMonthFirst() {
        Payment first = payment(Payment.Purpose.FIRST_PAYMENT, 1, 45_000, "SUCCEEDED");
        Payment month2 = payment(Payment.Purpose.RENT, 2, 45_000, "SUCCEEDED");
        Payment month3 = payment(Payment.Purpose.RENT, 3, 45_000, "SUCCEEDED");
        Payment declined = payment(Payment.Purpose.RENT, 4, 45_000, "REQUIRES_PAYMENT_METHOD");
        Payment deposit = payment(Payment.Purpose.DEPOSIT, 1, 30_000, "SUCCEEDED");

        List<Map.Entry<Payment, Long>> plan = BookingRefunds.plan(List.of(month2, deposit, first, declined, month3), 100_000);

        assertThat(plan).containsExactly(Map.entry(first, 45_000L), Map.entry(month3, 45_000L), Map.entry(month2, 10_000L));
    }

    @Test
    void neverMoreThanWasPaid() {
        Payment first = payment(Payment.Purpose.FIRST_PAYMENT, 1, 7_500, "SUCCEEDED");

        assertThat(BookingRefunds.plan(List.of(first), 20_000)).containsExactly(Map.entry(first, 7_500L));
        assertThat(BookingRefunds.plan(List.of(payment(Payment.Purpose.FIRST_PAYMENT, 1, 7_500, "REQUIRES_ACTION")), 7_500)).isEmpty();
    }

    @Test
    void aPaymentGivesBackOnlyWhatEarlierRefundsLeftOfIt() {
        Payment first = payment(Payment.Purpose.FIRST_PAYMENT, 1, 45_000, "SUCCEEDED");
        Payment month2 = payment(Payment.Purpose.RENT, 2, 45_000, "SUCCEEDED");

        assertThat(BookingRefunds.plan(List.of(first, month2), Map.of(first.uuid(), 40_000L, month2.uuid(), 45_000L), 90_000))
                .containsExactly(Map.entry(first, 5_000L));
    }

    static RentInstalment month(int sequence, LocalDate from, LocalDate to, Payment paidBy, RentInstalment.Status status) {
        Instant now = Instant.now();
        return new RentInstalment(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), sequence, from, to, from, paidBy == null ? 30_000 : paidBy.amount(),
                "USD", status, 1, null, paidBy == null ? null : paidBy.intentId(), null, null, null, null, now, now);
    }

    @Test
    void aMoveOutCountsEachPaidInstalmentProRataByItsNightsGivenUpNewestFirst() {
        LocalDate in = LocalDate.of(2026, 1, 10);
        // Month 1: 31 nights, 31_000 of rent plus a 5_000 cleaning fee; month 2: 28 nights, 28_000; month 3 not paid.
        Payment first = payment(Payment.Purpose.FIRST_PAYMENT, 1, 36_000, "SUCCEEDED");
        Payment month2 = payment(Payment.Purpose.RENT, 2, 28_000, "SUCCEEDED");
        Payment declined = payment(Payment.Purpose.RENT, 2, 28_000, "REQUIRES_PAYMENT_METHOD");
        List<RentInstalment> months = List.of(month(2, in.plusMonths(1), in.plusMonths(2), month2, RentInstalment.Status.PAID),
                month(3, in.plusMonths(2), in.plusMonths(3), null, RentInstalment.Status.SCHEDULED));
        RentSchedule.Instalment month1 = new RentSchedule.Instalment(1, in, in.plusMonths(1), 36_000);

        // Moving out on Feb 1: 9 nights of month 1 (the fee is not refundable) and all of month 2.
        List<BookingRefunds.NightsPaid> paid = BookingRefunds.nightsPaid(month1, 5_000, List.of(declined, month2, first), months, Map.of(),
                LocalDate.of(2026, 2, 1), in.plusMonths(3));

        assertThat(paid).extracting(BookingRefunds.NightsPaid::payment, BookingRefunds.NightsPaid::amount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(month2, 28_000L), org.assertj.core.groups.Tuple.tuple(first, 9_000L));

        // Moving out inside month 2: 10 of its 28 nights, rounded half up; month 1 gives nothing; an earlier refund caps it.
        assertThat(BookingRefunds.nightsPaid(month1, 5_000, List.of(first, month2), months, Map.of(), in.plusMonths(1).plusDays(18), in.plusMonths(3)))
                .extracting(BookingRefunds.NightsPaid::amount).containsExactly(10_000L);
        assertThat(BookingRefunds.nightsPaid(month1, 5_000, List.of(first, month2), months, Map.of(month2.uuid(), 25_000L),
                in.plusMonths(1).plusDays(18), in.plusMonths(3))).extracting(BookingRefunds.NightsPaid::amount).containsExactly(3_000L);
    }

    @Test
    void theCommissionComesBackInProportionRoundedHalfUpAndWholeOnAFullRefund() {
        assertThat(BookingRefunds.feeShare(750, 3750, 7500)).isEqualTo(375);
        assertThat(BookingRefunds.feeShare(1001, 1, 2)).isEqualTo(501);
        assertThat(BookingRefunds.feeShare(333, 1000, 3000)).isEqualTo(111);
        assertThat(BookingRefunds.feeShare(7, 7500, 7500)).isEqualTo(7);
        assertThat(BookingRefunds.feeShare(0, 100, 7500)).isZero();
    }
}
