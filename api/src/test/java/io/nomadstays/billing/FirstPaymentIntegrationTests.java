package io.nomadstays.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.nomadstays.support.Fixtures;
import io.nomadstays.support.StripeMock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The first payment at booking, end to end through the fake Stripe and signed webhooks: what we send
 * Stripe (destination charge, commission, saved card, idempotency keys), 3-D Secure, declines,
 * late payments, Stripe failures, retries with the client's key, and requests paid after acceptance.
 */
class FirstPaymentIntegrationTests extends BillingTest {

    static final String CREATE = """
            mutation($input: CreateBookingInput!) { createBooking(input: $input) {
              booking { id status total { amount currency } }
              payment { paymentIntentId status clientSecret amount { amount currency } }
              userErrors { field code message } } }""";
    static final String BOOKING = """
            query($id: ID!) { booking(id: $id) { status
              charges { purpose sequence status amount { amount currency } applicationFee { amount } failureCode failureMessage }
              payments { kind amount { amount currency } stripeObjectId }
              events { from to actor note } } }""";
    static final String PAY = """
            mutation($id: ID!) { payBooking(input: {bookingId: $id}) {
              booking { id status } payment { paymentIntentId status clientSecret amount { amount } } userErrors { field code message } } }""";

    Fixtures.Ref operator;
    Fixtures.Ref room;
    Fixtures.Ref nomad;
    String acct;
    String manager;
    LocalDate in;

    @BeforeEach
    void anOnboardedOperatorWithARoom() {
        StripeMock.reset();
        operator = fixtures.operator("canggu-coliving");
        acct = "acct_" + operator.uuid().toString().replace("-", "");
        room = fixtures.unit(operator, fixtures.property(operator, "Canggu Coliving"), "Room 1", true);
        manager = fixtures.staff(operator, "MANAGER");
        nomad = fixtures.user("test:nomad");
        in = LocalDate.now(ZoneId.of("Asia/Makassar")).plusDays(10);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> book(Map<String, Object> input) {
        return (Map<String, Object>) data("test:nomad", CREATE, Map.of("input", input)).get("createBooking");
    }

    Map<String, Object> stay(int nights) {
        Map<String, Object> input = new HashMap<>();
        input.put("unitId", room.id());
        input.put("checkIn", in.toString());
        input.put("checkOut", in.plusDays(nights).toString());
        return input;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> booking(String subject, String id) {
        return (Map<String, Object>) data(subject, BOOKING, Map.of("id", id)).get("booking");
    }

    List<LoggedRequest> intentsCreated() {
        return StripeMock.SERVER.findAll(postRequestedFor(urlPathEqualTo("/v1/payment_intents")));
    }

    void deliver(String eventId, String type, String intentId) {
        stripeEvents.deliver(StripeMock.event(eventId, type, StripeMock.FAKE.object(intentId), null, Instant.now())).expectStatus().isOk();
    }

    @Test
    void aBookingIsChargedToTheOperatorWithTheCommissionAndConfirmedByTheWebhook() {
        Map<String, Object> payload = book(stay(3));
        assertThat(at(payload, "userErrors").toString()).isEqualTo("[]");
        String bookingId = at(payload, "booking", "id");
        assertThat((String) at(payload, "booking", "status")).isEqualTo("HELD");
        String pi = at(payload, "payment", "paymentIntentId");
        assertThat((String) at(payload, "payment", "status")).isEqualTo("REQUIRES_PAYMENT_METHOD");
        assertThat((String) at(payload, "payment", "clientSecret")).startsWith(pi + "_secret_");
        assertThat(((Number) at(payload, "payment", "amount", "amount")).longValue()).isEqualTo(7500);

        // What Stripe was asked: a destination charge of the whole (short) stay with 10% commission, the card kept.
        List<LoggedRequest> created = intentsCreated();
        assertThat(created).hasSize(1);
        Map<String, String> form = StripeMock.form(created.get(0));
        assertThat(form).containsEntry("amount", "7500").containsEntry("currency", "usd")
                .containsEntry("transfer_data[destination]", acct).containsEntry("application_fee_amount", "750")
                .containsEntry("setup_future_usage", "off_session").containsEntry("automatic_payment_methods[enabled]", "true")
                .containsEntry("metadata[booking_id]", uuid(bookingId).toString()).containsEntry("metadata[purpose]", "first_payment");
        assertThat(form.get("customer")).startsWith("cus_");
        assertThat(form).doesNotContainKeys("confirm", "off_session", "payment_method");
        assertThat(created.get(0).getHeader("Idempotency-Key")).isEqualTo("nomad:booking:" + uuid(bookingId) + ":first-payment:1");
        assertThat(StripeMock.form(StripeMock.SERVER.findAll(postRequestedFor(urlPathEqualTo("/v1/customers"))).get(0)))
                .containsEntry("metadata[user_id]", nomad.uuid().toString());

        // Stripe.js confirms in the browser; Stripe tells us.
        StripeMock.FAKE.succeed(pi, "pm_card_visa");
        deliver("evt_paid_1", "payment_intent.succeeded", pi);

        Map<String, Object> staffView = booking(manager, bookingId);
        assertThat((String) staffView.get("status")).isEqualTo("CONFIRMED");
        assertThat(staffView.get("charges").toString()).contains("purpose=FIRST_PAYMENT", "status=SUCCEEDED", "amount=7500", "applicationFee={amount=750}");
        assertThat(staffView.get("payments").toString()).contains("kind=CHARGE, amount={amount=7500, currency=USD}",
                "kind=APPLICATION_FEE, amount={amount=-750, currency=USD}");
        assertThat(db.sql("SELECT payment_method_id FROM booking WHERE id = :id").bind("id", uuid(bookingId))
                .map(row -> row.get("payment_method_id", String.class)).one().block()).isEqualTo("pm_card_visa");
        // The nomad sees the charge but not the commission.
        Map<String, Object> guestView = booking("test:nomad", bookingId);
        assertThat(guestView.get("payments").toString()).contains("kind=CHARGE").doesNotContain("APPLICATION_FEE");
        assertThat(guestView.get("charges").toString()).contains("applicationFee=null");

        // The same event again, and another event about the same intent: nothing is recorded twice.
        deliver("evt_paid_1", "payment_intent.succeeded", pi);
        deliver("evt_paid_2", "payment_intent.succeeded", pi);
        assertThat(fixtures.count("ledger_entry")).isEqualTo(2);
        assertThat(booking(manager, bookingId).get("events").toString()).containsOnlyOnce("first payment received");
    }

    @Test
    void aLongStayPaysItsFirstMonthAtBooking() {
        Map<String, Object> payload = book(stay(90));
        // 90 nights: two whole months and a part of the third; a whole month pays its share, not the whole stay.
        long total = ((Number) at(payload, "booking", "total", "amount")).longValue();
        LocalDate out = in.plusDays(90);
        double third = (double) java.time.temporal.ChronoUnit.DAYS.between(in.plusMonths(2), out)
                / java.time.temporal.ChronoUnit.DAYS.between(in.plusMonths(2), in.plusMonths(3));
        long expected = (long) Math.floor(total / (2 + third));
        long first = ((Number) at(payload, "payment", "amount", "amount")).longValue();
        assertThat(first).isCloseTo(expected, org.assertj.core.data.Offset.offset(1L)).isLessThan(total);
        assertThat(StripeMock.form(intentsCreated().get(0))).containsEntry("amount", String.valueOf(first))
                .containsEntry("application_fee_amount", String.valueOf(RentSchedule.commission(first, 1000)));
    }

    @Test
    void threeDSecureKeepsTheBookingHeldUntilThePaymentSucceeds() {
        Map<String, Object> payload = book(stay(3));
        String bookingId = at(payload, "booking", "id");
        String pi = at(payload, "payment", "paymentIntentId");

        StripeMock.FAKE.requireAction(pi);
        deliver("evt_3ds_1", "payment_intent.requires_action", pi);
        Map<String, Object> held = booking("test:nomad", bookingId);
        assertThat((String) held.get("status")).isEqualTo("HELD");
        assertThat(held.get("charges").toString()).contains("status=REQUIRES_ACTION");
        // The nomad reloads the page: payBooking answers the same intent with its client secret for Stripe.js.
        Map<String, Object> again = at(data("test:nomad", PAY, Map.of("id", bookingId)), "payBooking");
        assertThat((String) at(again, "payment", "paymentIntentId")).isEqualTo(pi);
        assertThat((String) at(again, "payment", "status")).isEqualTo("REQUIRES_ACTION");
        assertThat((String) at(again, "payment", "clientSecret")).startsWith(pi + "_secret_");
        assertThat(intentsCreated()).hasSize(1);

        StripeMock.FAKE.succeed(pi, "pm_card_threeDSecure2Required");
        deliver("evt_3ds_2", "payment_intent.succeeded", pi);
        assertThat((String) booking("test:nomad", bookingId).get("status")).isEqualTo("CONFIRMED");
    }

    @Test
    void aDeclinedCardIsShownAndTheDatesStayHeldForAnotherTry() {
        Map<String, Object> payload = book(stay(3));
        String bookingId = at(payload, "booking", "id");
        String pi = at(payload, "payment", "paymentIntentId");

        StripeMock.FAKE.decline(pi, "card_declined", "Your card was declined.");
        deliver("evt_declined_1", "payment_intent.payment_failed", pi);
        Map<String, Object> view = booking("test:nomad", bookingId);
        assertThat((String) view.get("status")).isEqualTo("HELD");
        assertThat(view.get("charges").toString()).contains("status=REQUIRES_PAYMENT_METHOD", "failureCode=card_declined",
                "failureMessage=Your card was declined.");
        assertThat(view.get("events").toString()).contains("payment failed (card_declined)");
        assertThat(view.get("payments").toString()).isEqualTo("[]");

        // Another card in the same intent succeeds.
        StripeMock.FAKE.succeed(pi, "pm_card_mastercard");
        deliver("evt_declined_2", "payment_intent.succeeded", pi);
        assertThat((String) booking("test:nomad", bookingId).get("status")).isEqualTo("CONFIRMED");
    }

    @Test
    void aPaymentAfterTheHoldExpiredIsRefundedInFull() {
        Map<String, Object> payload = book(stay(3));
        String bookingId = at(payload, "booking", "id");
        String pi = at(payload, "payment", "paymentIntentId");
        db.sql("UPDATE booking SET hold_expires_at = now() - interval '1 second' WHERE id = :id").bind("id", uuid(bookingId)).then().block();

        StripeMock.FAKE.succeed(pi, "pm_card_visa");
        deliver("evt_late_1", "payment_intent.succeeded", pi);

        List<LoggedRequest> refunds = StripeMock.SERVER.findAll(postRequestedFor(urlPathEqualTo("/v1/refunds")));
        assertThat(refunds).hasSize(1);
        assertThat(StripeMock.form(refunds.get(0))).containsEntry("payment_intent", pi).containsEntry("amount", "7500")
                .containsEntry("reverse_transfer", "true").containsEntry("refund_application_fee", "true");
        assertThat(refunds.get(0).getHeader("Idempotency-Key")).isEqualTo("nomad:booking:" + uuid(bookingId) + ":refund-unconfirmed:1");
        Map<String, Object> view = booking(manager, bookingId);
        assertThat((String) view.get("status")).isNotEqualTo("CONFIRMED");
        assertThat(view.get("payments").toString()).contains("kind=CHARGE, amount={amount=7500", "kind=REFUND, amount={amount=-7500",
                "kind=APPLICATION_FEE, amount={amount=-750", "kind=FEE_REFUND, amount={amount=750");
        assertThat(view.get("events").toString()).contains("refunded in full");

        deliver("evt_late_2", "payment_intent.succeeded", pi);
        assertThat(StripeMock.SERVER.findAll(postRequestedFor(urlPathEqualTo("/v1/refunds")))).hasSize(2); // same key: Stripe answers the first refund
        assertThat(fixtures.count("ledger_entry")).isEqualTo(4);
    }

    @Test
    void anIntentOfAnExpiredHoldIsCancelledWhenStripeNextTellsUsAboutIt() {
        Map<String, Object> payload = book(stay(3));
        String bookingId = at(payload, "booking", "id");
        String pi = at(payload, "payment", "paymentIntentId");
        db.sql("UPDATE booking SET hold_expires_at = now() - interval '1 second' WHERE id = :id").bind("id", uuid(bookingId)).then().block();

        StripeMock.FAKE.requireAction(pi);
        deliver("evt_expired_1", "payment_intent.requires_action", pi);
        assertThat(StripeMock.FAKE.object(pi).get("status").asText()).isEqualTo("canceled");
        assertThat(booking("test:nomad", bookingId).get("charges").toString()).contains("status=CANCELED");
        assertThat(StripeMock.SERVER.findAll(postRequestedFor(urlPathEqualTo("/v1/payment_intents/" + pi + "/cancel"))).get(0)
                .getHeader("Idempotency-Key")).isEqualTo("nomad:booking:" + uuid(bookingId) + ":cancel-first-payment:1");
    }

    @Test
    void stripeDownLeavesNothingBehindAndARetryWithTheSameKeyBooksOnce() {
        StripeMock.SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/v1/payment_intents")).atPriority(1)
                .willReturn(aResponse().withStatus(500).withBody(StripeMock.error("api_error", "Something went wrong on Stripe's end."))));
        Map<String, Object> input = stay(3);
        input.put("idempotencyKey", "checkout-7f3a");
        Map<String, Object> failed = book(input);
        assertThat((Object) at(failed, "booking")).isNull();
        assertThat(at(failed, "userErrors").toString()).contains("code=PAYMENT_PROVIDER_UNAVAILABLE", "nothing was booked or charged");
        assertThat(fixtures.count("booking")).isZero();
        assertThat(fixtures.count("payment")).isZero();
        assertThat(fixtures.count("unit_calendar")).isZero();

        // Stripe is back; the client retries with its key, then retries again (a lost response).
        StripeMock.reset();
        Map<String, Object> first = book(input);
        Map<String, Object> second = book(input);
        assertThat((String) at(second, "booking", "id")).isEqualTo(at(first, "booking", "id"));
        assertThat((String) at(second, "payment", "paymentIntentId")).isEqualTo(at(first, "payment", "paymentIntentId"));
        assertThat((String) at(second, "payment", "clientSecret")).isEqualTo(at(first, "payment", "clientSecret"));
        assertThat(intentsCreated()).hasSize(1);
        assertThat(fixtures.count("booking")).isEqualTo(1);
        assertThat(fixtures.count("payment")).isEqualTo(1);
    }

    @Test
    void aSlowStripeTimesOutIntoARetryableError() {
        StripeMock.SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/v1/payment_intents")).atPriority(1)
                .willReturn(aResponse().withFixedDelay(6_000).withStatus(200).withBody("{}")));
        Map<String, Object> failed = book(stay(3));
        assertThat(at(failed, "userErrors").toString()).contains("code=PAYMENT_PROVIDER_UNAVAILABLE");
        assertThat(fixtures.count("booking")).isZero();
        assertThat(fixtures.count("unit_calendar")).isZero();
    }

    @Test
    void datesTakenMeanwhileCancelTheStartedIntent() {
        assertThat(at(book(stay(3)), "userErrors").toString()).isEqualTo("[]");
        fixtures.user("test:other-nomad");
        Map<String, Object> second = at(data("test:other-nomad", CREATE, Map.of("input", stay(3))), "createBooking");
        assertThat(at(second, "userErrors").toString()).contains("code=UNAVAILABLE");
        assertThat(intentsCreated()).hasSize(2);
        String abandoned = StripeMock.FAKE.object(idOfIntent(intentsCreated().get(1))).get("status").asText();
        assertThat(abandoned).isEqualTo("canceled");
        assertThat(fixtures.count("payment")).isEqualTo(1);
    }

    private static String idOfIntent(LoggedRequest created) {
        // The fake derives an intent's id from its idempotency key, as Stripe returns the same object for the same key.
        List<LoggedRequest> cancels = StripeMock.SERVER.findAll(postRequestedFor(urlPathMatching("/v1/payment_intents/.+/cancel")));
        assertThat(cancels).hasSize(1);
        assertThat(cancels.get(0).getHeader("Idempotency-Key")).contains(":cancel-first-payment:1");
        return cancels.get(0).getUrl().split("/")[3];
    }

    @Test
    void aRequestIsPaidOnceAcceptedAndOnlyByItsGuest() {
        data(manager, """
                mutation($id: ID!) { setBookingRules(input: {unitId: $id, bookingMode: REQUEST}) { userErrors { code } } }""", Map.of("id", room.id()));
        Map<String, Object> payload = book(stay(3));
        String bookingId = at(payload, "booking", "id");
        assertThat((String) at(payload, "booking", "status")).isEqualTo("REQUESTED");
        assertThat((Object) at(payload, "payment")).isNull();
        assertThat(intentsCreated()).isEmpty();
        assertThat(at(data("test:nomad", PAY, Map.of("id", bookingId)), "payBooking", "userErrors").toString()).contains("code=INVALID_STATE");

        data(manager, "mutation($id: ID!) { acceptBooking(input: {bookingId: $id}) { userErrors { code } } }", Map.of("id", bookingId));
        assertThat(at(data(manager, PAY, Map.of("id", bookingId)), "payBooking", "userErrors").toString()).contains("code=FORBIDDEN");
        Map<String, Object> paid = at(data("test:nomad", PAY, Map.of("id", bookingId)), "payBooking");
        String pi = at(paid, "payment", "paymentIntentId");
        assertThat((String) at(paid, "payment", "clientSecret")).startsWith(pi);
        StripeMock.FAKE.succeed(pi, "pm_card_visa");
        deliver("evt_request_paid", "payment_intent.succeeded", pi);
        assertThat((String) booking("test:nomad", bookingId).get("status")).isEqualTo("CONFIRMED");

        // Another operator's staff cannot see or pay it.
        Fixtures.Ref other = fixtures.operator("other-coliving");
        String stranger = fixtures.staff(other, "MANAGER");
        assertThat(at(data(stranger, PAY, Map.of("id", bookingId)), "payBooking", "userErrors").toString()).contains("code=NOT_FOUND");
    }

    @Test
    void eventsForIntentsThatAreNotOursAreAcknowledged() {
        var intent = StripeMock.fixture("payment_intent");
        intent.put("id", "pi_NotOurs123");
        stripeEvents.deliver(StripeMock.event("evt_not_ours", "payment_intent.succeeded", intent, null, Instant.now()))
                .expectStatus().isOk().expectBody().jsonPath("$.outcome").isEqualTo("IGNORED");
    }
}
