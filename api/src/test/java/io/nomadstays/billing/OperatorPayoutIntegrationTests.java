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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What our charges put in the operator's Stripe balance (manual payouts) leaves it for its bank,
 * once: the first payment and rent months no earlier than 24 hours after the start of the
 * check-in day in the property's zone, deposit claims as soon as they are paid.
 */
class OperatorPayoutIntegrationTests extends PaidBookingTest {

    static final String CLAIM = """
            mutation($input: ClaimDepositInput!) { claimDeposit(input: $input) {
              booking { id depositInfo { status claim { status total { amount } } } } userErrors { field code message } } }""";
    static final String SET_MODE = """
            mutation($input: SetDepositModeInput!) { setDepositMode(input: $input) { unit { id depositMode } userErrors { field code message } } }""";

    @Autowired
    OperatorPayouts payouts;

    @Autowired
    RentJobs rentJobs;

    @Autowired
    DepositService deposits;

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
        db.sql("INSERT INTO job_lease (name, holder, expires_at) VALUES ('operator-payouts', 'api-elsewhere', now() + interval '1 hour')")
                .then().block();

        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(25))).block()).isZero();
        assertThat(requests("/v1/payouts")).isEmpty();
    }

    // ---- rent ----

    /** A stay of {@code months} months from {@code checkIn}, paid at booking (months 2.. scheduled). */
    Paid longStay(LocalDate checkIn, int months) {
        return bookAndPay(checkIn, (int) java.time.temporal.ChronoUnit.DAYS.between(checkIn, checkIn.plusMonths(months)));
    }

    /** Charges month {@code sequence} now (its due date moved to today), as the rent job does; answers the payment's amount and fee. */
    long[] payMonth(Paid paid, int sequence) {
        db.sql("UPDATE rent_instalment SET due_on = (now() AT TIME ZONE 'Asia/Makassar')::date WHERE booking_id = :b AND sequence = :s")
                .bind("b", paid.uuid()).bind("s", sequence).then().block();
        rentJobs.runOnce().block(Duration.ofSeconds(30));
        return db.sql("""
                        SELECT p.amount, p.application_fee FROM payment p JOIN rent_instalment i
                            ON i.booking_id = p.booking_id AND i.sequence = p.sequence AND i.stripe_payment_intent_id = p.stripe_payment_intent_id
                         WHERE p.booking_id = :b AND p.purpose = 'RENT' AND p.sequence = :s AND p.status = 'SUCCEEDED' AND i.status = 'PAID'""")
                .bind("b", paid.uuid()).bind("s", sequence)
                .map(row -> new long[] {row.get("amount", Long.class), row.get("application_fee", Long.class)}).one().block();
    }

    static List<LoggedRequest> withKey(List<LoggedRequest> requests, String key) {
        return requests.stream().filter(r -> key.equals(r.getHeader("Idempotency-Key"))).toList();
    }

    @Test
    void aRentMonthPaidAfterMoveInIsPaidOutNetOfCommissionAtTheNextRoundNeverTwice() {
        LocalDate checkIn = today().plusDays(10);
        Paid paid = longStay(checkIn, 3);
        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(24))).block()).isEqualTo(1);

        long[] month2 = payMonth(paid, 2);
        assertThat(month2[1]).isPositive();
        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(25))).block()).isEqualTo(1);
        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(26))).block()).isZero();

        String key = "nomad:booking:" + paid.uuid() + ":payout-rent-2:1";
        List<LoggedRequest> made = withKey(requests("/v1/payouts"), key);
        assertThat(made).hasSize(1);
        assertThat(requests("/v1/payouts")).hasSize(2);
        long net = month2[0] - month2[1];
        assertThat(StripeMock.form(made.get(0))).containsEntry("amount", String.valueOf(net)).containsEntry("currency", "usd")
                .containsEntry("metadata[booking_id]", paid.uuid().toString()).containsEntry("metadata[purpose]", "rent");
        assertThat(made.get(0).getHeader("Stripe-Account")).isEqualTo(stripeAccount());
        assertThat(ledger(paid.uuid())).filteredOn(row -> row.startsWith("PAYOUT")).hasSize(2).anyMatch(row -> row.matches("PAYOUT -" + net + " po_\\w+"));
        assertThat(db.sql("SELECT count(*) AS n FROM payout WHERE booking_id = :b AND purpose = 'RENT' AND amount = :a")
                .bind("b", paid.uuid()).bind("a", net).map(row -> row.get("n", Long.class)).one().block()).isEqualTo(1);
    }

    @Test
    void aMonthPaidBeforeMoveInWaitsLikeTheFirstPayment() {
        LocalDate checkIn = today().plusDays(10);
        Paid paid = longStay(checkIn, 3);
        long[] month2 = payMonth(paid, 2);

        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(23))).block()).isZero();
        assertThat(requests("/v1/payouts")).isEmpty();

        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(24))).block()).isEqualTo(2);
        assertThat(requests("/v1/payouts")).extracting(r -> r.getHeader("Idempotency-Key")).containsExactlyInAnyOrder(
                "nomad:booking:" + paid.uuid() + ":payout-first-payment:1", "nomad:booking:" + paid.uuid() + ":payout-rent-2:1");
        assertThat(StripeMock.form(withKey(requests("/v1/payouts"), "nomad:booking:" + paid.uuid() + ":payout-rent-2:1").get(0)))
                .containsEntry("amount", String.valueOf(month2[0] - month2[1]));
    }

    @Test
    void rentRefundedInFullOnACancellationLeavesNothingToPayOut() {
        LocalDate checkIn = today().plusDays(10);
        Paid paid = longStay(checkIn, 3);
        payMonth(paid, 2);
        // Staff cancel: everything paid is refunded, the rent month included.
        assertThat(cancel(manager, paid.id(), null).get("userErrors").toString()).isEqualTo("[]");

        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(25))).block()).isEqualTo(2);

        assertThat(requests("/v1/payouts")).isEmpty();
        assertThat(db.sql("SELECT purpose || ' ' || amount || ' ' || status AS row FROM payout WHERE booking_id = :b ORDER BY purpose")
                .bind("b", paid.uuid()).map(row -> row.get("row", String.class)).all().collectList().block())
                .containsExactly("FIRST_PAYMENT 0 NOTHING_DUE", "RENT 0 NOTHING_DUE");
    }

    @Test
    void aRentPaymentRefundedAsNotOwedIsNeverPaidOut() {
        LocalDate checkIn = today().plusDays(10);
        Paid paid = longStay(checkIn, 3);
        // Month 2 is declined: past due with its intent open for the nomad.
        db.sql("UPDATE booking SET payment_method_id = 'pm_card_chargeDeclined' WHERE id = :b").bind("b", paid.uuid()).then().block();
        db.sql("UPDATE rent_instalment SET due_on = (now() AT TIME ZONE 'Asia/Makassar')::date WHERE booking_id = :b AND sequence = 2")
                .bind("b", paid.uuid()).then().block();
        rentJobs.runOnce().block(Duration.ofSeconds(30));
        String month2 = db.sql("SELECT stripe_payment_intent_id FROM rent_instalment WHERE booking_id = :b AND sequence = 2 AND status = 'PAST_DUE'")
                .bind("b", paid.uuid()).map(row -> row.get(0, String.class)).one().block();
        assertThat(month2).startsWith("pi_");
        // The booking is cancelled (month 2 stops), then the nomad pays the open intent anyway: Rent refunds it in full.
        assertThat(cancel(manager, paid.id(), null).get("userErrors").toString()).isEqualTo("[]");
        StripeMock.FAKE.succeed(month2, "pm_card_visa");
        stripeEvents.deliver(StripeMock.event("evt_late_" + month2.substring(3), "payment_intent.succeeded", StripeMock.FAKE.object(month2), null,
                Instant.now())).expectStatus().isOk();
        assertThat(db.sql("SELECT status FROM payment WHERE stripe_payment_intent_id = :pi").bind("pi", month2)
                .map(row -> row.get(0, String.class)).one().block()).isEqualTo("SUCCEEDED");
        // The cancellation's refund of the first payment, and the late rent payment's.
        assertThat(requests("/v1/refunds")).hasSize(2);

        // Only the first payment (refunded in full by the cancellation) is settled, at 0; the late rent payment is not paid out.
        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofDays(40))).block()).isEqualTo(1);
        assertThat(requests("/v1/payouts")).isEmpty();
        assertThat(db.sql("SELECT count(*) AS n FROM payout WHERE booking_id = :b AND purpose = 'RENT'").bind("b", paid.uuid())
                .map(row -> row.get("n", Long.class)).one().block()).isZero();
    }

    @Test
    void stripeDownForARentPayoutMeansTheNextRoundPaysItOutOnce() {
        LocalDate checkIn = today().plusDays(10);
        Paid paid = longStay(checkIn, 3);
        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(24))).block()).isEqualTo(1);
        payMonth(paid, 2);
        StubMapping down = StripeMock.SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/v1/payouts")).atPriority(1)
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody(StripeMock.error("api_error", "Stripe is unavailable."))));

        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(25))).block()).isZero();
        assertThat(db.sql("SELECT count(*) AS n FROM payout WHERE booking_id = :b AND purpose = 'RENT'").bind("b", paid.uuid())
                .map(row -> row.get("n", Long.class)).one().block()).isZero();
        assertThat(ledger(paid.uuid())).filteredOn(row -> row.startsWith("PAYOUT")).hasSize(1);

        StripeMock.SERVER.removeStub(down);
        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(26))).block()).isEqualTo(1);
        assertThat(payouts.runOnce(startOf(checkIn).plus(Duration.ofHours(27))).block()).isZero();
        String key = "nomad:booking:" + paid.uuid() + ":payout-rent-2:1";
        assertThat(withKey(requests("/v1/payouts"), key)).hasSize(2);
        assertThat(ledger(paid.uuid())).filteredOn(row -> row.startsWith("PAYOUT")).hasSize(2);
    }

    // ---- deposit claims ----

    /** Moves the stay so that its check-out was yesterday in the property's zone (claims are filed from check-out). */
    void checkedOutYesterday(Paid paid) {
        LocalDate checkOut = today().minusDays(1);
        db.sql("UPDATE booking SET check_in = :in, check_out = :out, occupied_until = :out WHERE id = :id")
                .bind("in", checkOut.minusDays(3)).bind("out", checkOut).bind("id", paid.uuid()).then().block();
    }

    void claim(Paid paid, long amount) {
        Map<String, Object> payload = data(post(manager, CLAIM, Map.of("input", Map.of("bookingId", paid.id(),
                "items", List.of(Map.of("description", "Broken desk lamp", "amount", amount)), "note", "The lamp was broken."))), "claimDeposit");
        assertThat(payload.get("userErrors").toString()).isEqualTo("[]");
        assertThat(payload.get("booking").toString()).contains("status=PAID");
    }

    @Test
    void aCardOnFileClaimIsPaidOutAsSoonAsItIsPaidOnce() {
        Paid paid = bookAndPay(today().plusDays(10), 3);
        checkedOutYesterday(paid);
        // The first payment is paid out on its own rule; the claim is not filed yet.
        assertThat(payouts.runOnce(Instant.now()).block()).isEqualTo(1);

        claim(paid, 7500);
        assertThat(payouts.runOnce(Instant.now()).block()).isEqualTo(1);
        assertThat(payouts.runOnce(Instant.now()).block()).isZero();

        String key = "nomad:booking:" + paid.uuid() + ":payout-claim:1";
        List<LoggedRequest> made = withKey(requests("/v1/payouts"), key);
        assertThat(made).hasSize(1);
        // No commission on a claim.
        assertThat(StripeMock.form(made.get(0))).containsEntry("amount", "7500").containsEntry("currency", "usd")
                .containsEntry("metadata[purpose]", "claim").containsEntry("metadata[booking_id]", paid.uuid().toString());
        assertThat(made.get(0).getHeader("Stripe-Account")).isEqualTo(stripeAccount());
        assertThat(ledger(paid.uuid())).filteredOn(row -> row.startsWith("PAYOUT")).hasSize(2).anyMatch(row -> row.matches("PAYOUT -7500 po_\\w+"));
    }

    @Test
    void theClaimedPartOfACollectedDepositIsPaidOutButNotTheDepositItself() {
        assertThat(data(post(manager, SET_MODE, Map.of("input", Map.of("unitId", room.id(), "mode", "COLLECTED"))), "setDepositMode")
                .get("userErrors").toString()).isEqualTo("[]");
        Paid paid = bookAndPay(today().plusDays(10), 3);
        deposits.collectDue(100).block();
        assertThat(db.sql("SELECT status FROM booking_deposit WHERE booking_id = :b").bind("b", paid.uuid())
                .map(row -> row.get(0, String.class)).one().block()).isEqualTo("HELD");
        checkedOutYesterday(paid);
        claim(paid, 10000);
        String transfer = db.sql("SELECT stripe_object_id FROM deposit_claim WHERE booking_id = :b").bind("b", paid.uuid())
                .map(row -> row.get(0, String.class)).one().block();
        assertThat(transfer).startsWith("tr_");

        // The first payment and the claim; the held deposit is the platform's and the rest went back to the nomad.
        assertThat(payouts.runOnce(Instant.now()).block()).isEqualTo(2);
        assertThat(payouts.runOnce(Instant.now()).block()).isZero();

        assertThat(requests("/v1/payouts")).hasSize(2);
        List<LoggedRequest> made = withKey(requests("/v1/payouts"), "nomad:booking:" + paid.uuid() + ":payout-claim:1");
        assertThat(made).hasSize(1);
        assertThat(StripeMock.form(made.get(0))).containsEntry("amount", "10000").containsEntry("currency", "usd")
                .containsEntry("metadata[purpose]", "claim_transfer").containsEntry("metadata[transfer_id]", transfer);
        assertThat(made.get(0).getHeader("Stripe-Account")).isEqualTo(stripeAccount());
        assertThat(db.sql("SELECT purpose || ' ' || amount || ' ' || (deposit_claim_id = booking_id) || ' ' || (payment_id IS NULL) AS row FROM payout "
                        + "WHERE booking_id = :b AND purpose = 'CLAIM_TRANSFER'")
                .bind("b", paid.uuid()).map(row -> row.get("row", String.class)).one().block()).isEqualTo("CLAIM_TRANSFER 10000 true true");
        assertThat(ledger(paid.uuid())).anyMatch(row -> row.matches("PAYOUT -10000 po_\\w+"));
    }

    @Test
    void stripeDownForAClaimPayoutMeansTheNextRoundPaysItOutOnce() {
        Paid paid = bookAndPay(today().plusDays(10), 3);
        checkedOutYesterday(paid);
        assertThat(payouts.runOnce(Instant.now()).block()).isEqualTo(1);
        claim(paid, 2500);
        StubMapping down = StripeMock.SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/v1/payouts")).atPriority(1)
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody(StripeMock.error("api_error", "Stripe is unavailable."))));

        assertThat(payouts.runOnce(Instant.now()).block()).isZero();
        assertThat(ledger(paid.uuid())).filteredOn(row -> row.startsWith("PAYOUT")).hasSize(1);

        StripeMock.SERVER.removeStub(down);
        assertThat(payouts.runOnce(Instant.now()).block()).isEqualTo(1);
        assertThat(payouts.runOnce(Instant.now()).block()).isZero();
        assertThat(withKey(requests("/v1/payouts"), "nomad:booking:" + paid.uuid() + ":payout-claim:1")).hasSize(2);
        assertThat(ledger(paid.uuid())).filteredOn(row -> row.startsWith("PAYOUT")).hasSize(2).anyMatch(row -> row.matches("PAYOUT -2500 po_\\w+"));
    }
}
