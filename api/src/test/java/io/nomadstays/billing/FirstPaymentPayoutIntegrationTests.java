package io.nomadstays.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.nomadstays.support.StripeMock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The operator's share of the first payment leaves its Stripe balance (manual payouts) no earlier
 * than 24 hours after the start of the check-in day in the property's zone, once.
 */
class FirstPaymentPayoutIntegrationTests extends PaidBookingTest {

    @Autowired
    FirstPaymentPayouts payouts;

    static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZONE).toInstant();
    }

    @Test
    void paidOutNotBeforeTheDelayOnceAfterItNeverTwice() {
        LocalDate checkIn = today().plusDays(10);
        Paid paid = bookAndPay(checkIn, 3);

        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(23))).block()).isZero();
        assertThat(requests("/v1/payouts")).isEmpty();

        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(24))).block()).isEqualTo(1);
        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(48))).block()).isZero();

        List<LoggedRequest> made = requests("/v1/payouts");
        assertThat(made).hasSize(1);
        // 75.00 less the 10% commission, from the operator's own balance.
        assertThat(StripeMock.form(made.get(0))).containsEntry("amount", "6750").containsEntry("currency", "usd")
                .containsEntry("metadata[booking_id]", paid.uuid().toString());
        assertThat(made.get(0).getHeader("Stripe-Account")).isEqualTo(stripeAccount());
        assertThat(made.get(0).getHeader("Idempotency-Key")).isEqualTo("nomad:booking:" + paid.uuid() + ":payout-first-payment:1");
        assertThat(ledger(paid.uuid())).anyMatch(row -> row.matches("PAYOUT -6750 po_\\w+"));
        // Payouts are shown to staff, not counted as earnings: the booking still earned 67.50.
        assertThat(fixtures.count("payout")).isEqualTo(1);
    }

    @Test
    void aPartRefundIsLeftOutOfThePayout() {
        // MODERATE with 2 days' notice: 37.50 back with 3.75 of commission; the operator keeps 37.50 - 3.75.
        LocalDate checkIn = today().plusDays(2);
        Paid paid = bookAndPay(checkIn, 3);
        cancel("test:nomad", paid.id(), null);

        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(25))).block()).isEqualTo(1);

        assertThat(StripeMock.form(requests("/v1/payouts").get(0))).containsEntry("amount", "3375");
    }

    @Test
    void aFullRefundLeavesNothingToPayOut() {
        LocalDate checkIn = today().plusDays(10);
        Paid paid = bookAndPay(checkIn, 3);
        cancel(manager, paid.id(), null);

        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(25))).block()).isEqualTo(1);
        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(26))).block()).isZero();

        assertThat(requests("/v1/payouts")).isEmpty();
        assertThat(db.sql("SELECT amount, status FROM payout WHERE booking_id = :b").bind("b", paid.uuid())
                .map(row -> row.get("amount", Long.class) + " " + row.get("status", String.class)).one().block()).isEqualTo("0 NOTHING_DUE");
        assertThat(ledger(paid.uuid())).noneMatch(row -> row.startsWith("PAYOUT"));
    }

    @Test
    void anUnpaidBookingIsNeverPaidOut() {
        LocalDate checkIn = today().plusDays(10);
        post("test:nomad", CREATE, java.util.Map.of("input", java.util.Map.of("unitId", room.id(),
                "checkIn", checkIn.toString(), "checkOut", checkIn.plusDays(3).toString())));

        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofDays(5))).block()).isZero();
        assertThat(requests("/v1/payouts")).isEmpty();
    }

    @Test
    void stripeDownMeansTheNextRoundPaysOutOnce() {
        LocalDate checkIn = today().plusDays(10);
        Paid paid = bookAndPay(checkIn, 3);
        StubMapping down = StripeMock.SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/v1/payouts")).atPriority(1)
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody(StripeMock.error("api_error", "Stripe is unavailable."))));

        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(25))).block()).isZero();
        assertThat(fixtures.count("payout")).isZero();
        assertThat(ledger(paid.uuid())).noneMatch(row -> row.startsWith("PAYOUT"));

        StripeMock.SERVER.removeStub(down);
        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(26))).block()).isEqualTo(1);
        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(27))).block()).isZero();
        assertThat(requests("/v1/payouts")).hasSize(2).extracting(r -> r.getHeader("Idempotency-Key")).containsOnly(
                "nomad:booking:" + paid.uuid() + ":payout-first-payment:1");
        assertThat(ledger(paid.uuid())).filteredOn(row -> row.startsWith("PAYOUT")).hasSize(1);
    }

    @Test
    void anotherInstanceHoldingTheLeaseMeansNothingHappensHere() {
        LocalDate checkIn = today().plusDays(10);
        bookAndPay(checkIn, 3);
        db.sql("INSERT INTO job_lease (name, holder, expires_at) VALUES ('first-payment-payouts', 'api-elsewhere', now() + interval '1 hour')")
                .then().block();

        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(25))).block()).isZero();
        assertThat(requests("/v1/payouts")).isEmpty();
    }
}
