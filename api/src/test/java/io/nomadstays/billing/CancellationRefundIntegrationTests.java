package io.nomadstays.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.nomadstays.support.StripeMock;
import java.util.List;
import java.util.Map;
import io.nomadstays.payments.Refunds;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Cancelling a paid booking refunds through Stripe what the policy owes, reversing the operator's
 * transfer and the platform's commission in proportion; Stripe first, then the cancellation and
 * its ledger rows in one transaction. A 3-night stay costs 75.00 USD, the commission is 7.50.
 */
class CancellationRefundIntegrationTests extends PaidBookingTest {

    @Test
    void aGuestCancellingWithFullNoticeUnderModerateGetsEverythingBackThroughStripe() {
        Paid paid = bookAndPay(today().plusDays(10), 3);

        Map<String, Object> payload = cancel("test:nomad", paid.id(), "cancel-1");

        assertThat(payload.get("userErrors")).asList().isEmpty();
        Map<?, ?> booking = (Map<?, ?>) payload.get("booking");
        assertThat(booking.get("status")).isEqualTo("CANCELLED_BY_GUEST");
        assertThat(booking.get("refund")).isEqualTo(Map.of("amount", 7500, "currency", "USD"));
        List<LoggedRequest> refunds = requests("/v1/refunds");
        assertThat(refunds).hasSize(1);
        assertThat(StripeMock.form(refunds.get(0))).containsEntry("payment_intent", paid.intentId()).containsEntry("amount", "7500")
                .containsEntry("reverse_transfer", "true").containsEntry("refund_application_fee", "true")
                .containsEntry("metadata[booking_id]", paid.uuid().toString()).containsEntry("metadata[reason]", "cancellation");
        assertThat(refunds.get(0).getHeader("Idempotency-Key")).isEqualTo("nomad:booking:" + paid.uuid() + ":cancel-refund-1:1");
        String refundId = (String) ((Map<?, ?>) ((List<?>) booking.get("refunds")).get(0)).get("stripeRefundId");
        assertThat(booking.get("refunds")).isEqualTo(List.of(Map.of("amount", Map.of("amount", 7500, "currency", "USD"), "status", "SUCCEEDED",
                "stripeRefundId", refundId)));
        assertThat(refundId).startsWith("re_");
        assertThat(ledger(paid.uuid())).contains("REFUND -7500 " + refundId, "FEE_REFUND 750 " + refundId);
    }

    @Test
    void aPartialRefundGivesBackTheCommissionInProportion() {
        // MODERATE with 2 days' notice: half back; the platform gives back half its commission.
        Paid paid = bookAndPay(today().plusDays(2), 3);

        Map<String, Object> payload = cancel("test:nomad", paid.id(), null);

        assertThat(((Map<?, ?>) payload.get("booking")).get("status")).isEqualTo("CANCELLED_BY_GUEST");
        assertThat(StripeMock.form(requests("/v1/refunds").get(0))).containsEntry("amount", "3750").containsEntry("reverse_transfer", "true");
        assertThat(ledger(paid.uuid())).anyMatch(row -> row.startsWith("REFUND -3750 re_")).anyMatch(row -> row.startsWith("FEE_REFUND 375 re_"));
    }

    @Test
    void flexibleWithADaysNoticeRefundsInFull() {
        unitPolicy("FLEXIBLE");
        Paid paid = bookAndPay(today().plusDays(1), 3);

        cancel("test:nomad", paid.id(), null);

        assertThat(StripeMock.form(requests("/v1/refunds").get(0))).containsEntry("amount", "7500");
        assertThat(ledger(paid.uuid())).anyMatch(row -> row.startsWith("FEE_REFUND 750 re_"));
    }

    @Test
    void nothingOwedMeansNoStripeCall() {
        // MODERATE on the day of check-in: nothing back.
        Paid paid = bookAndPay(today(), 3);

        Map<String, Object> payload = cancel("test:nomad", paid.id(), null);

        assertThat(((Map<?, ?>) payload.get("booking")).get("status")).isEqualTo("CANCELLED_BY_GUEST");
        assertThat(((Map<?, ?>) payload.get("booking")).get("refunds")).asList().isEmpty();
        assertThat(requests("/v1/refunds")).isEmpty();
        assertThat(ledger(paid.uuid())).noneMatch(row -> row.startsWith("REFUND"));
    }

    @Test
    void theOperatorCancellingRefundsEverythingWhateverThePolicy() {
        unitPolicy("STRICT");
        Paid paid = bookAndPay(today().plusDays(1), 3);

        Map<String, Object> payload = cancel(manager, paid.id(), null);

        assertThat(((Map<?, ?>) payload.get("booking")).get("status")).isEqualTo("CANCELLED_BY_OPERATOR");
        assertThat(StripeMock.form(requests("/v1/refunds").get(0))).containsEntry("amount", "7500").containsEntry("refund_application_fee", "true");
        assertThat(ledger(paid.uuid())).anyMatch(row -> row.startsWith("REFUND -7500 re_")).anyMatch(row -> row.startsWith("FEE_REFUND 750 re_"));
    }

    @Test
    void stripeDownLeavesTheBookingConfirmedAndARetryRefundsOnce() {
        Paid paid = bookAndPay(today().plusDays(10), 3);
        StubMapping down = StripeMock.SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/v1/refunds")).atPriority(1)
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody(StripeMock.error("api_error", "Something went wrong on Stripe's end."))));

        Map<String, Object> failed = cancel("test:nomad", paid.id(), "cancel-1");

        assertThat(failed.get("booking")).isNull();
        assertThat(failed.get("userErrors").toString()).contains("code=PAYMENT_PROVIDER_UNAVAILABLE");
        assertThat(status(paid.id())).isEqualTo("CONFIRMED");
        assertThat(fixtures.count("refund")).isZero();
        assertThat(ledger(paid.uuid())).noneMatch(row -> row.startsWith("REFUND"));
        assertThat(db.sql("SELECT count(*) AS n FROM booking_event WHERE booking_id = :b AND to_status = 'CANCELLED_BY_GUEST'")
                .bind("b", paid.uuid()).map(row -> row.get("n", Long.class)).one().block()).isZero();

        StripeMock.SERVER.removeStub(down);
        Map<String, Object> retried = cancel("test:nomad", paid.id(), "cancel-1");
        Map<String, Object> again = cancel("test:nomad", paid.id(), "cancel-1");

        assertThat(((Map<?, ?>) retried.get("booking")).get("status")).isEqualTo("CANCELLED_BY_GUEST");
        assertThat(((Map<?, ?>) again.get("booking")).get("refunds")).isEqualTo(((Map<?, ?>) retried.get("booking")).get("refunds"));
        // Two calls reached Stripe: the one that failed and the one that refunded. The repeat after success made none.
        List<LoggedRequest> refunds = requests("/v1/refunds");
        assertThat(refunds).hasSize(2);
        assertThat(refunds).extracting(r -> r.getHeader("Idempotency-Key")).containsOnly("nomad:booking:" + paid.uuid() + ":cancel-refund-1:1");
        assertThat(fixtures.count("refund")).isEqualTo(1);
        assertThat(ledger(paid.uuid())).filteredOn(row -> row.startsWith("REFUND")).hasSize(1);
    }

    @Autowired
    Refunds stripeRefunds;

    @Test
    void aRefundStartedEarlierForAnotherAmountIsNeverMadeASecondTime() {
        // A cancellation whose Stripe refund went through but whose commit was lost, retried days later under another notice:
        // the same key with another amount. Stripe refuses it; the nomad is not refunded twice and the client is told.
        Paid paid = bookAndPay(today().plusDays(10), 3);
        stripeRefunds.refund(paid.intentId(), 3750, true, Map.of("booking_id", paid.uuid().toString()),
                "nomad:booking:" + paid.uuid() + ":cancel-refund-1:1").block();

        Map<String, Object> payload = cancel("test:nomad", paid.id(), null);

        assertThat(payload.get("userErrors").toString()).contains("code=INVALID_STATE");
        assertThat(status(paid.id())).isEqualTo("CONFIRMED");
        assertThat(requests("/v1/refunds")).hasSize(2);
        assertThat(fixtures.count("refund")).isZero();
    }

    @Test
    void aRetriedCancelNeverRefundsTwice() {
        Paid paid = bookAndPay(today().plusDays(10), 3);

        cancel("test:nomad", paid.id(), "k1");
        cancel("test:nomad", paid.id(), "k1");
        cancel("test:nomad", paid.id(), null);

        assertThat(requests("/v1/refunds")).hasSize(1);
        assertThat(fixtures.count("refund")).isEqualTo(1);
    }

    @Test
    void theGuestAndAManagerCancellingAtOnceRefundOnce() throws Exception {
        Paid paid = bookAndPay(today().plusDays(10), 3);

        var guest = java.util.concurrent.CompletableFuture.supplyAsync(() -> cancel("test:nomad", paid.id(), null));
        var staff = java.util.concurrent.CompletableFuture.supplyAsync(() -> cancel(manager, paid.id(), null));

        // Whoever commits first cancels. The other answers the cancelled booking when they overlapped at Stripe
        // (same refund, same key), or INVALID_STATE when it came after (a cancelled booking cannot be cancelled by the other side).
        List<Map<String, Object>> payloads = List.of(guest.get(), staff.get());
        assertThat(payloads).anySatisfy(p -> assertThat(p.get("userErrors")).asList().isEmpty());
        for (Map<String, Object> payload : payloads) {
            if (payload.get("booking") != null) {
                assertThat((String) ((Map<?, ?>) payload.get("booking")).get("status")).startsWith("CANCELLED_BY_");
            } else {
                assertThat(payload.get("userErrors").toString()).contains("code=INVALID_STATE");
            }
        }
        // The money went back once.
        assertThat(fixtures.count("refund")).isEqualTo(1);
        assertThat(ledger(paid.uuid())).filteredOn(row -> row.startsWith("REFUND")).hasSize(1);
        assertThat(requests("/v1/refunds")).extracting(r -> StripeMock.form(r).get("amount")).containsOnly("7500");
    }

    @Test
    void staffOfAnotherOperatorCannotCancelNorRefund() {
        Paid paid = bookAndPay(today().plusDays(10), 3);
        String stranger = fixtures.staff(fixtures.operator("other-coliving"), "OWNER");

        Map<String, Object> payload = cancel(stranger, paid.id(), null);

        assertThat(payload.get("booking")).isNull();
        assertThat(payload.get("userErrors").toString()).contains("code=NOT_FOUND");
        assertThat(requests("/v1/refunds")).isEmpty();
        assertThat(status(paid.id())).isEqualTo("CONFIRMED");
    }

    @Test
    void aStaffMemberWithoutTheManagerRoleIsRefused() {
        Paid paid = bookAndPay(today().plusDays(10), 3);

        Map<String, Object> payload = cancel(fixtures.staff(operator, "VIEWER"), paid.id(), null);

        assertThat(payload.get("userErrors").toString()).contains("code=FORBIDDEN");
        assertThat(requests("/v1/refunds")).isEmpty();
    }

    @Test
    void cancellingAHoldCancelsItsOpenPaymentIntent() {
        @SuppressWarnings("unchecked")
        Map<String, Object> created = data(post("test:nomad", CREATE, Map.of("input", Map.of("unitId", room.id(),
                "checkIn", today().plusDays(10).toString(), "checkOut", today().plusDays(13).toString()))), "createBooking");
        String id = (String) ((Map<?, ?>) created.get("booking")).get("id");
        String intent = (String) ((Map<?, ?>) created.get("payment")).get("paymentIntentId");

        Map<String, Object> payload = cancel("test:nomad", id, null);

        assertThat(((Map<?, ?>) payload.get("booking")).get("status")).isEqualTo("CANCELLED_BY_GUEST");
        assertThat(requests("/v1/payment_intents/" + intent + "/cancel")).singleElement()
                .extracting(r -> r.getHeader("Idempotency-Key")).asString().endsWith(":cancel-first-payment:1");
        assertThat(StripeMock.FAKE.object(intent).get("status").asText()).isEqualTo("canceled");
        assertThat(db.sql("SELECT status FROM payment WHERE stripe_payment_intent_id = :pi").bind("pi", intent)
                .map(row -> row.get("status", String.class)).one().block()).isEqualTo("CANCELED");
        assertThat(requests("/v1/refunds")).isEmpty();
    }

    @Test
    void theClientKeyIsChecked() {
        Paid paid = bookAndPay(today().plusDays(10), 3);

        Map<String, Object> payload = cancel("test:nomad", paid.id(), "x".repeat(101));

        assertThat(payload.get("userErrors").toString()).contains("field=[input, idempotencyKey]");
        assertThat(status(paid.id())).isEqualTo("CONFIRMED");
    }
}
