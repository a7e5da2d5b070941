package io.nomadstays.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.support.StripeMock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The reconciliation re-reads what a lost webhook should have told us. */
class ReconciliationIntegrationTests extends PaidBookingTest {

    @Autowired
    Reconciliation reconciliation;

    /** A held booking whose intent the nomad paid; Stripe's webhook never arrives. */
    String[] paidWithoutWebhook(int daysAhead) {
        Map<String, Object> created = data(post("test:nomad", CREATE, Map.of("input", Map.of("unitId", room.id(),
                "checkIn", today().plusDays(daysAhead).toString(), "checkOut", today().plusDays(daysAhead + 3).toString()))), "createBooking");
        String id = (String) ((Map<?, ?>) created.get("booking")).get("id");
        String intent = (String) ((Map<?, ?>) created.get("payment")).get("paymentIntentId");
        StripeMock.FAKE.succeed(intent, "pm_card_visa");
        return new String[] {id, intent};
    }

    /** A round as the job runs it, {@code reconcile-after} (5 minutes) from now. */
    Reconciliation.Round round() {
        return reconciliation.runOnce(Instant.now().plus(Duration.ofMinutes(6))).block();
    }

    @Test
    void aSucceededPaymentWhoseWebhookNeverCameConfirmsItsBooking() {
        String[] booking = paidWithoutWebhook(10);
        assertThat(status(booking[0])).isEqualTo("HELD");

        Reconciliation.Round round = round();

        assertThat(round.payments()).isEqualTo(1);
        assertThat(round.paymentsFailed()).isZero();
        assertThat(status(booking[0])).isEqualTo("CONFIRMED");
        assertThat(((List<?>) booking("test:nomad", booking[0]).get("payments")).stream().map(p -> String.valueOf(((Map<?, ?>) p).get("kind"))).toList()).contains("CHARGE");
        // Settled: the next round has nothing open to read.
        assertThat(round().payments()).isZero();
    }

    @Test
    void paymentsChangedRecentlyAreLeftToTheirWebhook() {
        String[] booking = paidWithoutWebhook(10);

        assertThat(reconciliation.runOnce(Instant.now()).block().payments()).isZero();
        assertThat(status(booking[0])).isEqualTo("HELD");
    }

    @Test
    void oneFailingPaymentDoesNotStopTheOthers() {
        String[] first = paidWithoutWebhook(10);
        String[] second = paidWithoutWebhook(20);
        StripeMock.SERVER.stubFor(get(urlPathEqualTo("/v1/payment_intents/" + first[1])).atPriority(1)
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody(StripeMock.error("api_error", "Something went wrong on Stripe's end."))));

        Reconciliation.Round round = round();

        assertThat(round.payments()).isEqualTo(2);
        assertThat(round.paymentsFailed()).isEqualTo(1);
        assertThat(status(first[0])).isEqualTo("HELD");
        assertThat(status(second[0])).isEqualTo("CONFIRMED");
    }

    @Test
    void aPayoutAccountNoWebhookUpdatedForADayIsReadAgain() {
        db.sql("UPDATE payout_account SET updated_at = now() - interval '2 days' WHERE operator_id = :op").bind("op", operator.uuid()).then().block();
        StripeMock.SERVER.stubFor(get(urlPathEqualTo("/v1/accounts/" + stripeAccount())).willReturn(okJson(StripeMock.json(
                StripeMock.account(stripeAccount(), true, false, true, List.of("external_account"))))));

        Reconciliation.Round round = round();

        assertThat(round.accounts()).isEqualTo(1);
        assertThat(db.sql("SELECT payouts_enabled, requirements_due FROM payout_account WHERE operator_id = :op").bind("op", operator.uuid())
                .map(row -> row.get("payouts_enabled", Boolean.class) + " " + List.of(row.get("requirements_due", String[].class))).one().block())
                .isEqualTo("false [external_account]");
        assertThat(round().accounts()).isZero();
    }
}
