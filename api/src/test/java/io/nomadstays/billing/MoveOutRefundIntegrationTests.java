package io.nomadstays.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.nomadstays.payments.Refunds;
import io.nomadstays.support.StripeMock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An early move-out gives back, under the booking's cancellation policy (notice: days from today to
 * the move-out date), what was already paid for the nights given up, [moveOut, check-out), each paid
 * instalment pro rata by its nights; a manager gives back all of it. Stripe first (reverse transfer,
 * commission in proportion), then the shorter stay and its ledger rows in one transaction.
 */
class MoveOutRefundIntegrationTests extends PaidBookingTest {

    static final String MOVE_OUT = """
            mutation($id: ID!, $date: Date!) { moveOutEarly(input: {bookingId: $id, moveOutDate: $date}) {
              booking { id checkOut total { amount } rent { sequence status }
                        refunds { amount { amount currency } status stripeRefundId } }
              userErrors { field code message } } }""";

    @Autowired
    RentJobs job;

    @Autowired
    Refunds stripeRefunds;

    record Stay(Paid paid, LocalDate in, LocalDate out, long total) {
    }

    /** A three-month stay from {@code in}, paid at booking (month 1); month 2 paid too when {@code payMonth2}. */
    Stay threeMonths(LocalDate in, boolean payMonth2) {
        LocalDate out = in.plusMonths(3);
        Paid paid = bookAndPay(in, (int) ChronoUnit.DAYS.between(in, out));
        if (payMonth2) {
            db.sql("UPDATE rent_instalment SET due_on = (now() AT TIME ZONE 'Asia/Makassar')::date WHERE booking_id = :b AND sequence = 2")
                    .bind("b", paid.uuid()).then().block();
            job.runOnce().block(Duration.ofSeconds(30));
            assertThat(monthStatus(paid.uuid(), 2)).isEqualTo("PAID");
        }
        StripeMock.SERVER.resetRequests();
        return new Stay(paid, in, out, total(paid.uuid()));
    }

    Map<String, Object> moveOut(String subject, Paid paid, LocalDate date) {
        return data(post(subject, MOVE_OUT, Map.of("id", paid.id(), "date", date.toString())), "moveOutEarly");
    }

    String monthStatus(UUID booking, int sequence) {
        return db.sql("SELECT status FROM rent_instalment WHERE booking_id = :b AND sequence = :s").bind("b", booking).bind("s", sequence)
                .map(row -> row.get("status", String.class)).one().block();
    }

    long monthAmount(UUID booking, int sequence) {
        return db.sql("SELECT amount FROM rent_instalment WHERE booking_id = :b AND sequence = :s").bind("b", booking).bind("s", sequence)
                .map(row -> row.get("amount", Long.class)).one().block();
    }

    /** The succeeded payment of a purpose and sequence: intent id, amount, application fee. */
    record PaidPart(UUID id, String intentId, long amount, long fee) {
    }

    PaidPart payment(UUID booking, String purpose, int sequence) {
        return db.sql("SELECT id, stripe_payment_intent_id, amount, application_fee FROM payment WHERE booking_id = :b AND purpose = :p AND sequence = :s"
                        + " AND status = 'SUCCEEDED'")
                .bind("b", booking).bind("p", purpose).bind("s", sequence)
                .map(row -> new PaidPart(row.get("id", UUID.class), row.get("stripe_payment_intent_id", String.class), row.get("amount", Long.class),
                        row.get("application_fee", Long.class)))
                .one().block();
    }

    long total(UUID booking) {
        return db.sql("SELECT total FROM booking WHERE id = :b").bind("b", booking).map(row -> row.get("total", Long.class)).one().block();
    }

    LocalDate checkOut(UUID booking) {
        return db.sql("SELECT check_out FROM booking WHERE id = :b").bind("b", booking).map(row -> row.get("check_out", LocalDate.class)).one().block();
    }

    /** {@code amount * nights / of}, rounded half up (what a pro rata share is). */
    static long proRata(long amount, long nights, long of) {
        return Math.floorDiv(2 * amount * nights + of, 2 * of);
    }

    static long days(LocalDate from, LocalDate to) {
        return ChronoUnit.DAYS.between(from, to);
    }

    static long amountOf(Map<String, Object> payload, String... path) {
        Object node = payload;
        for (String key : path) {
            node = ((Map<?, ?>) node).get(key);
        }
        return ((Number) node).longValue();
    }

    // ---- tests ----

    @Test
    void aGuestUnderLongStayWithAMonthsNoticeGetsThePaidNightsAfterTheMoveOutBack() {
        unitPolicy("LONG_STAY");
        Stay stay = threeMonths(today().plusDays(10), true);
        LocalDate moveOut = stay.in().plusMonths(1).plusDays(5);
        assertThat(days(today(), moveOut)).isGreaterThanOrEqualTo(30);
        PaidPart month2 = payment(stay.paid().uuid(), "RENT", 2);
        long month3 = monthAmount(stay.paid().uuid(), 3);
        LocalDate month2From = stay.in().plusMonths(1);
        LocalDate month2To = stay.in().plusMonths(2);
        long expected = proRata(month2.amount(), days(moveOut, month2To), days(month2From, month2To));

        Map<String, Object> payload = moveOut("test:nomad", stay.paid(), moveOut);

        assertThat(payload.get("userErrors")).asList().isEmpty();
        Map<?, ?> booking = (Map<?, ?>) payload.get("booking");
        assertThat(booking.get("checkOut")).isEqualTo(moveOut.toString());
        assertThat(((List<?>) booking.get("rent")).stream().map(m -> (Object) ((Map<?, ?>) m).get("status")).toList()).containsExactly("PAID", "CANCELLED");
        List<LoggedRequest> refunds = requests("/v1/refunds");
        assertThat(refunds).hasSize(1);
        assertThat(StripeMock.form(refunds.get(0))).containsEntry("payment_intent", month2.intentId()).containsEntry("amount", String.valueOf(expected))
                .containsEntry("reverse_transfer", "true").containsEntry("refund_application_fee", "true")
                .containsEntry("metadata[booking_id]", stay.paid().uuid().toString()).containsEntry("metadata[reason]", "move_out");
        assertThat(refunds.get(0).getHeader("Idempotency-Key")).isEqualTo("nomad:booking:" + stay.paid().uuid() + ":move-out-refund-2:1");
        List<?> shown = (List<?>) booking.get("refunds");
        assertThat(shown).hasSize(1);
        String refundId = (String) ((Map<?, ?>) shown.get(0)).get("stripeRefundId");
        assertThat(((Map<?, ?>) shown.get(0)).get("amount")).isEqualTo(Map.of("amount", (int) expected, "currency", "USD"));
        assertThat(refundId).startsWith("re_");
        assertThat(ledger(stay.paid().uuid())).contains("REFUND -" + expected + " " + refundId,
                "FEE_REFUND " + BookingRefunds.feeShare(month2.fee(), expected, month2.amount()) + " " + refundId);
        assertThat(db.sql("SELECT reason FROM refund WHERE stripe_refund_id = :r").bind("r", refundId).map(row -> row.get("reason", String.class))
                .one().block()).isEqualTo("MOVE_OUT");
        // What is kept: month 3 is not owed and the refund went back.
        assertThat(amountOf(payload, "booking", "total", "amount")).isEqualTo(stay.total() - month3 - expected);
        assertThat(booking("test:nomad", stay.paid().id()).get("events").toString())
                .contains("moving out early: check-out " + moveOut, "refund " + expected + " USD", "LONG_STAY");
    }

    @Test
    void aGuestUnderStrictWithElevenDaysNoticeGetsHalfOfThePaidNightsBack() {
        unitPolicy("STRICT");
        Stay stay = threeMonths(today().plusDays(10), false);
        LocalDate moveOut = stay.in().plusDays(1);
        PaidPart first = payment(stay.paid().uuid(), "FIRST_PAYMENT", 1);
        LocalDate monthEnd = stay.in().plusMonths(1);
        // Only the first month is paid: its nights from the move-out on count; STRICT gives half with 7-13 days' notice.
        long paidForNights = proRata(first.amount(), days(moveOut, monthEnd), days(stay.in(), monthEnd));
        long expected = proRata(paidForNights, 1, 2);

        Map<String, Object> payload = moveOut("test:nomad", stay.paid(), moveOut);

        assertThat(payload.get("userErrors")).asList().isEmpty();
        List<LoggedRequest> refunds = requests("/v1/refunds");
        assertThat(refunds).hasSize(1);
        assertThat(StripeMock.form(refunds.get(0))).containsEntry("payment_intent", first.intentId()).containsEntry("amount", String.valueOf(expected))
                .containsEntry("reverse_transfer", "true").containsEntry("refund_application_fee", "true");
        assertThat(refunds.get(0).getHeader("Idempotency-Key")).isEqualTo("nomad:booking:" + stay.paid().uuid() + ":move-out-refund-1:1");
        assertThat(ledger(stay.paid().uuid())).anyMatch(row -> row.startsWith("REFUND -" + expected + " re_"))
                .anyMatch(row -> row.startsWith("FEE_REFUND " + BookingRefunds.feeShare(first.fee(), expected, first.amount()) + " re_"));
        // Months 2 and 3 were not paid and are not owed: the total is the first payment less the refund.
        assertThat(total(stay.paid().uuid())).isEqualTo(first.amount() - expected);
    }

    @Test
    void aGuestUnderStrictWithLessThanAWeeksNoticeGetsNothingBackAndStripeIsNotCalled() {
        unitPolicy("STRICT");
        Stay stay = threeMonths(today().plusDays(2), false);
        LocalDate moveOut = today().plusDays(5);

        Map<String, Object> payload = moveOut("test:nomad", stay.paid(), moveOut);

        assertThat(payload.get("userErrors")).asList().isEmpty();
        assertThat(((Map<?, ?>) payload.get("booking")).get("checkOut")).isEqualTo(moveOut.toString());
        assertThat(((Map<?, ?>) payload.get("booking")).get("refunds")).asList().isEmpty();
        assertThat(requests("/v1/refunds")).isEmpty();
        assertThat(fixtures.count("refund")).isZero();
        assertThat(ledger(stay.paid().uuid())).noneMatch(row -> row.startsWith("REFUND"));
        assertThat(booking("test:nomad", stay.paid().id()).get("events").toString()).contains("refund 0 USD", "0.0%", "5 days' notice");
    }

    @Test
    void aManagerMovingTheGuestOutRefundsEveryPaidNightAfterTheMoveOutNewestMonthFirst() {
        unitPolicy("STRICT");
        Stay stay = threeMonths(today().plusDays(10), true);
        LocalDate moveOut = stay.in().plusDays(1);
        PaidPart first = payment(stay.paid().uuid(), "FIRST_PAYMENT", 1);
        PaidPart month2 = payment(stay.paid().uuid(), "RENT", 2);
        LocalDate monthEnd = stay.in().plusMonths(1);
        long firstShare = proRata(first.amount(), days(moveOut, monthEnd), days(stay.in(), monthEnd));

        Map<String, Object> payload = moveOut(manager, stay.paid(), moveOut);

        assertThat(payload.get("userErrors")).asList().isEmpty();
        List<LoggedRequest> refunds = requests("/v1/refunds");
        assertThat(refunds).extracting(r -> StripeMock.form(r).get("payment_intent")).containsExactly(month2.intentId(), first.intentId());
        assertThat(refunds).extracting(r -> StripeMock.form(r).get("amount"))
                .containsExactly(String.valueOf(month2.amount()), String.valueOf(firstShare));
        assertThat(refunds).extracting(r -> r.getHeader("Idempotency-Key")).containsExactly(
                "nomad:booking:" + stay.paid().uuid() + ":move-out-refund-2:1", "nomad:booking:" + stay.paid().uuid() + ":move-out-refund-1:1");
        assertThat(refunds).allSatisfy(r -> assertThat(StripeMock.form(r)).containsEntry("reverse_transfer", "true")
                .containsEntry("refund_application_fee", "true"));
        // A full refund of month 2 gives its whole commission back.
        assertThat(ledger(stay.paid().uuid())).anyMatch(row -> row.startsWith("REFUND -" + month2.amount() + " re_"))
                .anyMatch(row -> row.startsWith("FEE_REFUND " + month2.fee() + " re_"))
                .anyMatch(row -> row.startsWith("REFUND -" + firstShare + " re_"));
        assertThat(((Map<?, ?>) payload.get("booking")).get("refunds")).asList().hasSize(2);
        assertThat(booking(manager, stay.paid().id()).get("events").toString()).contains("by staff: all of it");
    }

    @Test
    void stripeDownLeavesTheBookingUnchangedAndARetryRefundsOnce() {
        unitPolicy("LONG_STAY");
        Stay stay = threeMonths(today().plusDays(10), true);
        LocalDate moveOut = stay.in().plusMonths(1).plusDays(5);
        StubMapping down = StripeMock.SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/v1/refunds")).atPriority(1)
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody(StripeMock.error("api_error", "Something went wrong on Stripe's end."))));

        Map<String, Object> failed = moveOut("test:nomad", stay.paid(), moveOut);

        assertThat(failed.get("booking")).isNull();
        assertThat(failed.get("userErrors").toString()).contains("code=PAYMENT_PROVIDER_UNAVAILABLE");
        assertThat(checkOut(stay.paid().uuid())).isEqualTo(stay.out());
        assertThat(total(stay.paid().uuid())).isEqualTo(stay.total());
        assertThat(monthStatus(stay.paid().uuid(), 3)).isEqualTo("SCHEDULED");
        assertThat(fixtures.count("refund")).isZero();
        assertThat(ledger(stay.paid().uuid())).noneMatch(row -> row.startsWith("REFUND"));
        assertThat(booking("test:nomad", stay.paid().id()).get("events").toString()).doesNotContain("moving out early");

        StripeMock.SERVER.removeStub(down);
        Map<String, Object> retried = moveOut("test:nomad", stay.paid(), moveOut);
        Map<String, Object> again = moveOut("test:nomad", stay.paid(), moveOut);

        assertThat(retried.get("userErrors")).asList().isEmpty();
        assertThat(again.get("userErrors")).asList().isEmpty();
        assertThat(((Map<?, ?>) again.get("booking")).get("refunds")).isEqualTo(((Map<?, ?>) retried.get("booking")).get("refunds"));
        // The call that failed and the one that refunded; the repeat after success made none.
        List<LoggedRequest> refunds = requests("/v1/refunds");
        assertThat(refunds).hasSize(2);
        assertThat(refunds).extracting(r -> r.getHeader("Idempotency-Key"))
                .containsOnly("nomad:booking:" + stay.paid().uuid() + ":move-out-refund-2:1");
        assertThat(fixtures.count("refund")).isEqualTo(1);
        assertThat(ledger(stay.paid().uuid())).filteredOn(row -> row.startsWith("REFUND")).hasSize(1);
        assertThat(monthStatus(stay.paid().uuid(), 3)).isEqualTo("CANCELLED");
    }

    @Test
    void aRetryAfterALostCommitGetsStripesFirstRefundBack() {
        // Stripe refunded but the commit never happened: the retry sends the same request and key, and records that refund.
        unitPolicy("LONG_STAY");
        Stay stay = threeMonths(today().plusDays(10), true);
        LocalDate moveOut = stay.in().plusMonths(1).plusDays(5);
        PaidPart month2 = payment(stay.paid().uuid(), "RENT", 2);
        long expected = proRata(month2.amount(), days(moveOut, stay.in().plusMonths(2)), days(stay.in().plusMonths(1), stay.in().plusMonths(2)));
        String earlier = stripeRefunds.refund(month2.intentId(), expected, true, Map.of("booking_id", stay.paid().uuid().toString(), "payment_id", month2.id().toString(), "reason", "move_out"),
                "nomad:booking:" + stay.paid().uuid() + ":move-out-refund-2:1").block().id();

        Map<String, Object> payload = moveOut("test:nomad", stay.paid(), moveOut);

        assertThat(payload.get("userErrors")).asList().isEmpty();
        assertThat(((List<?>) ((Map<?, ?>) payload.get("booking")).get("refunds")).stream().map(r -> (Object) ((Map<?, ?>) r).get("stripeRefundId")).toList())
                .containsExactly(earlier);
        assertThat(ledger(stay.paid().uuid())).filteredOn(row -> row.startsWith("REFUND")).containsExactly("REFUND -" + expected + " " + earlier);
    }

    @Test
    void extendingAfterAMoveOutChargesTheAddedNightsNotLessTheRefundAgain() {
        unitPolicy("LONG_STAY");
        Stay stay = threeMonths(today().plusDays(10), true);
        LocalDate moveOut = stay.in().plusMonths(1).plusDays(5);
        Map<String, Object> moved = moveOut("test:nomad", stay.paid(), moveOut);
        assertThat(moved.get("userErrors")).asList().isEmpty();
        long refunded = -ledger(stay.paid().uuid()).stream().filter(row -> row.startsWith("REFUND ")).mapToLong(row -> Long.parseLong(row.split(" ")[1]))
                .sum();
        assertThat(refunded).isPositive();

        Map<String, Object> extended = data(post("test:nomad", """
                mutation($id: ID!, $out: Date!) { extendBooking(input: {bookingId: $id, checkOut: $out}) {
                  booking { total { amount } } userErrors { code message } } }""",
                Map.of("id", stay.paid().id(), "out", stay.in().plusMonths(2).toString())), "extendBooking");

        assertThat(extended.get("userErrors")).asList().isEmpty();
        // Kept = what was paid, less the refund, plus every month still owed: the schedule adds up to the new total.
        long owed = db.sql("SELECT coalesce(sum(amount), 0) AS s FROM rent_instalment WHERE booking_id = :b AND status <> 'CANCELLED'")
                .bind("b", stay.paid().uuid()).map(row -> row.get("s", Number.class).longValue()).one().block();
        long first = payment(stay.paid().uuid(), "FIRST_PAYMENT", 1).amount();
        assertThat(first + owed - refunded).isEqualTo(amountOf(extended, "booking", "total", "amount"));
    }

    @Test
    void theGuestAndAManagerMovingOutAtOnceRefundOnce() throws Exception {
        // With over 30 days' notice LONG_STAY gives back everything, as staff do: both send the same refund with the same key.
        unitPolicy("LONG_STAY");
        Stay stay = threeMonths(today().plusDays(10), true);
        LocalDate moveOut = stay.in().plusMonths(1).plusDays(5);

        var guest = java.util.concurrent.CompletableFuture.supplyAsync(() -> moveOut("test:nomad", stay.paid(), moveOut));
        var staff = java.util.concurrent.CompletableFuture.supplyAsync(() -> moveOut(manager, stay.paid(), moveOut));

        for (Map<String, Object> payload : List.of(guest.get(), staff.get())) {
            assertThat(payload.get("userErrors")).asList().isEmpty();
            assertThat(((Map<?, ?>) payload.get("booking")).get("checkOut")).isEqualTo(moveOut.toString());
        }
        assertThat(fixtures.count("refund")).isEqualTo(1);
        assertThat(ledger(stay.paid().uuid())).filteredOn(row -> row.startsWith("REFUND")).hasSize(1);
        assertThat(booking("test:nomad", stay.paid().id()).get("events").toString()).containsOnlyOnce("moving out early");
    }

    @Test
    void staffOfAnotherOperatorOrWithoutTheManagerRoleCannotMoveTheGuestOut() {
        Stay stay = threeMonths(today().plusDays(10), true);
        LocalDate moveOut = stay.in().plusMonths(1).plusDays(5);

        Map<String, Object> stranger = moveOut(fixtures.staff(fixtures.operator("other-coliving"), "OWNER"), stay.paid(), moveOut);
        Map<String, Object> viewer = moveOut(fixtures.staff(operator, "VIEWER"), stay.paid(), moveOut);

        assertThat(stranger.get("booking")).isNull();
        assertThat(stranger.get("userErrors").toString()).contains("code=NOT_FOUND");
        assertThat(viewer.get("userErrors").toString()).contains("code=FORBIDDEN");
        assertThat(requests("/v1/refunds")).isEmpty();
        assertThat(checkOut(stay.paid().uuid())).isEqualTo(stay.out());
        assertThat(fixtures.count("refund")).isZero();
    }
}
