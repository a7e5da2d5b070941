package io.nomadstays.payouts;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import io.nomadstays.support.StripeEventSender;
import io.nomadstays.support.StripeMock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signed events delivered to the real POST /webhooks/stripe, with Stripe's account read back from WireMock. */
class StripeWebhookIntegrationTests extends IntegrationTest {

    static final String ACCOUNT = "acct_1NomadHook0001";

    Fixtures.Ref operator;

    @BeforeEach
    void anOperatorHalfwayThroughOnboarding() {
        StripeMock.reset();
        operator = fixtures.operator("canggu-surf-work", false);
        fixtures.payoutAccount(operator, ACCOUNT, false);
    }

    /** What Stripe says the account is now. */
    static void stripeHasTheAccount(boolean enabled) {
        StripeMock.SERVER.stubFor(get(urlEqualTo("/v1/accounts/" + ACCOUNT)).willReturn(okJson(StripeMock.json(
                StripeMock.account(ACCOUNT, enabled, enabled, true, enabled ? List.of() : List.of("external_account"))))));
    }

    /** An account.updated event carrying the account as it was when the event was made. */
    static String accountUpdated(String eventId, boolean enabledInEvent) {
        return StripeMock.event(eventId, "account.updated", StripeMock.account(ACCOUNT, enabledInEvent, enabledInEvent, enabledInEvent,
                enabledInEvent ? List.of() : List.of("external_account")), ACCOUNT, Instant.now());
    }

    String stored() {
        return db.sql("SELECT charges_enabled, payouts_enabled, details_submitted, requirements_due FROM payout_account WHERE operator_id = :op")
                .bind("op", operator.uuid())
                .map(row -> row.get(0, Boolean.class) + " " + row.get(1, Boolean.class) + " " + row.get(2, Boolean.class) + " "
                        + List.of(row.get(3, String[].class)))
                .one().block();
    }

    String outcome(String eventId) {
        return db.sql("SELECT outcome FROM stripe_event WHERE id = :id").bind("id", eventId).map(row -> row.get(0, String.class)).one().block();
    }

    int reads() {
        return StripeMock.SERVER.findAll(getRequestedFor(urlEqualTo("/v1/accounts/" + ACCOUNT))).size();
    }

    @Test
    void accountUpdatedStoresTheAccountAsStripeHasItNow() {
        stripeHasTheAccount(true);

        // The event's own copy is stale (a late delivery): the stored state follows Stripe, not the event.
        stripeEvents.deliver(accountUpdated("evt_late_1", false)).expectStatus().isOk()
                .expectBody().jsonPath("$.outcome").isEqualTo("HANDLED");

        assertThat(stored()).isEqualTo("true true true []");
        assertThat(outcome("evt_late_1")).isEqualTo("HANDLED");
        assertThat(reads()).isEqualTo(1);
        assertThat(StripeMock.SERVER.findAll(getRequestedFor(urlEqualTo("/v1/accounts/" + ACCOUNT))).get(0).getHeader("Authorization"))
                .isEqualTo("Bearer " + StripeMock.SECRET_KEY);
    }

    @Test
    void eventsOfConnectedAccountsMaySignWithTheConnectEndpointSecret() {
        stripeHasTheAccount(true);
        String payload = accountUpdated("evt_connect_1", true);
        stripeEvents.deliver(payload, StripeEventSender.signature(StripeMock.CONNECT_WEBHOOK_SECRET, payload, Instant.now()))
                .expectStatus().isOk();
        assertThat(stored()).startsWith("true");
    }

    @Test
    void aReplayedEventIsProcessedOnce() {
        stripeHasTheAccount(true);
        String payload = accountUpdated("evt_twice_1", true);

        stripeEvents.deliver(payload).expectStatus().isOk().expectBody().jsonPath("$.outcome").isEqualTo("HANDLED");
        // Meanwhile the operator's account was restricted again; the replay must not re-apply anything.
        stripeHasTheAccount(false);
        stripeEvents.deliver(payload).expectStatus().isOk().expectBody().jsonPath("$.outcome").isEqualTo("DUPLICATE");

        assertThat(reads()).isEqualTo(1);
        assertThat(fixtures.count("stripe_event")).isEqualTo(1);
        assertThat(stored()).startsWith("true");
    }

    @Test
    void aBadOrMissingSignatureIsRefusedWith400AndChangesNothing() {
        stripeHasTheAccount(true);
        String payload = accountUpdated("evt_forged_1", true);
        String before = stored();

        stripeEvents.deliver(payload, null).expectStatus().isBadRequest();
        stripeEvents.deliver(payload, StripeEventSender.signature("whsec_guessed", payload, Instant.now())).expectStatus().isBadRequest();
        stripeEvents.deliver(payload.replace("evt_forged_1", "evt_forged_2"),
                StripeEventSender.signature(StripeMock.WEBHOOK_SECRET, payload, Instant.now())).expectStatus().isBadRequest();
        stripeEvents.deliver(payload, StripeEventSender.signature(StripeMock.WEBHOOK_SECRET, payload, Instant.now().minusSeconds(600)))
                .expectStatus().isBadRequest();
        stripeEvents.deliver(payload, "t=1,v1=00").expectStatus().isBadRequest();

        assertThat(fixtures.count("stripe_event")).isZero();
        assertThat(stored()).isEqualTo(before);
        assertThat(StripeMock.SERVER.getAllServeEvents()).isEmpty();
    }

    @Test
    void eventsOfAnotherApiVersionAreRefused() {
        String payload = accountUpdated("evt_old_version", true).replace(io.nomadstays.payments.StripeApiVersion.PINNED, "2024-06-20");
        stripeEvents.deliver(payload).expectStatus().isBadRequest();
        assertThat(fixtures.count("stripe_event")).isZero();
    }

    @Test
    void unknownTypesAndOtherPlatformsAccountsAreAcknowledgedAndRecorded() {
        String plan = StripeMock.event("evt_plan_1", "plan.created", StripeMock.fixture("plan"), null, Instant.now());
        stripeEvents.deliver(plan).expectStatus().isOk().expectBody().jsonPath("$.outcome").isEqualTo("IGNORED");
        assertThat(outcome("evt_plan_1")).isEqualTo("IGNORED");

        String stranger = StripeMock.event("evt_stranger_1", "account.updated",
                StripeMock.account("acct_1NotOurs", true, true, true, List.of()), "acct_1NotOurs", Instant.now());
        stripeEvents.deliver(stranger).expectStatus().isOk().expectBody().jsonPath("$.outcome").isEqualTo("IGNORED");
        assertThat(StripeMock.SERVER.getAllServeEvents()).isEmpty();
    }

    @Test
    void whenStripeCannotBeReadBackTheEventIsLeftForStripesRetry() {
        StripeMock.SERVER.stubFor(get(urlEqualTo("/v1/accounts/" + ACCOUNT)).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody(StripeMock.error("api_error", "down"))));
        String payload = accountUpdated("evt_retry_1", true);

        stripeEvents.deliver(payload).expectStatus().isEqualTo(503);
        assertThat(fixtures.count("stripe_event")).isZero();
        assertThat(stored()).startsWith("false");

        stripeHasTheAccount(true);
        stripeEvents.deliver(payload).expectStatus().isOk().expectBody().jsonPath("$.outcome").isEqualTo("HANDLED");
        assertThat(stored()).startsWith("true");
    }
}
