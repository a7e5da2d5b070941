package io.nomadstays.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.nomadstays.shared.Money;
import io.nomadstays.support.Fixtures;
import io.nomadstays.support.StripeMock;
import io.nomadstays.unit.Quote;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Monthly rent end to end through the fake Stripe and signed webhooks: the months scheduled when
 * the first payment succeeds, the job charging a due month off-session (what Stripe is sent), a
 * declined month making the booking past due until the nomad pays it, retries, Stripe failing
 * during the job, and rent stopping on cancellation and early move-out.
 */
class RentIntegrationTests extends BillingTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Makassar");
    static final String CREATE = """
            mutation($input: CreateBookingInput!) { createBooking(input: $input) {
              booking { id status total { amount currency } }
              payment { paymentIntentId status clientSecret amount { amount currency } }
              userErrors { field code message } } }""";
    static final String BOOKING = """
            query($id: ID!) { booking(id: $id) { status checkOut pastDue
              rent { sequence from to dueOn amount { amount currency } status attempts nextAttemptAt paidAt failureCode failureMessage }
              payments { kind amount { amount currency } stripeObjectId note }
              events { from to actor note } } }""";
    static final String PAY_RENT = """
            mutation($id: ID!) { payRent(input: {bookingId: $id}) {
              booking { id pastDue } payment { paymentIntentId status clientSecret amount { amount currency } } userErrors { field code message } } }""";
    static final String MOVE_OUT = """
            mutation($id: ID!, $date: Date!) { moveOutEarly(input: {bookingId: $id, moveOutDate: $date}) {
              booking { id checkOut rent { sequence status } } userErrors { field code message } } }""";

    @Autowired
    RentJobs job;

    Fixtures.Ref operator;
    Fixtures.Ref room;
    String acct;
    String manager;
    LocalDate in;

    @BeforeEach
    void anOnboardedOperatorWithARoom() {
        StripeMock.reset();
        operator = fixtures.operator("lisbon-coliving");
        acct = "acct_" + operator.uuid().toString().replace("-", "");
        room = fixtures.unit(operator, fixtures.property(operator, "Lisbon Coliving"), "Room 1", true);
        manager = fixtures.staff(operator, "MANAGER");
        fixtures.user("test:nomad");
        in = LocalDate.now(ZONE).plusDays(10);
    }

    // ---- helpers ----

    static long amount(Object money) {
        return ((Number) at(asMap(money), "amount")).longValue();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    record Paid(String id, UUID uuid, long total, long first, String firstIntent) {
    }

    /** A three-month stay, booked and paid (CONFIRMED, card saved). */
    Paid paidStay(int months) {
        Map<String, Object> payload = at(data("test:nomad", CREATE, Map.of("input", Map.of("unitId", room.id(), "checkIn", in.toString(),
                "checkOut", in.plusMonths(months).toString()))), "createBooking");
        assertThat(at(payload, "userErrors").toString()).isEqualTo("[]");
        String id = at(payload, "booking", "id");
        String pi = at(payload, "payment", "paymentIntentId");
        StripeMock.FAKE.succeed(pi, "pm_card_visa");
        deliver("evt_first_" + pi, pi);
        assertThat((String) booking("test:nomad", id).get("status")).isEqualTo("CONFIRMED");
        return new Paid(id, uuid(id), amount(at(payload, "booking", "total")), amount(at(payload, "payment", "amount")), pi);
    }

    void deliver(String eventId, String intentId) {
        stripeEvents.deliver(StripeMock.event(eventId, "payment_intent.succeeded", StripeMock.FAKE.object(intentId), null, Instant.now()))
                .expectStatus().isOk();
    }

    Map<String, Object> booking(String subject, String id) {
        return at(data(subject, BOOKING, Map.of("id", id)), "booking");
    }

    List<Map<String, Object>> rent(String subject, String id) {
        return at(booking(subject, id), "rent");
    }

    /** Moves a month's due date to today in the property's zone (the job charges it now). */
    void dueToday(UUID booking, int sequence) {
        db.sql("UPDATE rent_instalment SET due_on = (now() AT TIME ZONE 'Asia/Makassar')::date WHERE booking_id = :b AND sequence = :s")
                .bind("b", booking).bind("s", sequence).then().block();
    }

    String status(UUID booking, int sequence) {
        return db.sql("SELECT status FROM rent_instalment WHERE booking_id = :b AND sequence = :s").bind("b", booking).bind("s", sequence)
                .map(row -> row.get("status", String.class)).one().block();
    }

    List<LoggedRequest> intentsCreated() {
        return StripeMock.SERVER.findAll(postRequestedFor(urlPathEqualTo("/v1/payment_intents")));
    }

    void runJob() {
        job.runOnce().block(Duration.ofSeconds(30));
    }

    long ledgerRows(UUID booking) {
        return db.sql("SELECT count(*) AS n FROM ledger_entry WHERE booking_id = :b").bind("b", booking)
                .map(row -> row.get("n", Long.class)).one().block();
    }

    // ---- tests ----

    @Test
    void aLongStayPaidAtBookingSchedulesItsFollowingMonthsAnchoredOnMoveIn() {
        db.sql("UPDATE unit_pricing SET cleaning_fee = 5000 WHERE unit_id = :u").bind("u", room.uuid()).then().block();
        Paid stay = paidStay(3);

        List<Map<String, Object>> months = rent("test:nomad", stay.id());
        assertThat(months).hasSize(2);
        assertThat(months.get(0)).containsEntry("sequence", 2).containsEntry("from", in.plusMonths(1).toString())
                .containsEntry("to", in.plusMonths(2).toString()).containsEntry("dueOn", in.plusMonths(1).toString())
                .containsEntry("status", "SCHEDULED").containsEntry("attempts", 0);
        assertThat(months.get(1)).containsEntry("sequence", 3).containsEntry("dueOn", in.plusMonths(2).toString())
                .containsEntry("to", in.plusMonths(3).toString());
        // The months RentSchedule makes of this stay (its own tests pin the split): the first paid at booking with the
        // cleaning fee, the others scheduled; together the booking's total to the cent.
        Quote quote = new Quote(in, in.plusMonths(3), (int) ChronoUnit.DAYS.between(in, in.plusMonths(3)),
                List.of(new Quote.Line(Quote.Kind.RENT, "rent", Money.of(stay.total() - 5000, "USD")),
                        new Quote.Line(Quote.Kind.CLEANING_FEE, "cleaning", Money.of(5000, "USD"))),
                Money.of(stay.total(), "USD"), Money.of(30000, "USD"), null, null);
        List<RentSchedule.Instalment> parts = RentSchedule.split(stay.total(), quote, in, in.plusMonths(3), false);
        assertThat(parts).hasSize(3);
        assertThat(stay.first()).isEqualTo(parts.get(0).amount()).isGreaterThan(5000);
        assertThat(amount(months.get(0).get("amount"))).isEqualTo(parts.get(1).amount()).isPositive();
        assertThat(amount(months.get(1).get("amount"))).isEqualTo(parts.get(2).amount()).isPositive();
        assertThat(stay.first() + amount(months.get(0).get("amount")) + amount(months.get(1).get("amount"))).isEqualTo(stay.total());
        assertThat((Boolean) booking(manager, stay.id()).get("pastDue")).isFalse();
        assertThat(rent(manager, stay.id())).hasSize(2);

        // The first payment's webhook again: no month scheduled twice.
        deliver("evt_first_again", stay.firstIntent());
        assertThat(fixtures.count("rent_instalment")).isEqualTo(2);

        // Nothing is due yet: the job charges nothing.
        StripeMock.SERVER.resetRequests();
        runJob();
        assertThat(intentsCreated()).isEmpty();
    }

    @Test
    void theJobChargesAMonthWhenDueOffSessionToTheOperatorWithTheCommission() {
        Paid stay = paidStay(3);
        long month2 = amount(rent("test:nomad", stay.id()).get(0).get("amount"));
        dueToday(stay.uuid(), 2);
        StripeMock.SERVER.resetRequests();

        runJob();

        List<LoggedRequest> created = intentsCreated();
        assertThat(created).hasSize(1);
        Map<String, String> form = StripeMock.form(created.get(0));
        long fee = RentSchedule.commission(month2, 1000);
        assertThat(form).containsEntry("amount", String.valueOf(month2)).containsEntry("currency", "usd")
                .containsEntry("payment_method", "pm_card_visa").containsEntry("off_session", "true").containsEntry("confirm", "true")
                .containsEntry("transfer_data[destination]", acct).containsEntry("application_fee_amount", String.valueOf(fee))
                .containsEntry("metadata[booking_id]", stay.uuid().toString()).containsEntry("metadata[purpose]", "rent")
                .containsEntry("metadata[sequence]", "2");
        assertThat(form.get("customer")).startsWith("cus_");
        assertThat(form).doesNotContainKey("setup_future_usage");
        assertThat(created.get(0).getHeader("Idempotency-Key")).isEqualTo("nomad:booking:" + stay.uuid() + ":rent-2:1");

        Map<String, Object> view = booking(manager, stay.id());
        List<Map<String, Object>> months = at(view, "rent");
        assertThat(months.get(0)).containsEntry("status", "PAID").containsEntry("attempts", 1);
        assertThat(months.get(0).get("paidAt")).isNotNull();
        assertThat(months.get(1)).containsEntry("status", "SCHEDULED");
        assertThat(view.get("payments").toString()).contains("kind=RENT, amount={amount=" + month2 + ", currency=USD}",
                "kind=APPLICATION_FEE, amount={amount=-" + fee + ", currency=USD}");
        assertThat(view.get("events").toString()).containsOnlyOnce("rent for month 2 paid");
        long rows = ledgerRows(stay.uuid());

        // Charged once: the next round finds nothing due, and Stripe's webhook for the same intent records nothing twice.
        runJob();
        assertThat(intentsCreated()).hasSize(1);
        String pi = db.sql("SELECT stripe_payment_intent_id FROM rent_instalment WHERE booking_id = :b AND sequence = 2").bind("b", stay.uuid())
                .map(row -> row.get("stripe_payment_intent_id", String.class)).one().block();
        deliver("evt_rent2", pi);
        deliver("evt_rent2", pi);
        assertThat(ledgerRows(stay.uuid())).isEqualTo(rows);
        assertThat(booking(manager, stay.id()).get("events").toString()).containsOnlyOnce("rent for month 2 paid");
    }

    @Test
    void monthThreeDeclinedMakesTheBookingPastDueUntilTheNomadPaysIt() {
        Paid stay = paidStay(3);
        dueToday(stay.uuid(), 2);
        runJob();
        assertThat(status(stay.uuid(), 2)).isEqualTo("PAID");

        // The saved card starts being declined.
        db.sql("UPDATE booking SET payment_method_id = 'pm_card_chargeDeclined' WHERE id = :b").bind("b", stay.uuid()).then().block();
        dueToday(stay.uuid(), 3);
        StripeMock.SERVER.resetRequests();
        Instant before = Instant.now();
        runJob();

        assertThat(intentsCreated()).hasSize(1);
        assertThat(intentsCreated().get(0).getHeader("Idempotency-Key")).isEqualTo("nomad:booking:" + stay.uuid() + ":rent-3:1");
        for (String subject : List.of("test:nomad", manager)) {
            Map<String, Object> view = booking(subject, stay.id());
            assertThat((Boolean) view.get("pastDue")).isTrue();
            Map<String, Object> month3 = RentIntegrationTests.<List<Map<String, Object>>>at(view, "rent").get(1);
            assertThat(month3).containsEntry("status", "PAST_DUE").containsEntry("attempts", 1);
            assertThat((String) month3.get("failureCode")).isIn("card_declined", "generic_decline");
            assertThat((String) month3.get("failureMessage")).contains("declined");
            // Retried as Stripe does: three days later.
            Instant next = Instant.parse((String) month3.get("nextAttemptAt"));
            assertThat(next).isBetween(before.plus(Duration.ofDays(3)).minusSeconds(5), Instant.now().plus(Duration.ofDays(3)).plusSeconds(5));
            assertThat(view.get("events").toString()).containsOnlyOnce("rent for month 3").contains("failed", "past due", "payRent");
        }
        assertThat(booking(manager, stay.id()).get("payments").toString()).doesNotContain("rent for month 3");
        String declined = db.sql("SELECT stripe_payment_intent_id FROM rent_instalment WHERE booking_id = :b AND sequence = 3").bind("b", stay.uuid())
                .map(row -> row.get("stripe_payment_intent_id", String.class)).one().block();

        // Not retried before its time.
        runJob();
        assertThat(intentsCreated()).hasSize(1);

        // Only the guest pays; staff of the operator are refused, another operator's staff do not see the booking.
        assertThat(at(data(manager, PAY_RENT, Map.of("id", stay.id())), "payRent", "userErrors").toString()).contains("code=FORBIDDEN");
        String stranger = fixtures.staff(fixtures.operator("other-coliving"), "MANAGER");
        assertThat(at(data(stranger, PAY_RENT, Map.of("id", stay.id())), "payRent", "userErrors").toString()).contains("code=NOT_FOUND");

        // The nomad pays now: the month's intent, for Stripe.js to confirm with another card.
        Map<String, Object> pay = at(data("test:nomad", PAY_RENT, Map.of("id", stay.id())), "payRent");
        assertThat(at(pay, "userErrors").toString()).isEqualTo("[]");
        assertThat((String) at(pay, "payment", "paymentIntentId")).isEqualTo(declined);
        assertThat((String) at(pay, "payment", "clientSecret")).startsWith(declined + "_secret_");
        assertThat((String) at(pay, "payment", "status")).isEqualTo("REQUIRES_PAYMENT_METHOD");
        assertThat(intentsCreated()).hasSize(1);

        StripeMock.FAKE.succeed(declined, "pm_card_visa");
        deliver("evt_rent3_paid", declined);

        Map<String, Object> view = booking("test:nomad", stay.id());
        assertThat((Boolean) view.get("pastDue")).isFalse();
        assertThat(RentIntegrationTests.<List<Map<String, Object>>>at(view, "rent").get(1)).containsEntry("status", "PAID").containsEntry("failureCode", null);
        assertThat(view.get("events").toString()).contains("rent for month 3 paid", "no longer past due");
        assertThat(view.get("payments").toString()).contains("note=rent for month 3");
        assertThat(db.sql("SELECT payment_method_id FROM booking WHERE id = :b").bind("b", stay.uuid())
                .map(row -> row.get("payment_method_id", String.class)).one().block()).isEqualTo("pm_card_visa");
        long rows = ledgerRows(stay.uuid());

        // The same event again, and another about the same intent: nothing twice.
        deliver("evt_rent3_paid", declined);
        deliver("evt_rent3_paid_again", declined);
        assertThat(ledgerRows(stay.uuid())).isEqualTo(rows);
        assertThat(booking(manager, stay.id()).get("events").toString()).containsOnlyOnce("rent for month 3 paid");
        assertThat(at(data("test:nomad", PAY_RENT, Map.of("id", stay.id())), "payRent", "userErrors").toString()).contains("code=INVALID_STATE");
    }

    @Test
    void aPastDueMonthIsRetriedWithANewAttemptWhenItsRetryComes() {
        Paid stay = paidStay(3);
        db.sql("UPDATE booking SET payment_method_id = 'pm_card_authenticationRequired' WHERE id = :b").bind("b", stay.uuid()).then().block();
        dueToday(stay.uuid(), 2);
        runJob();
        assertThat(status(stay.uuid(), 2)).isEqualTo("PAST_DUE");
        String first = db.sql("SELECT stripe_payment_intent_id FROM rent_instalment WHERE booking_id = :b AND sequence = 2").bind("b", stay.uuid())
                .map(row -> row.get("stripe_payment_intent_id", String.class)).one().block();

        // Three days later, with a card that works again.
        db.sql("UPDATE booking SET payment_method_id = 'pm_card_visa' WHERE id = :b").bind("b", stay.uuid()).then().block();
        db.sql("UPDATE rent_instalment SET next_attempt_at = now() - interval '1 minute' WHERE booking_id = :b AND sequence = 2")
                .bind("b", stay.uuid()).then().block();
        StripeMock.SERVER.resetRequests();
        runJob();

        // The failed intent is cancelled first (one open intent per month), then a second attempt with its own key.
        assertThat(StripeMock.SERVER.findAll(postRequestedFor(urlPathEqualTo("/v1/payment_intents/" + first + "/cancel")))).hasSize(1);
        assertThat(intentsCreated()).hasSize(1);
        assertThat(intentsCreated().get(0).getHeader("Idempotency-Key")).isEqualTo("nomad:booking:" + stay.uuid() + ":rent-2:2");
        Map<String, Object> view = booking("test:nomad", stay.id());
        assertThat(RentIntegrationTests.<List<Map<String, Object>>>at(view, "rent").get(0)).containsEntry("status", "PAID").containsEntry("attempts", 2);
        assertThat((Boolean) view.get("pastDue")).isFalse();
        assertThat(db.sql("SELECT status FROM payment WHERE stripe_payment_intent_id = :pi").bind("pi", first)
                .map(row -> row.get("status", String.class)).one().block()).isEqualTo("CANCELED");
    }

    @Test
    void stripeFailingDuringTheJobLeavesTheMonthScheduledForTheNextRound() {
        Paid stay = paidStay(3);
        dueToday(stay.uuid(), 2);
        StripeMock.SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/v1/payment_intents")).atPriority(1)
                .willReturn(aResponse().withStatus(500).withBody(StripeMock.error("api_error", "Something went wrong on Stripe's end."))));
        StripeMock.SERVER.resetRequests();

        runJob();

        assertThat(intentsCreated()).hasSize(1);
        assertThat(status(stay.uuid(), 2)).isEqualTo("SCHEDULED");
        assertThat(db.sql("SELECT count(*) AS n FROM payment WHERE booking_id = :b AND purpose = 'RENT'").bind("b", stay.uuid())
                .map(row -> row.get("n", Long.class)).one().block()).isZero();
        assertThat((Boolean) booking("test:nomad", stay.id()).get("pastDue")).isFalse();

        // Stripe is back: the next round charges it, with the same key (the failed call charged nothing).
        StripeMock.reset();
        runJob();
        assertThat(status(stay.uuid(), 2)).isEqualTo("PAID");
        assertThat(intentsCreated().get(0).getHeader("Idempotency-Key")).isEqualTo("nomad:booking:" + stay.uuid() + ":rent-2:1");
    }

    /** A booking whose month 2 is past due (declined), and the intent that failed. */
    String pastDueMonthTwo(Paid stay) {
        db.sql("UPDATE booking SET payment_method_id = 'pm_card_chargeDeclined' WHERE id = :b").bind("b", stay.uuid()).then().block();
        dueToday(stay.uuid(), 2);
        runJob();
        assertThat(status(stay.uuid(), 2)).isEqualTo("PAST_DUE");
        return db.sql("SELECT stripe_payment_intent_id FROM rent_instalment WHERE booking_id = :b AND sequence = 2").bind("b", stay.uuid())
                .map(row -> row.get("stripe_payment_intent_id", String.class)).one().block();
    }

    @Test
    void payRentWhileStripeIsDownIsARetryableErrorAndChangesNothing() {
        Paid stay = paidStay(3);
        String declined = pastDueMonthTwo(stay);
        StripeMock.SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/v1/payment_intents/" + declined)).atPriority(1)
                .willReturn(aResponse().withStatus(500).withBody(StripeMock.error("api_error", "Something went wrong on Stripe's end."))));

        Map<String, Object> pay = at(data("test:nomad", PAY_RENT, Map.of("id", stay.id())), "payRent");
        assertThat(at(pay, "userErrors").toString()).contains("code=PAYMENT_PROVIDER_UNAVAILABLE");
        assertThat((Object) at(pay, "payment")).isNull();
        assertThat(status(stay.uuid(), 2)).isEqualTo("PAST_DUE");
        assertThat((Boolean) booking("test:nomad", stay.id()).get("pastDue")).isTrue();
    }

    @Test
    void aMonthPaidAfterItStoppedIsRefundedInFull() {
        Paid stay = paidStay(3);
        String declined = pastDueMonthTwo(stay);
        // The guest cancels (still before check-in): month 2 is no longer owed...
        data("test:nomad", """
                mutation($id: ID!) { cancelBooking(input: {bookingId: $id}) { booking { status } } }""", Map.of("id", stay.id()));
        assertThat(status(stay.uuid(), 2)).isEqualTo("CANCELLED");
        assertThat((Boolean) booking("test:nomad", stay.id()).get("pastDue")).isFalse();

        // ...but the payment page was still open and the nomad pays it.
        StripeMock.FAKE.succeed(declined, "pm_card_visa");
        StripeMock.SERVER.resetRequests();
        deliver("evt_late_rent", declined);

        List<LoggedRequest> refunds = StripeMock.SERVER.findAll(postRequestedFor(urlPathEqualTo("/v1/refunds")));
        assertThat(refunds).hasSize(1);
        long month2 = db.sql("SELECT amount FROM rent_instalment WHERE booking_id = :b AND sequence = 2").bind("b", stay.uuid())
                .map(row -> row.get("amount", Long.class)).one().block();
        assertThat(StripeMock.form(refunds.get(0))).containsEntry("payment_intent", declined).containsEntry("amount", String.valueOf(month2))
                .containsEntry("reverse_transfer", "true").containsEntry("refund_application_fee", "true");
        assertThat(refunds.get(0).getHeader("Idempotency-Key")).isEqualTo("nomad:booking:" + stay.uuid() + ":refund-rent-2:1");
        Map<String, Object> view = booking(manager, stay.id());
        long fee = RentSchedule.commission(month2, 1000);
        assertThat(view.get("payments").toString()).contains("kind=RENT, amount={amount=" + month2, "kind=REFUND, amount={amount=-" + month2,
                "kind=FEE_REFUND, amount={amount=" + fee);
        assertThat(status(stay.uuid(), 2)).isEqualTo("CANCELLED");
        assertThat(view.get("events").toString()).contains("refunded in full");

        long rows = ledgerRows(stay.uuid());
        deliver("evt_late_rent", declined);
        deliver("evt_late_rent_again", declined);
        assertThat(ledgerRows(stay.uuid())).isEqualTo(rows);
        assertThat(StripeMock.SERVER.findAll(postRequestedFor(urlPathEqualTo("/v1/refunds")))).hasSize(2);
    }

    @Test
    void cancellingStopsFutureRent() {
        Paid stay = paidStay(3);
        Map<String, Object> cancelled = at(data("test:nomad", """
                mutation($id: ID!) { cancelBooking(input: {bookingId: $id}) { booking { status } userErrors { code } } }""",
                Map.of("id", stay.id())), "cancelBooking");
        assertThat((String) at(cancelled, "booking", "status")).isEqualTo("CANCELLED_BY_GUEST");

        assertThat(rent("test:nomad", stay.id())).extracting(m -> m.get("status")).containsExactly("CANCELLED", "CANCELLED");
        assertThat(booking(manager, stay.id()).get("events").toString()).contains("future rent stopped: 2 monthly payments");
        dueToday(stay.uuid(), 2);
        StripeMock.SERVER.resetRequests();
        runJob();
        assertThat(intentsCreated()).isEmpty();
    }

    @Test
    void checkingOutBeforeTheEndStopsTheMonthsNotBegun() {
        Paid stay = paidStay(3);
        // The stay began a month ago: month 2 was due yesterday (lived, still owed), month 3 is not begun.
        LocalDate today = LocalDate.now(ZONE);
        db.sql("UPDATE booking SET check_in = :d WHERE id = :b").bind("d", today.minusMonths(1)).bind("b", stay.uuid()).then().block();
        db.sql("UPDATE rent_instalment SET due_on = :d WHERE booking_id = :b AND sequence = 2").bind("d", today.minusDays(1))
                .bind("b", stay.uuid()).then().block();
        db.sql("UPDATE rent_instalment SET due_on = :d WHERE booking_id = :b AND sequence = 3").bind("d", today.plusDays(20))
                .bind("b", stay.uuid()).then().block();
        String done = """
                mutation($id: ID!) { %s(input: {bookingId: $id}) { booking { status } userErrors { code message } } }""";
        assertThat(at(data(manager, done.formatted("checkInBooking"), Map.of("id", stay.id())), "checkInBooking", "userErrors").toString())
                .isEqualTo("[]");
        assertThat((String) at(data(manager, done.formatted("completeBooking"), Map.of("id", stay.id())), "completeBooking", "booking", "status"))
                .isEqualTo("COMPLETED");

        assertThat(rent("test:nomad", stay.id())).extracting(m -> m.get("status")).containsExactly("SCHEDULED", "CANCELLED");
        assertThat(booking(manager, stay.id()).get("events").toString()).contains("future rent stopped: 1 monthly payment from " + today);
        // What was lived is still charged.
        runJob();
        assertThat(status(stay.uuid(), 2)).isEqualTo("PAID");
    }

    @Test
    void movingOutEarlyStopsTheMonthsAfterAndFreesTheNights() {
        Paid stay = paidStay(3);
        LocalDate moveOut = in.plusMonths(1).plusDays(5);

        // Another operator's staff cannot; a date outside the stay is refused.
        String stranger = fixtures.staff(fixtures.operator("other-coliving"), "MANAGER");
        assertThat(at(data(stranger, MOVE_OUT, Map.of("id", stay.id(), "date", moveOut.toString())), "moveOutEarly", "userErrors").toString())
                .contains("code=NOT_FOUND");
        assertThat(at(data("test:nomad", MOVE_OUT, Map.of("id", stay.id(), "date", in.plusMonths(3).toString())), "moveOutEarly", "userErrors")
                .toString()).contains("code=OUT_OF_RANGE", "moveOutDate");
        assertThat(at(data("test:nomad", MOVE_OUT, Map.of("id", stay.id(), "date", LocalDate.now(ZONE).minusDays(1).toString())),
                "moveOutEarly", "userErrors").toString()).contains("code=OUT_OF_RANGE");

        Map<String, Object> moved = at(data(manager, MOVE_OUT, Map.of("id", stay.id(), "date", moveOut.toString())), "moveOutEarly");
        assertThat(at(moved, "userErrors").toString()).isEqualTo("[]");
        assertThat((String) at(moved, "booking", "checkOut")).isEqualTo(moveOut.toString());
        // Month 2 covers the move-out date: it stays (no refund of the month begun); month 3 is not owed.
        assertThat(RentIntegrationTests.<List<Map<String, Object>>>at(moved, "booking", "rent")).extracting(m -> m.get("status"))
                .containsExactly("SCHEDULED", "CANCELLED");
        assertThat(booked(moveOut.minusDays(1))).isEqualTo(1);
        assertThat(booked(moveOut)).isZero();
        assertThat(booked(in.plusMonths(3).minusDays(1))).isZero();
        assertThat(db.sql("SELECT count(*) AS n FROM outbox_event WHERE aggregate_id = :u AND event_type = 'BookingShortened'")
                .bind("u", room.uuid()).map(row -> row.get("n", Long.class)).one().block()).isEqualTo(1);
        assertThat(booking("test:nomad", stay.id()).get("events").toString()).contains("moving out early", "future rent stopped: 1 monthly payment");

        // The freed nights can be booked again.
        Map<String, Object> again = at(data("test:nomad", CREATE, Map.of("input", Map.of("unitId", room.id(),
                "checkIn", in.plusMonths(2).toString(), "checkOut", in.plusMonths(2).plusDays(5).toString()))), "createBooking");
        assertThat(at(again, "userErrors").toString()).isEqualTo("[]");
    }

    @Test
    void onlyTheGuestOrManagersMoveOutAndOnlyStaysPaidByTheMonth() {
        Paid stay = paidStay(3);
        String viewer = fixtures.staff(operator, "VIEWER");
        String date = in.plusMonths(1).toString();
        assertThat(at(data(viewer, MOVE_OUT, Map.of("id", stay.id(), "date", date)), "moveOutEarly", "userErrors").toString())
                .contains("code=FORBIDDEN");
        assertThat(rent("test:nomad", stay.id())).extracting(m -> m.get("status")).containsExactly("SCHEDULED", "SCHEDULED");

        // A stay of a month or less is paid at booking: nothing to stop, it is cancelled instead.
        db.sql("UPDATE booking SET status = 'CANCELLED_BY_GUEST' WHERE id = :b").bind("b", stay.uuid()).then().block();
        db.sql("UPDATE unit_calendar SET booked = 0 WHERE unit_id = :u").bind("u", room.uuid()).then().block();
        Paid shortStay = paidStay(1);
        assertThat(at(data("test:nomad", MOVE_OUT, Map.of("id", shortStay.id(), "date", in.plusDays(10).toString())), "moveOutEarly", "userErrors")
                .toString()).contains("code=INVALID_STATE");
    }

    @Test
    void anExtensionAddsTheMonthsForTheAddedNights() {
        Paid stay = paidStay(3);
        Map<String, Object> extended = at(data("test:nomad", """
                mutation($id: ID!, $out: Date!) { extendBooking(input: {bookingId: $id, checkOut: $out}) {
                  booking { total { amount } rent { sequence dueOn amount { amount } status } } userErrors { code message } } }""",
                Map.of("id", stay.id(), "out", in.plusMonths(4).toString())), "extendBooking");
        assertThat(at(extended, "userErrors").toString()).isEqualTo("[]");
        List<Map<String, Object>> months = at(extended, "booking", "rent");
        assertThat(months).extracting(m -> m.get("sequence")).containsExactly(2, 3, 4);
        assertThat(months.get(2)).containsEntry("dueOn", in.plusMonths(3).toString()).containsEntry("status", "SCHEDULED");
        long total = amount(at(extended, "booking", "total"));
        assertThat(total).isGreaterThan(stay.total());
        assertThat(stay.first() + months.stream().mapToLong(m -> amount(m.get("amount"))).sum()).isEqualTo(total);
    }

    long booked(LocalDate day) {
        return db.sql("SELECT coalesce(sum(booked), 0) AS n FROM unit_calendar WHERE unit_id = :u AND day = :d").bind("u", room.uuid()).bind("d", day)
                .map(row -> ((Number) row.get("n")).longValue()).one().block();
    }
}
