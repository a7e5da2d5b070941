package io.nomadstays.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.nomadstays.support.Fixtures;
import io.nomadstays.support.StripeMock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Deposits end to end through the fake Stripe: the unit's mode copied onto bookings, a collected
 * deposit charged once the first payment succeeded, claims (card on file: a destination charge to
 * the operator; collected: a transfer and a refund of the rest), the automatic release, and the
 * refusals (over the deposit, another tenant, before check-out, after the release, Stripe down).
 * The jobs' methods are called directly; dates are moved in SQL to put check-out in the past.
 */
class DepositIntegrationTests extends BillingTest {

    static final String CREATE = """
            mutation($input: CreateBookingInput!) { createBooking(input: $input) {
              booking { id status } payment { paymentIntentId } userErrors { field code message } } }""";
    static final String BOOKING = """
            query($id: ID!) { booking(id: $id) { status
              depositInfo { mode status amount { amount currency } releaseOn failureCode
                claim { items { description amount { amount currency } } total { amount currency } note status failureCode createdAt } }
              charges { purpose status amount { amount } failureCode }
              payments { kind amount { amount currency } stripeObjectId }
              events { note } } }""";
    static final String CLAIM = """
            mutation($input: ClaimDepositInput!) { claimDeposit(input: $input) {
              booking { id depositInfo { status claim { status total { amount } } } } userErrors { field code message } } }""";
    static final String SET_MODE = """
            mutation($input: SetDepositModeInput!) { setDepositMode(input: $input) { unit { id depositMode } userErrors { field code message } } }""";

    @Autowired
    DepositService deposits;

    Fixtures.Ref operator;
    Fixtures.Ref room;
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
        fixtures.user("test:nomad");
        in = LocalDate.now(ZoneId.of("Asia/Makassar")).plusDays(10);
    }

    // ---- helpers ----

    /** Books three nights and pays the first payment with {@code card}, as Stripe.js and the webhook would. */
    String bookAndPay(String card) {
        Map<String, Object> payload = at(data("test:nomad", CREATE, Map.of("input", Map.of("unitId", room.id(),
                "checkIn", in.toString(), "checkOut", in.plusDays(3).toString()))), "createBooking");
        assertThat(at(payload, "userErrors").toString()).isEqualTo("[]");
        String bookingId = at(payload, "booking", "id");
        String pi = at(payload, "payment", "paymentIntentId");
        StripeMock.FAKE.succeed(pi, card);
        stripeEvents.deliver(StripeMock.event("evt_paid_" + pi, "payment_intent.succeeded", StripeMock.FAKE.object(pi), null, Instant.now()))
                .expectStatus().isOk();
        assertThat((String) at(booking("test:nomad", bookingId), "status")).isEqualTo("CONFIRMED");
        return bookingId;
    }

    Map<String, Object> booking(String subject, String id) {
        return at(data(subject, BOOKING, Map.of("id", id)), "booking");
    }

    Map<String, Object> deposit(String subject, String id) {
        return at(booking(subject, id), "depositInfo");
    }

    /** Moves the stay so that its check-out was {@code daysAgo} days ago in the property's time zone. */
    void checkOutDaysAgo(String bookingId, int daysAgo) {
        LocalDate checkOut = LocalDate.now(ZoneId.of("Asia/Makassar")).minusDays(daysAgo);
        db.sql("UPDATE booking SET check_in = :in, check_out = :out, occupied_until = :out WHERE id = :id")
                .bind("in", checkOut.minusDays(3)).bind("out", checkOut).bind("id", uuid(bookingId)).then().block();
    }

    void collected() {
        assertThat(at(data(manager, SET_MODE, Map.of("input", Map.of("unitId", room.id(), "mode", "COLLECTED"))), "setDepositMode", "userErrors")
                .toString()).isEqualTo("[]");
    }

    Map<String, Object> claim(String subject, String bookingId, List<Map<String, Object>> items, String note) {
        return at(data(subject, CLAIM, Map.of("input", Map.of("bookingId", bookingId, "items", items, "note", note))), "claimDeposit");
    }

    static Map<String, Object> item(String description, long amount) {
        return Map.of("description", description, "amount", amount);
    }

    static List<LoggedRequest> posts(String path) {
        return StripeMock.SERVER.findAll(postRequestedFor(urlPathEqualTo(path)));
    }

    /** Off-session intents (the first payment is on-session). */
    static List<LoggedRequest> offSessionIntents() {
        return posts("/v1/payment_intents").stream().filter(r -> "true".equals(StripeMock.form(r).get("off_session"))).toList();
    }

    long count(String sql, String bookingId) {
        return db.sql(sql).bind("id", uuid(bookingId)).map(row -> row.get(0, Long.class)).one().block();
    }

    // ---- modes ----

    @Test
    void aUnitTakesItsDepositByCardOnFileUnlessItsManagerChangesItAndBookingsKeepTheirMode() {
        assertThat(at(data(null, "query($id: ID!) { node(id: $id) { ... on Unit { depositMode } } }", Map.of("id", room.id())), "node", "depositMode")
                .toString()).isEqualTo("CARD_ON_FILE");
        String bookingId = bookAndPay("pm_card_visa");

        Map<String, Object> deposit = deposit("test:nomad", bookingId);
        assertThat(deposit).containsEntry("mode", "CARD_ON_FILE").containsEntry("status", "ON_FILE")
                .containsEntry("releaseOn", in.plusDays(3 + 14).toString());
        assertThat(deposit.get("amount").toString()).isEqualTo("{amount=30000, currency=USD}");
        // Card on file: nothing is charged for the deposit.
        deposits.collectDue(100).block();
        assertThat(offSessionIntents()).isEmpty();

        // Only a MANAGER of the unit's operator changes the mode.
        Fixtures.Ref other = fixtures.operator("other-coliving");
        assertThat(at(data(fixtures.staff(other, "MANAGER"), SET_MODE, Map.of("input", Map.of("unitId", room.id(), "mode", "COLLECTED"))),
                "setDepositMode", "userErrors").toString()).contains("code=FORBIDDEN");
        assertThat(at(data(fixtures.staff(operator, "VIEWER"), SET_MODE, Map.of("input", Map.of("unitId", room.id(), "mode", "COLLECTED"))),
                "setDepositMode", "userErrors").toString()).contains("code=FORBIDDEN");
        Map<String, Object> set = at(data(manager, SET_MODE, Map.of("input", Map.of("unitId", room.id(), "mode", "COLLECTED"))), "setDepositMode");
        assertThat(at(set, "unit", "depositMode").toString()).isEqualTo("COLLECTED");

        // The booking made before keeps card on file; nothing is collected for it.
        assertThat(deposit(manager, bookingId)).containsEntry("mode", "CARD_ON_FILE");
        deposits.collectDue(100).block();
        assertThat(offSessionIntents()).isEmpty();
    }

    // ---- collecting ----

    @Test
    void aCollectedDepositIsChargedOffSessionOnTheSavedCardOnceTheFirstPaymentSucceeded() {
        collected();
        Map<String, Object> payload = at(data("test:nomad", CREATE, Map.of("input", Map.of("unitId", room.id(),
                "checkIn", in.toString(), "checkOut", in.plusDays(3).toString()))), "createBooking");
        String bookingId = at(payload, "booking", "id");
        // Not paid yet: nothing to collect.
        deposits.collectDue(100).block();
        assertThat(offSessionIntents()).isEmpty();
        assertThat(deposit("test:nomad", bookingId)).containsEntry("mode", "COLLECTED").containsEntry("status", "PENDING");

        String pi = at(payload, "payment", "paymentIntentId");
        StripeMock.FAKE.succeed(pi, "pm_card_visa");
        stripeEvents.deliver(StripeMock.event("evt_paid_1", "payment_intent.succeeded", StripeMock.FAKE.object(pi), null, Instant.now()))
                .expectStatus().isOk();
        deposits.collectDue(100).block();

        List<LoggedRequest> charges = offSessionIntents();
        assertThat(charges).hasSize(1);
        Map<String, String> form = StripeMock.form(charges.get(0));
        assertThat(form).containsEntry("amount", "30000").containsEntry("currency", "usd").containsEntry("payment_method", "pm_card_visa")
                .containsEntry("off_session", "true").containsEntry("confirm", "true").containsEntry("metadata[purpose]", "deposit")
                .containsEntry("metadata[booking_id]", uuid(bookingId).toString());
        assertThat(form.get("customer")).startsWith("cus_");
        // A platform charge: the platform holds the deposit, no transfer and no commission.
        assertThat(form).doesNotContainKeys("transfer_data[destination]", "application_fee_amount", "setup_future_usage");
        assertThat(charges.get(0).getHeader("Idempotency-Key")).isEqualTo("nomad:booking:" + uuid(bookingId) + ":deposit:1");

        Map<String, Object> view = booking("test:nomad", bookingId);
        assertThat(at(view, "depositInfo", "status").toString()).isEqualTo("HELD");
        assertThat(view.get("charges").toString()).contains("purpose=DEPOSIT, status=SUCCEEDED, amount={amount=30000}");
        assertThat(view.get("payments").toString()).contains("kind=DEPOSIT_HOLD, amount={amount=30000, currency=USD}");

        // A second round does not charge again.
        deposits.collectDue(100).block();
        assertThat(offSessionIntents()).hasSize(1);
    }

    @Test
    void aDeclinedDepositIsShownOnTheBookingAndTriedAgainLater() {
        collected();
        // The card paid the first payment but the bank declines the off-session deposit.
        String bookingId = bookAndPay("pm_card_chargeDeclined");
        deposits.collectDue(100).block();

        Map<String, Object> view = booking("test:nomad", bookingId);
        assertThat(at(view, "depositInfo", "status").toString()).isEqualTo("FAILED");
        assertThat((String) at(view, "depositInfo", "failureCode")).isNotNull();
        assertThat(view.get("events").toString()).contains("could not be collected");
        assertThat(view.get("payments").toString()).doesNotContain("DEPOSIT_HOLD");
        // Not before the retry interval.
        deposits.collectDue(100).block();
        assertThat(offSessionIntents()).hasSize(1);

        // Later, with a working card on file, the next attempt is a new intent (a new key) and succeeds.
        db.sql("UPDATE booking_deposit SET next_attempt_at = now() - interval '1 minute' WHERE booking_id = :id").bind("id", uuid(bookingId)).then().block();
        db.sql("UPDATE booking SET payment_method_id = 'pm_card_visa' WHERE id = :id").bind("id", uuid(bookingId)).then().block();
        deposits.collectDue(100).block();
        List<LoggedRequest> charges = offSessionIntents();
        assertThat(charges).hasSize(2);
        assertThat(charges.get(1).getHeader("Idempotency-Key")).isEqualTo("nomad:booking:" + uuid(bookingId) + ":deposit:2");
        assertThat(at(deposit("test:nomad", bookingId), "status").toString()).isEqualTo("HELD");
    }

    // ---- claims ----

    @Test
    void aClaimOnACardOnFileChargesTheCardForTheOperatorAndTheNomadSeesIt() {
        String bookingId = bookAndPay("pm_card_visa");
        checkOutDaysAgo(bookingId, 1);

        Map<String, Object> payload = claim(manager, bookingId, List.of(item("Broken desk lamp", 5000), item("Extra cleaning", 2500)),
                "The lamp was broken on check-out; the room needed a second cleaning.");
        assertThat(at(payload, "userErrors").toString()).isEqualTo("[]");
        assertThat(at(payload, "booking", "depositInfo", "claim").toString()).isEqualTo("{status=PAID, total={amount=7500}}");

        List<LoggedRequest> charges = offSessionIntents();
        assertThat(charges).hasSize(1);
        Map<String, String> form = StripeMock.form(charges.get(0));
        assertThat(form).containsEntry("amount", "7500").containsEntry("currency", "usd").containsEntry("payment_method", "pm_card_visa")
                .containsEntry("off_session", "true").containsEntry("confirm", "true").containsEntry("transfer_data[destination]", acct)
                .containsEntry("metadata[purpose]", "claim");
        assertThat(form).doesNotContainKey("application_fee_amount");
        assertThat(charges.get(0).getHeader("Idempotency-Key")).isEqualTo("nomad:booking:" + uuid(bookingId) + ":deposit-claim-charge:1");

        // The nomad sees the claim, itemised, with the note.
        Map<String, Object> view = booking("test:nomad", bookingId);
        Map<String, Object> seen = at(view, "depositInfo");
        assertThat(seen).containsEntry("status", "CLAIMED");
        assertThat(at(seen, "claim", "items").toString()).isEqualTo("[{description=Broken desk lamp, amount={amount=5000, currency=USD}}, "
                + "{description=Extra cleaning, amount={amount=2500, currency=USD}}]");
        assertThat(at(seen, "claim", "note").toString()).startsWith("The lamp was broken");
        assertThat(at(seen, "claim", "total").toString()).isEqualTo("{amount=7500, currency=USD}");
        assertThat(view.get("payments").toString()).contains("kind=DEPOSIT_CLAIM, amount={amount=7500, currency=USD}");
        assertThat(view.get("charges").toString()).contains("purpose=CLAIM, status=SUCCEEDED, amount={amount=7500}");

        // One claim per booking.
        assertThat(at(claim(manager, bookingId, List.of(item("More", 100)), "again"), "userErrors").toString()).contains("code=ALREADY_EXISTS");
        assertThat(offSessionIntents()).hasSize(1);
    }

    @Test
    void aDeclinedClaimIsStoredAsFailedForBothSides() {
        String bookingId = bookAndPay("pm_card_chargeDeclined");
        checkOutDaysAgo(bookingId, 2);
        Map<String, Object> payload = claim(manager, bookingId, List.of(item("Broken chair", 4000)), "Chair broken.");
        assertThat(at(payload, "userErrors").toString()).isEqualTo("[]");
        Map<String, Object> seen = deposit("test:nomad", bookingId);
        assertThat(at(seen, "claim", "status").toString()).isEqualTo("FAILED");
        assertThat((String) at(seen, "claim", "failureCode")).isNotNull();
        assertThat(booking(manager, bookingId).get("payments").toString()).doesNotContain("DEPOSIT_CLAIM");
    }

    @Test
    void aClaimOnACollectedDepositTransfersTheClaimAndRefundsTheRest() {
        collected();
        String bookingId = bookAndPay("pm_card_visa");
        deposits.collectDue(100).block();
        String depositIntent = db.sql("SELECT stripe_payment_intent_id FROM booking_deposit WHERE booking_id = :id").bind("id", uuid(bookingId))
                .map(row -> row.get(0, String.class)).one().block();
        String depositCharge = StripeMock.FAKE.object(depositIntent).get("latest_charge").asText();
        checkOutDaysAgo(bookingId, 3);

        Map<String, Object> payload = claim(manager, bookingId, List.of(item("Stained mattress", 10000)), "Mattress needs replacing.");
        assertThat(at(payload, "userErrors").toString()).isEqualTo("[]");

        List<LoggedRequest> transfers = posts("/v1/transfers");
        assertThat(transfers).hasSize(1);
        assertThat(StripeMock.form(transfers.get(0))).containsEntry("amount", "10000").containsEntry("currency", "usd")
                .containsEntry("destination", acct).containsEntry("source_transaction", depositCharge);
        assertThat(transfers.get(0).getHeader("Idempotency-Key")).isEqualTo("nomad:booking:" + uuid(bookingId) + ":deposit-claim:1");
        List<LoggedRequest> refunds = posts("/v1/refunds");
        assertThat(refunds).hasSize(1);
        assertThat(StripeMock.form(refunds.get(0))).containsEntry("payment_intent", depositIntent).containsEntry("amount", "20000")
                .doesNotContainKeys("reverse_transfer", "refund_application_fee");
        assertThat(refunds.get(0).getHeader("Idempotency-Key")).isEqualTo("nomad:booking:" + uuid(bookingId) + ":deposit-claim-refund:1");
        // No card charge for a collected deposit's claim.
        assertThat(offSessionIntents()).hasSize(1);

        String ledger = booking("test:nomad", bookingId).get("payments").toString();
        assertThat(ledger).contains("kind=DEPOSIT_HOLD, amount={amount=30000, currency=USD}", "kind=DEPOSIT_CLAIM, amount={amount=10000, currency=USD}",
                "kind=DEPOSIT_RELEASE, amount={amount=-10000, currency=USD}", "kind=DEPOSIT_RELEASE, amount={amount=-20000, currency=USD}");
        assertThat(at(deposit("test:nomad", bookingId), "status").toString()).isEqualTo("CLAIMED");

        // Claimed: the release never refunds it again.
        checkOutDaysAgo(bookingId, 20);
        deposits.releaseDue(100).block();
        assertThat(posts("/v1/refunds")).hasSize(1);
        assertThat(at(deposit("test:nomad", bookingId), "status").toString()).isEqualTo("CLAIMED");
    }

    @Test
    void aClaimAboveTheDepositIsRefusedAndNothingIsStored() {
        String bookingId = bookAndPay("pm_card_visa");
        checkOutDaysAgo(bookingId, 1);
        Map<String, Object> payload = claim(manager, bookingId, List.of(item("Lamp", 20000), item("Carpet", 10001)), "Too much.");
        assertThat(at(payload, "userErrors").toString()).contains("field=[input, items], code=OUT_OF_RANGE");
        assertThat(offSessionIntents()).isEmpty();
        assertThat(count("SELECT count(*) FROM deposit_claim WHERE booking_id = :id", bookingId)).isZero();
        // Exactly the deposit is fine.
        assertThat(at(claim(manager, bookingId, List.of(item("Lamp", 20000), item("Carpet", 10000)), "All of it."), "userErrors").toString())
                .isEqualTo("[]");
    }

    @Test
    void onlyAManagerOfTheBookingsOperatorClaimsAndOnlyFromCheckOut() {
        String bookingId = bookAndPay("pm_card_visa");
        List<Map<String, Object>> items = List.of(item("Lamp", 1000));

        // Before check-out.
        assertThat(at(claim(manager, bookingId, items, "Early."), "userErrors").toString()).contains("code=INVALID_STATE");

        checkOutDaysAgo(bookingId, 0);
        Fixtures.Ref other = fixtures.operator("other-coliving");
        assertThat(at(claim(fixtures.staff(other, "MANAGER"), bookingId, items, "Not mine."), "userErrors").toString()).contains("code=NOT_FOUND");
        assertThat(at(claim(fixtures.staff(operator, "VIEWER"), bookingId, items, "Viewer."), "userErrors").toString()).contains("code=FORBIDDEN");
        assertThat(at(claim("test:nomad", bookingId, items, "Guest."), "userErrors").toString()).contains("code=FORBIDDEN");
        assertThat(offSessionIntents()).isEmpty();
        assertThat(count("SELECT count(*) FROM deposit_claim WHERE booking_id = :id", bookingId)).isZero();

        // Input checks.
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            many.add(item("Item " + i, 10));
        }
        assertThat(at(claim(manager, bookingId, many, "Many."), "userErrors").toString()).contains("field=[input, items], code=TOO_LONG");
        assertThat(at(claim(manager, bookingId, List.of(item("x".repeat(201), 10)), "Long."), "userErrors").toString())
                .contains("field=[input, items, 0, description], code=TOO_LONG");
        assertThat(at(claim(manager, bookingId, List.of(item("Lamp", 0)), "Zero."), "userErrors").toString())
                .contains("field=[input, items, 0, amount], code=OUT_OF_RANGE");
        assertThat(at(claim(manager, bookingId, items, " "), "userErrors").toString()).contains("field=[input, note], code=REQUIRED");

        // On the check-out day the manager may claim.
        assertThat(at(claim(manager, bookingId, items, "Lamp broken."), "userErrors").toString()).isEqualTo("[]");
    }

    @Test
    void stripeDownOnAClaimStoresNothingAndTheSameClaimCanBeSentAgain() {
        String bookingId = bookAndPay("pm_card_visa");
        checkOutDaysAgo(bookingId, 1);
        StripeMock.SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/v1/payment_intents")).atPriority(1)
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody(StripeMock.error("api_error", "Something went wrong on Stripe's end."))));

        Map<String, Object> payload = claim(manager, bookingId, List.of(item("Lamp", 1000)), "Lamp broken.");
        assertThat(at(payload, "userErrors").toString()).contains("code=PAYMENT_PROVIDER_UNAVAILABLE");
        assertThat((Object) at(payload, "booking")).isNull();
        assertThat(count("SELECT count(*) FROM deposit_claim WHERE booking_id = :id", bookingId)).isZero();
        assertThat(count("SELECT count(*) FROM payment WHERE booking_id = :id AND purpose = 'CLAIM'", bookingId)).isZero();
        assertThat(count("SELECT count(*) FROM ledger_entry WHERE booking_id = :id AND kind = 'DEPOSIT_CLAIM'", bookingId)).isZero();
        assertThat(at(deposit(manager, bookingId), "status").toString()).isEqualTo("ON_FILE");

        StripeMock.reset();
        assertThat(at(claim(manager, bookingId, List.of(item("Lamp", 1000)), "Lamp broken."), "userErrors").toString()).isEqualTo("[]");
        assertThat(at(deposit("test:nomad", bookingId), "claim", "status").toString()).isEqualTo("PAID");
    }

    // ---- release ----

    @Test
    void aCardOnFileIsReleasedReleaseDaysAfterCheckOutAndCannotBeClaimedAfter() {
        String bookingId = bookAndPay("pm_card_visa");
        checkOutDaysAgo(bookingId, 13);
        deposits.releaseDue(100).block();
        assertThat(at(deposit("test:nomad", bookingId), "status").toString()).isEqualTo("ON_FILE");

        checkOutDaysAgo(bookingId, 14);
        deposits.releaseDue(100).block();
        deposits.releaseDue(100).block();
        Map<String, Object> view = booking("test:nomad", bookingId);
        assertThat(at(view, "depositInfo", "status").toString()).isEqualTo("RELEASED");
        // No money moved, and the release is told once.
        assertThat(posts("/v1/refunds")).isEmpty();
        assertThat(view.get("events").toString().split("deposit released", -1)).hasSize(2);

        assertThat(at(claim(manager, bookingId, List.of(item("Lamp", 1000)), "Too late."), "userErrors").toString()).contains("code=INVALID_STATE");
        assertThat(offSessionIntents()).isEmpty();
    }

    @Test
    void aCollectedDepositIsRefundedInFullWhenNoClaimWasFiled() {
        collected();
        String bookingId = bookAndPay("pm_card_visa");
        deposits.collectDue(100).block();
        String depositIntent = db.sql("SELECT stripe_payment_intent_id FROM booking_deposit WHERE booking_id = :id").bind("id", uuid(bookingId))
                .map(row -> row.get(0, String.class)).one().block();
        checkOutDaysAgo(bookingId, 14);

        deposits.releaseDue(100).block();
        deposits.releaseDue(100).block();

        List<LoggedRequest> refunds = posts("/v1/refunds");
        assertThat(refunds).hasSize(1);
        assertThat(StripeMock.form(refunds.get(0))).containsEntry("payment_intent", depositIntent).containsEntry("amount", "30000")
                .doesNotContainKeys("reverse_transfer", "refund_application_fee");
        assertThat(refunds.get(0).getHeader("Idempotency-Key")).isEqualTo("nomad:booking:" + uuid(bookingId) + ":deposit-release:1");
        Map<String, Object> view = booking("test:nomad", bookingId);
        assertThat(at(view, "depositInfo", "status").toString()).isEqualTo("RELEASED");
        assertThat(view.get("payments").toString()).contains("kind=DEPOSIT_RELEASE, amount={amount=-30000, currency=USD}");
        assertThat(count("SELECT count(*) FROM ledger_entry WHERE booking_id = :id AND kind = 'DEPOSIT_RELEASE'", bookingId)).isEqualTo(1);
    }

    @Test
    void aCollectedDepositOfACancelledBookingIsRefundedAtOnce() {
        collected();
        String bookingId = bookAndPay("pm_card_visa");
        deposits.collectDue(100).block();
        Map<String, Object> cancelled = at(data("test:nomad", "mutation($id: ID!) { cancelBooking(input: {bookingId: $id}) { booking { status } "
                + "userErrors { code } } }", Map.of("id", bookingId)), "cancelBooking");
        assertThat(at(cancelled, "booking", "status").toString()).isEqualTo("CANCELLED_BY_GUEST");

        deposits.releaseDue(100).block();
        List<LoggedRequest> refunds = posts("/v1/refunds").stream()
                .filter(r -> "deposit_release".equals(StripeMock.form(r).get("metadata[purpose]"))).toList();
        assertThat(refunds).hasSize(1);
        assertThat(StripeMock.form(refunds.get(0))).containsEntry("amount", "30000");
        assertThat(at(deposit("test:nomad", bookingId), "status").toString()).isEqualTo("RELEASED");
        // Cancelled: nothing left to claim.
        checkOutDaysAgo(bookingId, 1);
        assertThat(at(claim(manager, bookingId, List.of(item("Lamp", 1000)), "Lamp."), "userErrors").toString()).contains("code=INVALID_STATE");
    }

    @Test
    void aCollectedClaimInterruptedAfterTheTransferIsFinishedByTheSameClaimWithoutASecondTransfer() {
        collected();
        String bookingId = bookAndPay("pm_card_visa");
        deposits.collectDue(100).block();
        checkOutDaysAgo(bookingId, 1);
        // The transfer goes through, then Stripe fails the refund of the rest.
        StripeMock.SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/v1/refunds")).atPriority(1)
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody(StripeMock.error("api_error", "Service unavailable."))));
        List<Map<String, Object>> items = List.of(item("Stained mattress", 10000));

        assertThat(at(claim(manager, bookingId, items, "Mattress."), "userErrors").toString()).contains("code=PAYMENT_PROVIDER_UNAVAILABLE");
        assertThat(count("SELECT count(*) FROM deposit_claim WHERE booking_id = :id", bookingId)).isZero();
        assertThat(count("SELECT count(*) FROM ledger_entry WHERE booking_id = :id AND kind IN ('DEPOSIT_CLAIM', 'DEPOSIT_RELEASE')", bookingId)).isZero();
        assertThat(at(deposit(manager, bookingId), "status").toString()).isEqualTo("HELD");

        // Stripe is back: the same claim sends the same keys; Stripe answers the first transfer again.
        StripeMock.SERVER.removeStub(StripeMock.SERVER.getStubMappings().stream()
                .filter(m -> Integer.valueOf(1).equals(m.getPriority())).findFirst().orElseThrow());
        assertThat(at(claim(manager, bookingId, items, "Mattress."), "userErrors").toString()).isEqualTo("[]");
        List<LoggedRequest> transfers = posts("/v1/transfers");
        assertThat(transfers).hasSize(2);
        assertThat(transfers.get(1).getHeader("Idempotency-Key")).isEqualTo(transfers.get(0).getHeader("Idempotency-Key"));
        assertThat(count("SELECT count(*) FROM ledger_entry WHERE booking_id = :id AND kind = 'DEPOSIT_CLAIM'", bookingId)).isEqualTo(1);
        assertThat(booking("test:nomad", bookingId).get("payments").toString())
                .contains("kind=DEPOSIT_CLAIM, amount={amount=10000, currency=USD}", "kind=DEPOSIT_RELEASE, amount={amount=-20000, currency=USD}");
    }
}
