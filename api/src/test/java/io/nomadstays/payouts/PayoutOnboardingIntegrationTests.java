package io.nomadstays.payouts;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.nomadstays.payments.StripeApiVersion;
import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import io.nomadstays.support.StripeMock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * startPayoutOnboarding against a WireMock Stripe built from Stripe's sample objects: what we send
 * (form parameters, idempotency keys), what we keep, who may do it, and Stripe down or slow.
 */
class PayoutOnboardingIntegrationTests extends IntegrationTest {

    static final String START = """
            mutation($input: StartPayoutOnboardingInput!) { startPayoutOnboarding(input: $input) {
              onboardingUrl expiresAt
              account { stripeAccountId chargesEnabled payoutsEnabled detailsSubmitted requirementsDue disabledReason }
              userErrors { field code message } } }""";
    static final String ACCOUNT = "acct_1NomadTest0001";
    static final String LINK = "https://connect.stripe.com/setup/e/" + ACCOUNT + "/q1w2e3";
    static final Instant LINK_EXPIRES = Instant.now().plus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

    Fixtures.Ref operator;
    String owner;

    @BeforeEach
    void anOperatorWithoutStripe() {
        StripeMock.reset();
        operator = fixtures.operator("canggu-surf-work", false);
        owner = fixtures.staff(operator, "OWNER");
    }

    static void stripeCreatesTheAccount() {
        StripeMock.SERVER.stubFor(WireMock.post(urlEqualTo("/v1/accounts")).willReturn(okJson(StripeMock.json(
                StripeMock.account(ACCOUNT, false, false, false, List.of("external_account", "tos_acceptance.date"))))));
    }

    static void stripeCreatesLinks() {
        StripeMock.SERVER.stubFor(WireMock.post(urlEqualTo("/v1/account_links"))
                .willReturn(okJson(StripeMock.json(StripeMock.accountLink(LINK, LINK_EXPIRES)))));
    }

    Map<String, Object> input(String clientKey) {
        Map<String, Object> input = new HashMap<>(Map.of("operatorId", operator.id(), "returnUrl", "https://app.nomadstays.io/payouts/done",
                "refreshUrl", "http://localhost:3000/payouts/again"));
        if (clientKey != null) {
            input.put("idempotencyKey", clientKey);
        }
        return input;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> start(String subject, Map<String, Object> input) {
        Map<String, Object> response = post(subject, START, Map.of("input", input));
        assertThat(response.get("errors")).as("errors of %s", response).isNull();
        return (Map<String, Object>) ((Map<String, Object>) response.get("data")).get("startPayoutOnboarding");
    }

    static List<LoggedRequest> requests(String path) {
        return StripeMock.SERVER.findAll(postRequestedFor(urlEqualTo(path)));
    }

    static String code(Map<String, Object> payload) {
        @SuppressWarnings("unchecked")
        var errors = (List<Map<String, Object>>) payload.get("userErrors");
        return errors.isEmpty() ? null : (String) errors.get(0).get("code");
    }

    @Test
    void theOwnerGetsAnExpressAccountOnceAndAFreshOnboardingLinkEachTime() {
        stripeCreatesTheAccount();
        stripeCreatesLinks();

        Map<String, Object> first = start(owner, input(null));

        assertThat(first.get("userErrors")).asList().isEmpty();
        assertThat(first.get("onboardingUrl")).isEqualTo(LINK);
        assertThat(first.get("expiresAt")).isEqualTo(LINK_EXPIRES.toString());
        assertThat(first.get("account")).isEqualTo(Map.of("stripeAccountId", ACCOUNT, "chargesEnabled", false, "payoutsEnabled", false,
                "detailsSubmitted", false, "requirementsDue", List.of("external_account", "tos_acceptance.date"),
                "disabledReason", "requirements.past_due"));
        assertThat(db.sql("SELECT stripe_account_id, charges_enabled FROM payout_account WHERE operator_id = :op")
                .bind("op", operator.uuid()).map(row -> row.get(0, String.class) + " " + row.get(1, Boolean.class)).one().block())
                .isEqualTo(ACCOUNT + " false");

        // What Stripe was asked: an Express account for this operator, under the operator's idempotency key.
        List<LoggedRequest> creates = requests("/v1/accounts");
        assertThat(creates).hasSize(1);
        LoggedRequest create = creates.get(0);
        assertThat(create.getHeader("Authorization")).isEqualTo("Bearer " + StripeMock.SECRET_KEY);
        assertThat(create.getHeader("Stripe-Version")).isEqualTo(StripeApiVersion.PINNED);
        assertThat(create.getHeader("Idempotency-Key")).isEqualTo("nomad:operator:" + operator.uuid() + ":create-account:1");
        assertThat(StripeMock.form(create)).containsEntry("type", "express")
                .containsEntry("capabilities[card_payments][requested]", "true")
                .containsEntry("capabilities[transfers][requested]", "true")
                // Manual payouts: the money stays in the account's balance until the payout job releases it after check-in.
                .containsEntry("settings[payouts][schedule][interval]", "manual")
                .containsEntry("metadata[operator_id]", operator.uuid().toString())
                .containsEntry("metadata[operator_slug]", "canggu-surf-work");
        LoggedRequest link = requests("/v1/account_links").get(0);
        assertThat(StripeMock.form(link)).containsEntry("account", ACCOUNT).containsEntry("type", "account_onboarding")
                .containsEntry("return_url", "https://app.nomadstays.io/payouts/done")
                .containsEntry("refresh_url", "http://localhost:3000/payouts/again");
        assertThat(link.getHeader("Idempotency-Key")).startsWith("nomad:operator:" + operator.uuid() + ":onboarding-link:");

        // Again: no second account, a new link (a new attempt, so a new key).
        Map<String, Object> second = start(owner, input(null));
        assertThat(second.get("onboardingUrl")).isEqualTo(LINK);
        assertThat(requests("/v1/accounts")).hasSize(1);
        List<LoggedRequest> links = requests("/v1/account_links");
        assertThat(links).hasSize(2);
        assertThat(links.get(1).getHeader("Idempotency-Key")).isNotEqualTo(links.get(0).getHeader("Idempotency-Key"));
        assertThat(fixtures.count("payout_account")).isEqualTo(1);

        // A client retrying one request with its idempotencyKey sends Stripe the same key twice.
        start(owner, input("retry-me"));
        start(owner, input("retry-me"));
        links = requests("/v1/account_links");
        assertThat(links).hasSize(4);
        assertThat(links.get(3).getHeader("Idempotency-Key")).isEqualTo(links.get(2).getHeader("Idempotency-Key"));
    }

    @Test
    void stripeDownOrSlowAnswersARetryableErrorAndKeepsNothing() {
        var failures = Map.of(
                "500", aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody(StripeMock.error("api_error", "Something went wrong on Stripe's end.")),
                "429", aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withBody(StripeMock.error("rate_limit_error", "Too many requests hit the API too quickly.")),
                // Beyond the 5 s read timeout the tests configure.
                "timeout", okJson(StripeMock.json(StripeMock.account(ACCOUNT, false, false, false, List.of()))).withFixedDelay(7000));
        for (var failure : failures.entrySet()) {
            StripeMock.reset();
            StripeMock.SERVER.stubFor(WireMock.post(urlEqualTo("/v1/accounts")).willReturn(failure.getValue()));
            stripeCreatesLinks();

            Map<String, Object> payload = start(owner, input(null));

            assertThat(code(payload)).as(failure.getKey()).isEqualTo("PAYMENT_PROVIDER_UNAVAILABLE");
            assertThat(payload.get("onboardingUrl")).as(failure.getKey()).isNull();
            assertThat(fixtures.count("payout_account")).as(failure.getKey()).isZero();
            assertThat(requests("/v1/account_links")).as(failure.getKey()).isEmpty();
        }

        // Stripe is back: the retry sends the same key, so an account Stripe made before timing out is the one we get.
        StripeMock.reset();
        stripeCreatesTheAccount();
        stripeCreatesLinks();
        assertThat(start(owner, input(null)).get("onboardingUrl")).isEqualTo(LINK);
        assertThat(requests("/v1/accounts")).singleElement().extracting(r -> r.getHeader("Idempotency-Key"))
                .isEqualTo("nomad:operator:" + operator.uuid() + ":create-account:1");
        assertThat(fixtures.count("payout_account")).isEqualTo(1);
    }

    @Test
    void anAccountMadeWhoseLinkFailedIsKeptAndReused() {
        stripeCreatesTheAccount();
        StripeMock.SERVER.stubFor(WireMock.post(urlEqualTo("/v1/account_links")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody(StripeMock.error("api_error", "unavailable"))));

        assertThat(code(start(owner, input(null)))).isEqualTo("PAYMENT_PROVIDER_UNAVAILABLE");
        assertThat(fixtures.count("payout_account")).isEqualTo(1);

        stripeCreatesLinks();
        assertThat(start(owner, input(null)).get("onboardingUrl")).isEqualTo(LINK);
        assertThat(requests("/v1/accounts")).hasSize(1);
    }

    @Test
    void onlyTheOperatorsOwnerMayStartItAndNobodyElseReachesStripe() {
        String manager = fixtures.staff(operator, "MANAGER");
        String viewer = fixtures.staff(operator, "VIEWER");
        var rival = fixtures.operator("rival-coliving", false);
        String rivalOwner = fixtures.staff(rival, "OWNER");
        fixtures.user("test:nomad");

        assertThat(code(start(manager, input(null)))).isEqualTo("FORBIDDEN");
        assertThat(code(start(viewer, input(null)))).isEqualTo("FORBIDDEN");
        assertThat(code(start(rivalOwner, input(null)))).isEqualTo("NOT_FOUND");
        assertThat(code(start("test:nomad", input(null)))).isEqualTo("NOT_FOUND");
        assertThat(code(start(null, input(null)))).isEqualTo("UNAUTHENTICATED");
        assertThat(StripeMock.SERVER.getAllServeEvents()).isEmpty();
        assertThat(fixtures.count("payout_account")).isZero();
    }

    @Test
    void urlsMustBeHttpsOrLocalhost() {
        Map<String, Object> input = input(null);
        input.put("returnUrl", "http://app.nomadstays.io/done");
        input.put("refreshUrl", "javascript:alert(1)");
        Map<String, Object> payload = start(owner, input);
        assertThat(payload.get("userErrors").toString()).contains("field=[input, returnUrl], code=INVALID_FORMAT")
                .contains("field=[input, refreshUrl], code=INVALID_FORMAT");
        assertThat(StripeMock.SERVER.getAllServeEvents()).isEmpty();
    }

    @Test
    void thePayoutAccountIsShownToStaffOnly() {
        fixtures.payoutAccount(operator, ACCOUNT, false);
        String viewer = fixtures.staff(operator, "VIEWER");
        fixtures.user("test:nomad");
        String query = "{ operator(slug: \"canggu-surf-work\") { payoutAccount { stripeAccountId chargesEnabled requirementsDue } } }";

        as(viewer).document(query).execute()
                .path("operator.payoutAccount.stripeAccountId").entity(String.class).isEqualTo(ACCOUNT)
                .path("operator.payoutAccount.requirementsDue").entityList(String.class).containsExactly("external_account");
        as("test:nomad").document(query).execute().path("operator.payoutAccount").valueIsNull();
        anonymous().document(query).execute().path("operator.payoutAccount").valueIsNull();
    }

    @Test
    void anAccountThatCanTakeChargesFromTheStartHasTheOperatorsUnitsReindexed() {
        Fixtures.Ref house = fixtures.property(operator, "Surf House");
        fixtures.property(operator, "Work Loft");
        stripeCreatesLinks();
        // The usual case: a new account cannot take charges yet, so search has nothing to change.
        stripeCreatesTheAccount();
        assertThat(start(owner, input(null)).get("userErrors")).asList().isEmpty();
        assertThat(fixtures.count("outbox_event WHERE event_type = 'OperatorPaymentsChanged'")).isZero();

        // An account Stripe reports as able to take charges at once (another operator, same test).
        StripeMock.reset();
        stripeCreatesLinks();
        StripeMock.SERVER.stubFor(WireMock.post(urlEqualTo("/v1/accounts")).willReturn(okJson(StripeMock.json(
                StripeMock.account("acct_1ReadyAtOnce", true, true, true, List.of())))));
        operator = fixtures.operator("ready-at-once", false);
        Fixtures.Ref ready = fixtures.property(operator, "Ready House");
        assertThat(start(fixtures.staff(operator, "OWNER"), input(null)).get("userErrors")).asList().isEmpty();
        assertThat(db.sql("SELECT aggregate_id FROM outbox_event WHERE event_type = 'OperatorPaymentsChanged'")
                .map(row -> row.get(0, java.util.UUID.class)).all().collectList().block())
                .containsExactly(ready.uuid()).doesNotContain(house.uuid());
    }
}
