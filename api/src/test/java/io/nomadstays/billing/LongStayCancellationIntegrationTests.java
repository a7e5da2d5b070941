package io.nomadstays.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.booking.CancellationPolicy;
import io.nomadstays.support.StripeMock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A long stay has paid only its first month when it is cancelled: the policy decides what of the
 * whole stay the operator keeps, and only what was paid beyond that goes back (the months not paid
 * yet are simply not charged).
 */
class LongStayCancellationIntegrationTests extends PaidBookingTest {

    long total(java.util.UUID bookingId) {
        return db.sql("SELECT total FROM booking WHERE id = :id").bind("id", bookingId)
                .map(row -> row.get("total", Long.class)).one().block();
    }

    long firstPayment(Paid paid) {
        return StripeMock.FAKE.object(paid.intentId()).get("amount").asLong();
    }

    @Test
    void shortNoticeUnderLongStayKeepsTheFirstThirtyNightsSoLittleOrNothingOfTheFirstMonthGoesBack() {
        unitPolicy("LONG_STAY");
        LocalDate checkIn = today().plusDays(10);
        Paid paid = bookAndPay(checkIn, 90);
        long total = total(paid.uuid());
        long first = firstPayment(paid);
        CancellationPolicy.Refund owed = CancellationPolicy.LONG_STAY.refund(total, 90, ChronoUnit.DAYS.between(today(), checkIn));
        assertThat(owed.amount()).isGreaterThan(first); // the policy gives back most of the stay...
        long expected = Math.max(0, first - (total - owed.amount())); // ...but only the first month was paid

        Map<String, Object> payload = cancel("test:nomad", paid.id(), null);

        Map<?, ?> booking = (Map<?, ?>) payload.get("booking");
        assertThat(booking.get("status")).isEqualTo("CANCELLED_BY_GUEST");
        assertThat(((Map<?, ?>) booking.get("refund")).get("amount")).isEqualTo((int) expected);
        assertThat(expected).isLessThan(first / 10);
        if (expected == 0) {
            assertThat(requests("/v1/refunds")).isEmpty();
        } else {
            assertThat(StripeMock.form(requests("/v1/refunds").get(0))).containsEntry("amount", String.valueOf(expected));
        }
    }

    @Test
    void fullNoticeUnderLongStayGivesBackEverythingPaid() {
        unitPolicy("LONG_STAY");
        Paid paid = bookAndPay(today().plusDays(40), 90);
        long first = firstPayment(paid);

        Map<String, Object> payload = cancel("test:nomad", paid.id(), null);

        assertThat(((Map<?, ?>) ((Map<?, ?>) payload.get("booking")).get("refund")).get("amount")).isEqualTo((int) first);
        assertThat(StripeMock.form(requests("/v1/refunds").get(0))).containsEntry("amount", String.valueOf(first))
                .containsEntry("payment_intent", paid.intentId()).containsEntry("reverse_transfer", "true");
        assertThat(ledger(paid.uuid())).anyMatch(row -> row.startsWith("REFUND -" + first + " re_"));
    }
}
