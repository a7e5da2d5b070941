package io.nomadstays.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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
    void theCommissionComesBackInProportionRoundedHalfUpAndWholeOnAFullRefund() {
        assertThat(BookingRefunds.feeShare(750, 3750, 7500)).isEqualTo(375);
        assertThat(BookingRefunds.feeShare(1001, 1, 2)).isEqualTo(501);
        assertThat(BookingRefunds.feeShare(333, 1000, 3000)).isEqualTo(111);
        assertThat(BookingRefunds.feeShare(7, 7500, 7500)).isEqualTo(7);
        assertThat(BookingRefunds.feeShare(0, 100, 7500)).isZero();
    }
}
