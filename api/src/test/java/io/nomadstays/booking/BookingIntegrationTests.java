package io.nomadstays.booking;

import io.nomadstays.ops.JobLease;
import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** createBooking and every state change through the GraphQL API, with the calendar rows checked in SQL. */
class BookingIntegrationTests extends IntegrationTest {

    static final String BOOKING_FIELDS = """
            id status mode checkIn checkOut nights guests quantity total { amount currency } deposit { amount }
            holdExpiresAt requestExpiresAt cancellationPolicy refund { amount currency } declineReason cancelReason
            answers { question answer } quote { lines { kind description amount { amount } } total { amount } }
            events { from to actor note }""";
    static final String CREATE = "mutation($input: CreateBookingInput!) { createBooking(input: $input) { booking { "
            + BOOKING_FIELDS + " } userErrors { field code message } } }";
    static final String CANCEL = "mutation($input: CancelBookingInput!) { cancelBooking(input: $input) { booking { "
            + BOOKING_FIELDS + " } userErrors { field code message } } }";
    static final String ACCEPT = "mutation($id: ID!) { acceptBooking(input: {bookingId: $id}) { booking { " + BOOKING_FIELDS
            + " } userErrors { field code message } } }";
    static final String DECLINE = "mutation($id: ID!, $reason: String!) { declineBooking(input: {bookingId: $id, reason: $reason}) { booking { "
            + BOOKING_FIELDS + " } userErrors { field code message } } }";
    static final String CHECK_IN = "mutation($id: ID!) { checkInBooking(input: {bookingId: $id}) { booking { status } userErrors { field code message } } }";
    static final String COMPLETE = "mutation($id: ID!) { completeBooking(input: {bookingId: $id}) { booking { status } userErrors { field code message } } }";
    static final String EXTEND = "mutation($id: ID!, $checkOut: Date!) { extendBooking(input: {bookingId: $id, checkOut: $checkOut}) { booking { "
            + BOOKING_FIELDS + " } addedQuote { nights total { amount } lines { description amount { amount } } } userErrors { field code message } } }";
    static final String RULES = "mutation($input: SetBookingRulesInput!) { setBookingRules(input: $input) { unit { bookingRules { bookingMode "
            + "cancellationPolicy preparationDays bookingQuestions } } userErrors { field code message } } }";
    static final String BLOCK = "mutation($input: BlockDatesInput!) { blockDates(input: $input) { block { id startDate endDate source note } "
            + "userErrors { field code message } } }";
    static final String UNBLOCK = "mutation($id: ID!) { unblockDates(input: {blockId: $id}) { block { id } userErrors { field code message } } }";

    private static final ZoneId BALI = ZoneId.of("Asia/Makassar");

    @Autowired
    BookingService service;

    private Fixtures.Ref operator;
    private Fixtures.Ref property;
    private Fixtures.Ref room;
    private String manager;
    private String nomad;
    private LocalDate today;

    @BeforeEach
    void listing() {
        operator = fixtures.operator("canggu-coliving");
        property = fixtures.property(operator, "Canggu Coliving");
        room = fixtures.unit(operator, property, "Room 1", true);
        manager = fixtures.staff(operator, "MANAGER");
        nomad = "test:nomad-ana";
        fixtures.user(nomad);
        today = LocalDate.now(BALI);
    }

    Map<String, Object> book(String subject, String unitId, LocalDate in, LocalDate out, int guests) {
        return book(subject, unitId, in, out, guests, Map.of());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> book(String subject, String unitId, LocalDate in, LocalDate out, int guests, Map<String, Object> extra) {
        Map<String, Object> input = new HashMap<>(Map.of("unitId", unitId, "checkIn", in.toString(), "checkOut", out.toString(), "guests", guests));
        input.putAll(extra);
        Map<String, Object> response = post(subject, CREATE, Map.of("input", input));
        assertThat(response).doesNotContainKey("errors");
        return (Map<String, Object>) ((Map<String, Object>) response.get("data")).get("createBooking");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> booking(Map<String, Object> payload) {
        assertThat((List<?>) payload.get("userErrors")).as("userErrors").isEmpty();
        return (Map<String, Object>) payload.get("booking");
    }

    @SuppressWarnings("unchecked")
    static String errorCode(Map<String, Object> payload) {
        assertThat(payload.get("booking")).isNull();
        List<Map<String, Object>> errors = (List<Map<String, Object>>) payload.get("userErrors");
        assertThat(errors).isNotEmpty();
        return (String) errors.get(0).get("code");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> mutate(String subject, String document, String field, Map<String, Object> variables) {
        Map<String, Object> response = post(subject, document, variables);
        assertThat(response).doesNotContainKey("errors");
        return (Map<String, Object>) ((Map<String, Object>) response.get("data")).get(field);
    }

    int booked(Fixtures.Ref unit, LocalDate day) {
        return db.sql("SELECT booked FROM unit_calendar WHERE unit_id = :u AND day = :d").bind("u", unit.uuid()).bind("d", day)
                .map(row -> row.get("booked", Integer.class)).one().defaultIfEmpty(0).block();
    }

    UUID uuid(Map<String, Object> booking) {
        return io.nomadstays.graphql.GlobalId.parse((String) booking.get("id")).orElseThrow().uuid();
    }

    @Test
    void anInstantBookingHoldsTheDatesForFifteenMinutesAndIsConfirmedByPayment() {
        LocalDate in = today.plusDays(10);
        Instant before = Instant.now();
        var b = booking(book(nomad, room.id(), in, in.plusDays(3), 1));
        assertThat(b.get("status")).isEqualTo("HELD");
        assertThat(b.get("mode")).isEqualTo("INSTANT");
        assertThat(b.get("nights")).isEqualTo(3);
        assertThat(((Map<?, ?>) b.get("total")).get("amount")).isEqualTo(7500); // 3 nights at 25.00 USD
        assertThat(((Map<?, ?>) b.get("deposit")).get("amount")).isEqualTo(30000);
        Instant hold = Instant.parse((String) b.get("holdExpiresAt"));
        assertThat(Duration.between(before, hold)).isBetween(Duration.ofMinutes(14), Duration.ofMinutes(16));
        assertThat(booked(room, in)).isEqualTo(1);
        assertThat(booked(room, in.plusDays(2))).isEqualTo(1);
        assertThat(booked(room, in.plusDays(3))).as("check-out day stays free").isZero();

        // Someone else, same nights: refused, and nothing written.
        String other = "test:nomad-bo";
        fixtures.user(other);
        var refused = book(other, room.id(), in.plusDays(2), in.plusDays(5), 1);
        assertThat(errorCode(refused)).isEqualTo("UNAVAILABLE");
        assertThat(fixtures.count("booking")).isEqualTo(1);
        assertThat(booked(room, in.plusDays(4))).isZero();
        // Back to back is fine.
        booking(book(other, room.id(), in.plusDays(3), in.plusDays(5), 1));

        service.confirmPaid(uuid(b)).block();
        var confirmed = as(nomad).document("query($id: ID!) { booking(id: $id) { status holdExpiresAt events { from to actor } } }")
                .variable("id", b.get("id")).execute();
        confirmed.path("booking.status").entity(String.class).isEqualTo("CONFIRMED");
        confirmed.path("booking.holdExpiresAt").valueIsNull();
        confirmed.path("booking.events[1].from").entity(String.class).isEqualTo("HELD");
        confirmed.path("booking.events[1].actor").entity(String.class).isEqualTo("SYSTEM");
    }

    @Test
    void badInputGetsUserErrorsAndWritesNothing() {
        assertThat(errorCode(book(nomad, room.id(), today.minusDays(1), today.plusDays(2), 1))).isEqualTo("OUT_OF_RANGE");
        assertThat(errorCode(book(nomad, room.id(), today.plusDays(5), today.plusDays(5), 1))).isEqualTo("OUT_OF_RANGE");
        assertThat(errorCode(book(nomad, room.id(), today.plusDays(5), today.plusDays(5 + 367), 1))).isEqualTo("OUT_OF_RANGE");
        assertThat(errorCode(book(nomad, room.id(), today.plusDays(800), today.plusDays(802), 1))).isEqualTo("OUT_OF_RANGE");
        assertThat(errorCode(book(nomad, room.id(), today.plusDays(5), today.plusDays(7), 2))).as("max 1 guest").isEqualTo("OUT_OF_RANGE");
        assertThat(errorCode(book(nomad, room.id(), today.plusDays(5), today.plusDays(7), 0))).isEqualTo("OUT_OF_RANGE");
        assertThat(errorCode(book(nomad, "not-an-id", today.plusDays(5), today.plusDays(7), 1))).isEqualTo("MALFORMED_ID");
        assertThat(errorCode(book(nomad, operator.id(), today.plusDays(5), today.plusDays(7), 1))).isEqualTo("WRONG_ID_TYPE");
        assertThat(errorCode(book(null, room.id(), today.plusDays(5), today.plusDays(7), 1))).isEqualTo("UNAUTHENTICATED");
        var draft = fixtures.unit(operator, property, "Draft room", false);
        assertThat(errorCode(book(nomad, draft.id(), today.plusDays(5), today.plusDays(7), 1))).isEqualTo("NOT_FOUND");
        db.sql("UPDATE unit SET min_stay = 7, max_stay = 30 WHERE id = :id").bind("id", room.uuid()).then().block();
        var tooShort = book(nomad, room.id(), today.plusDays(5), today.plusDays(7), 1);
        assertThat(errorCode(tooShort)).isEqualTo("OUT_OF_RANGE");
        assertThat(tooShort.toString()).contains("minimum stay is 7 nights");
        assertThat(errorCode(book(nomad, room.id(), today.plusDays(5), today.plusDays(40), 1))).isEqualTo("OUT_OF_RANGE");
        assertThat(errorCode(book(nomad, room.id(), today.plusDays(5), today.plusDays(7), 1, Map.of("idempotencyKey", "x".repeat(101)))))
                .isEqualTo("TOO_LONG");
        assertThat(fixtures.count("booking")).isZero();
        assertThat(fixtures.count("unit_calendar")).isZero();
        assertThat(fixtures.count("outbox_event")).isZero();
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyReturnsTheFirstBooking() {
        LocalDate in = today.plusDays(20);
        var first = booking(book(nomad, room.id(), in, in.plusDays(2), 1, Map.of("idempotencyKey", "checkout-42")));
        var retry = booking(book(nomad, room.id(), in, in.plusDays(2), 1, Map.of("idempotencyKey", "checkout-42")));
        assertThat(retry.get("id")).isEqualTo(first.get("id"));
        assertThat(fixtures.count("booking")).isEqualTo(1);
        assertThat(booked(room, in)).isEqualTo(1);
    }

    @Test
    void aDormSellsEachBedOnceAndPricesPerBed() {
        var dorm = fixtures.unit(operator, property, "6-bed dorm", true, "BED", 6, 4, "NIGHT");
        LocalDate in = today.plusDays(3);
        var four = booking(book(nomad, dorm.id(), in, in.plusDays(2), 4));
        assertThat(four.get("quantity")).isEqualTo(4);
        assertThat(((Map<?, ?>) four.get("total")).get("amount")).isEqualTo(4 * 2 * 2500);
        String other = "test:nomad-cy";
        fixtures.user(other);
        var three = book(other, dorm.id(), in.plusDays(1), in.plusDays(3), 3);
        assertThat(errorCode(three)).isEqualTo("UNAVAILABLE");
        assertThat(three.toString()).contains("only 2 places left");
        booking(book(other, dorm.id(), in.plusDays(1), in.plusDays(3), 2));
        assertThat(booked(dorm, in.plusDays(1))).isEqualTo(6);
        assertThat(booked(dorm, in.plusDays(2))).isEqualTo(2);

        // Capacity cannot drop below what is sold.
        var lower = mutate(manager, "mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { unit { capacity } userErrors { code } } }",
                "updateUnit", Map.of("input", Map.of("id", dorm.id(), "capacity", 5)));
        assertThat(lower.toString()).contains("INVALID_STATE");
        var higher = mutate(manager, "mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { unit { capacity } userErrors { code } } }",
                "updateUnit", Map.of("input", Map.of("id", dorm.id(), "capacity", 8)));
        assertThat(higher.toString()).contains("capacity=8");
        booking(book("test:nomad-di", dorm.id(), in.plusDays(1), in.plusDays(2), 2));
        assertThat(booked(dorm, in.plusDays(1))).isEqualTo(8);
    }

    @Test
    void requestToBookAsksQuestionsAndStaffAcceptOrDecline() {
        var rules = mutate(manager, RULES, "setBookingRules", Map.of("input", Map.of("unitId", room.id(), "bookingMode", "REQUEST",
                "bookingQuestions", List.of("Purpose of stay?", "Occupation?"), "cancellationPolicy", "STRICT")));
        assertThat(rules.toString()).contains("REQUEST").contains("STRICT");
        LocalDate in = today.plusDays(30);
        assertThat(errorCode(book(nomad, room.id(), in, in.plusDays(5), 1))).isEqualTo("REQUIRED");
        assertThat(errorCode(book(nomad, room.id(), in, in.plusDays(5), 1, Map.of("answers", List.of("Work", " "))))).isEqualTo("REQUIRED");
        var requested = booking(book(nomad, room.id(), in, in.plusDays(5), 1, Map.of("answers", List.of("Remote work", "Designer"))));
        assertThat(requested.get("status")).isEqualTo("REQUESTED");
        assertThat(requested.get("holdExpiresAt")).isNull();
        Instant expires = Instant.parse((String) requested.get("requestExpiresAt"));
        assertThat(Duration.between(Instant.now(), expires)).isBetween(Duration.ofHours(23), Duration.ofHours(25));
        assertThat(requested.get("answers").toString()).contains("question=Occupation?, answer=Designer");
        assertThat(booked(room, in)).as("a request holds the dates").isEqualTo(1);

        // The nomad cannot accept their own request; a viewer cannot either.
        assertThat(errorCode(mutate(nomad, ACCEPT, "acceptBooking", Map.of("id", requested.get("id"))))).isEqualTo("FORBIDDEN");
        String viewer = fixtures.staff(operator, "VIEWER");
        assertThat(errorCode(mutate(viewer, ACCEPT, "acceptBooking", Map.of("id", requested.get("id"))))).isEqualTo("FORBIDDEN");
        var accepted = booking(mutate(manager, ACCEPT, "acceptBooking", Map.of("id", requested.get("id"))));
        assertThat(accepted.get("status")).isEqualTo("HELD");
        assertThat(accepted.get("holdExpiresAt")).isNotNull();
        // Accepting twice is an illegal transition.
        assertThat(errorCode(mutate(manager, ACCEPT, "acceptBooking", Map.of("id", requested.get("id"))))).isEqualTo("INVALID_STATE");

        LocalDate later = in.plusDays(40);
        var second = booking(book(nomad, room.id(), later, later.plusDays(3), 1, Map.of("answers", List.of("Surf", "Writer"))));
        assertThat(errorCode(mutate(manager, DECLINE, "declineBooking", Map.of("id", second.get("id"), "reason", " ")))).isEqualTo("REQUIRED");
        var declined = booking(mutate(manager, DECLINE, "declineBooking", Map.of("id", second.get("id"), "reason", "We are full of surfers")));
        assertThat(declined.get("status")).isEqualTo("DECLINED");
        assertThat(declined.get("declineReason")).isEqualTo("We are full of surfers");
        assertThat(booked(room, later)).as("declining frees the dates").isZero();
        assertThat(errorCode(mutate(manager, ACCEPT, "acceptBooking", Map.of("id", second.get("id"))))).isEqualTo("INVALID_STATE");
    }

    @Test
    void holdsAndRequestsThatRunOutExpireAndFreeTheirDates() {
        LocalDate in = today.plusDays(12);
        var held = booking(book(nomad, room.id(), in, in.plusDays(2), 1));
        db.sql("UPDATE booking SET hold_expires_at = now() - interval '1 second'").then().block();
        assertThat(service.expireBatch(100).block()).isEqualTo(1);
        assertThat(booked(room, in)).isZero();
        as(nomad).document("query($id: ID!) { booking(id: $id) { status events { to actor note } } }").variable("id", held.get("id")).execute()
                .path("booking.status").entity(String.class).isEqualTo("EXPIRED")
                .path("booking.events[1].actor").entity(String.class).isEqualTo("SYSTEM");
        // An expired hold cannot be paid any more.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> service.confirmPaid(uuid(held)).block())
                .isInstanceOf(IllegalStateException.class);

        mutate(manager, RULES, "setBookingRules", Map.of("input", Map.of("unitId", room.id(), "bookingMode", "REQUEST")));
        var requested = booking(book(nomad, room.id(), in, in.plusDays(2), 1));
        db.sql("UPDATE booking SET request_expires_at = now() - interval '1 second' WHERE status = 'REQUESTED'").then().block();
        // A new booking of the unit expires stale holds first, without waiting for the job.
        var next = booking(book("test:nomad-ed", room.id(), in, in.plusDays(2), 1));
        assertThat(next.get("status")).isEqualTo("REQUESTED");
        assertThat(db.sql("SELECT status FROM booking WHERE id = :id").bind("id", uuid(requested)).map(r -> r.get("status", String.class)).one().block())
                .isEqualTo("EXPIRED");
        assertThat(booked(room, in)).isEqualTo(1);
    }

    @Test
    void theJobExpiresHoldsOnItsOwnOnlyUnderItsLease() {
        LocalDate in = today.plusDays(12);
        booking(book(nomad, room.id(), in, in.plusDays(2), 1));
        db.sql("UPDATE booking SET hold_expires_at = now() - interval '1 second'").then().block();
        // Another instance holds the lease: this one does nothing.
        db.sql("""
                INSERT INTO job_lease (name, holder, expires_at) VALUES ('booking-jobs', 'api-other', now() + interval '1 minute')
                ON CONFLICT (name) DO UPDATE SET holder = 'api-other', expires_at = now() + interval '1 minute'""").then().block();
        var jobs = new BookingJobs(service, new JobLease(db), new BookingProperties(Duration.ofMinutes(15), Duration.ofHours(24),
                Duration.ofHours(24), Duration.ofSeconds(5)));
        jobs.runOnce().block();
        assertThat(booked(room, in)).isEqualTo(1);
        db.sql("UPDATE job_lease SET expires_at = now() - interval '1 second'").then().block();
        jobs.runOnce().block();
        assertThat(booked(room, in)).isZero();
    }

    /** Stripe.js succeeds the booking's first payment and Stripe's webhook arrives. */
    private void payThroughStripe(Map<String, Object> booking) {
        String intent = db.sql("SELECT stripe_payment_intent_id FROM payment WHERE booking_id = :b").bind("b", uuid(booking))
                .map(row -> row.get("stripe_payment_intent_id", String.class)).one().block();
        io.nomadstays.support.StripeMock.FAKE.succeed(intent, "pm_card_visa");
        stripeEvents.deliver(io.nomadstays.support.StripeMock.event("evt_" + intent.substring(3), "payment_intent.succeeded",
                io.nomadstays.support.StripeMock.FAKE.object(intent), null, java.time.Instant.now())).expectStatus().isOk();
    }

    @Test
    void cancellationAppliesThePolicyByNotice() {
        // MODERATE (the default): 5+ days 100%, 1-4 days 50%, less 0%. Refunds are of what was paid (through the Stripe fake).
        LocalDate far = today.plusDays(10);
        var a = booking(book(nomad, room.id(), far, far.plusDays(4), 1));
        payThroughStripe(a);
        var cancelled = booking(mutate(nomad, CANCEL, "cancelBooking", Map.of("input", Map.of("bookingId", a.get("id"), "reason", "Plans changed"))));
        assertThat(cancelled.get("status")).isEqualTo("CANCELLED_BY_GUEST");
        assertThat(((Map<?, ?>) cancelled.get("refund")).get("amount")).isEqualTo(10000);
        assertThat(cancelled.get("cancelReason")).isEqualTo("Plans changed");
        assertThat(booked(room, far)).isZero();
        // Cancelling again answers with the same booking and the same refund: nothing is owed twice.
        var again = booking(mutate(nomad, CANCEL, "cancelBooking", Map.of("input", Map.of("bookingId", a.get("id")))));
        assertThat(((Map<?, ?>) again.get("refund")).get("amount")).isEqualTo(10000);
        assertThat(again.get("events").toString().split("CANCELLED_BY_GUEST").length - 1).isEqualTo(1);

        LocalDate soon = today.plusDays(2);
        var b = booking(book(nomad, room.id(), soon, soon.plusDays(4), 1));
        payThroughStripe(b);
        var half = booking(mutate(nomad, CANCEL, "cancelBooking", Map.of("input", Map.of("bookingId", b.get("id")))));
        assertThat(((Map<?, ?>) half.get("refund")).get("amount")).isEqualTo(5000);

        // The operator cancelling refunds everything; an unpaid hold owes nothing.
        var c = booking(book(nomad, room.id(), soon, soon.plusDays(2), 1));
        payThroughStripe(c);
        var byOperator = booking(mutate(manager, CANCEL, "cancelBooking", Map.of("input", Map.of("bookingId", c.get("id"), "reason", "Leak"))));
        assertThat(byOperator.get("status")).isEqualTo("CANCELLED_BY_OPERATOR");
        assertThat(((Map<?, ?>) byOperator.get("refund")).get("amount")).isEqualTo(5000);
        var d = booking(book(nomad, room.id(), far, far.plusDays(1), 1));
        var unpaid = booking(mutate(nomad, CANCEL, "cancelBooking", Map.of("input", Map.of("bookingId", d.get("id")))));
        assertThat(((Map<?, ?>) unpaid.get("refund")).get("amount")).isEqualTo(0);

        // Checked-in stays cannot be cancelled (early move-out belongs to payments).
        LocalDate now = today;
        var e = booking(book(nomad, room.id(), now, now.plusDays(3), 1));
        service.confirmPaid(uuid(e)).block();
        assertThat(mutate(manager, CHECK_IN, "checkInBooking", Map.of("id", e.get("id"))).toString()).contains("CHECKED_IN");
        assertThat(errorCode(mutate(nomad, CANCEL, "cancelBooking", Map.of("input", Map.of("bookingId", e.get("id")))))).isEqualTo("INVALID_STATE");
        assertThat(mutate(manager, COMPLETE, "completeBooking", Map.of("id", e.get("id"))).toString()).contains("COMPLETED");
    }

    @Test
    void checkInIsRefusedBeforeTheCheckInDate() {
        LocalDate in = today.plusDays(3);
        var b = booking(book(nomad, room.id(), in, in.plusDays(3), 1));
        assertThat(errorCode(mutate(manager, CHECK_IN, "checkInBooking", Map.of("id", b.get("id"))))).isEqualTo("INVALID_STATE");
        service.confirmPaid(uuid(b)).block();
        assertThat(errorCode(mutate(manager, CHECK_IN, "checkInBooking", Map.of("id", b.get("id"))))).isEqualTo("INVALID_STATE");
    }

    @Test
    void extendingAStayKeepsTheOriginalMonthlyRate() {
        LocalDate in = today.plusDays(7);
        var b = booking(book(nomad, room.id(), in, in.plusMonths(2), 1));
        assertThat(((Map<?, ?>) b.get("total")).get("amount")).isEqualTo(90000); // 2 months at 450.00
        service.confirmPaid(uuid(b)).block();
        // The operator raises the price afterwards; the booking keeps its own.
        db.sql("UPDATE unit_pricing SET monthly_rate = 60000 WHERE unit_id = :id").bind("id", room.uuid()).then().block();
        var extended = mutate(nomad, EXTEND, "extendBooking", Map.of("id", b.get("id"), "checkOut", in.plusMonths(3).toString()));
        assertThat((List<?>) extended.get("userErrors")).isEmpty();
        assertThat(((Map<?, ?>) ((Map<?, ?>) extended.get("addedQuote")).get("total")).get("amount")).isEqualTo(45000);
        Map<?, ?> booking = (Map<?, ?>) extended.get("booking");
        assertThat(booking.get("checkOut")).isEqualTo(in.plusMonths(3).toString());
        assertThat(((Map<?, ?>) booking.get("total")).get("amount")).isEqualTo(135000);
        assertThat(booked(room, in.plusMonths(3).minusDays(1))).isEqualTo(1);

        // Someone else holds the next nights: the extension is refused and nothing changes.
        LocalDate taken = in.plusMonths(3).plusDays(5);
        booking(book("test:nomad-fa", room.id(), taken, taken.plusDays(2), 1));
        var refused = mutate(nomad, EXTEND, "extendBooking", Map.of("id", b.get("id"), "checkOut", taken.plusDays(1).toString()));
        assertThat(refused.toString()).contains("UNAVAILABLE");
        assertThat(booked(room, in.plusMonths(3))).isZero();
        assertThat(errorCode(mutate(nomad, EXTEND, "extendBooking", Map.of("id", b.get("id"), "checkOut", in.plusMonths(1).toString()))))
                .isEqualTo("OUT_OF_RANGE");
        // A hold cannot be extended.
        var held = booking(book("test:nomad-gu", room.id(), in.plusMonths(5), in.plusMonths(5).plusDays(2), 1));
        assertThat(errorCode(mutate("test:nomad-gu", EXTEND, "extendBooking", Map.of("id", held.get("id"), "checkOut", in.plusMonths(6).toString()))))
                .isEqualTo("INVALID_STATE");
    }

    @Test
    void preparationDaysKeepTheUnitFreeAfterEachStay() {
        mutate(manager, RULES, "setBookingRules", Map.of("input", Map.of("unitId", room.id(), "preparationDays", 2)));
        LocalDate in = today.plusDays(10);
        booking(book(nomad, room.id(), in, in.plusDays(3), 1));
        String other = "test:nomad-ha";
        assertThat(errorCode(book(other, room.id(), in.plusDays(4), in.plusDays(6), 1))).isEqualTo("UNAVAILABLE");
        // A stay ending right before the first one also needs its own preparation days.
        assertThat(errorCode(book(other, room.id(), in.minusDays(3), in, 1))).isEqualTo("UNAVAILABLE");
        booking(book(other, room.id(), in.plusDays(5), in.plusDays(6), 1));
        booking(book(other, room.id(), in.minusDays(5), in.minusDays(2), 1));
        assertThat(mutate(manager, RULES, "setBookingRules", Map.of("input", Map.of("unitId", room.id(), "preparationDays", 31))).toString())
                .contains("OUT_OF_RANGE");
    }

    @Test
    void blockedDatesCannotBeBookedUntilUnblocked() {
        LocalDate from = today.plusDays(14);
        var block = mutate(manager, BLOCK, "blockDates", Map.of("input", Map.of("unitId", room.id(), "from", from.toString(),
                "to", from.plusDays(7).toString(), "note", "Painting")));
        assertThat((List<?>) block.get("userErrors")).isEmpty();
        String blockId = (String) ((Map<?, ?>) block.get("block")).get("id");
        var refused = book(nomad, room.id(), from.plusDays(5), from.plusDays(9), 1);
        assertThat(errorCode(refused)).isEqualTo("UNAVAILABLE");
        assertThat(refused.toString()).contains("blocked");

        // The calendar shows it; staff see the counts, nomads only what is free.
        as(manager).document("query($id: ID!, $from: Date!, $to: Date!) { stay(id: $id) { unit { calendar(from: $from, to: $to) { date free capacity booked blocked } blocks { id note } } } }")
                .variable("id", room.id()).variable("from", from.minusDays(1).toString()).variable("to", from.plusDays(1).toString()).execute()
                .path("stay.unit.calendar[0].free").entity(Integer.class).isEqualTo(1)
                .path("stay.unit.calendar[1].free").entity(Integer.class).isEqualTo(0)
                .path("stay.unit.calendar[1].blocked").entity(Boolean.class).isEqualTo(true)
                .path("stay.unit.blocks[0].note").entity(String.class).isEqualTo("Painting");
        as(nomad).document("query($id: ID!, $from: Date!, $to: Date!) { stay(id: $id) { unit { calendar(from: $from, to: $to) { date free capacity blocked } } } }")
                .variable("id", room.id()).variable("from", from.toString()).variable("to", from.plusDays(1).toString()).execute()
                .path("stay.unit.calendar[0].free").entity(Integer.class).isEqualTo(0)
                .path("stay.unit.calendar[0].capacity").valueIsNull()
                .path("stay.unit.calendar[0].blocked").valueIsNull();
        // Bad ranges.
        assertThat(mutate(manager, BLOCK, "blockDates", Map.of("input", Map.of("unitId", room.id(), "from", from.toString(), "to", from.toString())))
                .toString()).contains("OUT_OF_RANGE");
        assertThat(mutate(manager, BLOCK, "blockDates", Map.of("input", Map.of("unitId", room.id(), "from", from.toString(),
                "to", from.plusDays(800).toString()))).toString()).contains("OUT_OF_RANGE");
        assertThat(mutate(nomad, BLOCK, "blockDates", Map.of("input", Map.of("unitId", room.id(), "from", from.toString(),
                "to", from.plusDays(2).toString()))).toString()).contains("FORBIDDEN");

        assertThat((List<?>) mutate(manager, UNBLOCK, "unblockDates", Map.of("id", blockId)).get("userErrors")).isEmpty();
        booking(book(nomad, room.id(), from.plusDays(5), from.plusDays(9), 1));
        assertThat(mutate(manager, UNBLOCK, "unblockDates", Map.of("id", blockId)).toString()).contains("NOT_FOUND");
    }

    @Test
    void aUnitBookedByTheMonthTakesWholeMonths() {
        var office = fixtures.unit(operator, property, "Office 3", true, "PRIVATE_OFFICE", 1, 4, "MONTH");
        LocalDate in = today.plusDays(5);
        assertThat(errorCode(book(nomad, office.id(), in, in.plusDays(40), 2))).isEqualTo("OUT_OF_RANGE");
        var b = booking(book(nomad, office.id(), in, in.plusMonths(2), 2));
        assertThat(b.get("quantity")).isEqualTo(1);
        assertThat(((Map<?, ?>) b.get("total")).get("amount")).isEqualTo(90000);

        // From the 31st of a month to the last day of a shorter one is a whole month too (plusMonths' month end).
        LocalDate last = in.plusMonths(3);
        while (last.getDayOfMonth() != 31 || last.plusMonths(1).getDayOfMonth() == 31) {
            last = last.plusDays(1);
        }
        booking(book(nomad, office.id(), last, last.plusMonths(1), 1));
        assertThat(errorCode(book(nomad, office.id(), last.plusMonths(2), last.plusMonths(3).minusDays(1), 1))).isEqualTo("OUT_OF_RANGE");
    }

    @Test
    void nomadsSeeTheirOwnBookingsAndOperatorsTheirs() {
        LocalDate in = today.plusDays(10);
        var mine = booking(book(nomad, room.id(), in, in.plusDays(2), 1));
        String other = "test:nomad-ik";
        booking(book(other, room.id(), in.plusDays(2), in.plusDays(4), 1));
        as(nomad).document("{ me { bookings { totalCount edges { node { id status unit { name } property { name } stay { id } guest { displayName } } } } } }")
                .execute()
                .path("me.bookings.totalCount").entity(Integer.class).isEqualTo(1)
                .path("me.bookings.edges[0].node.id").entity(String.class).isEqualTo((String) mine.get("id"))
                .path("me.bookings.edges[0].node.unit.name").entity(String.class).isEqualTo("Room 1")
                .path("me.bookings.edges[0].node.guest.displayName").entity(String.class).isEqualTo(nomad);
        String query = "query($slug: String!, $status: [BookingStatus!], $unit: ID, $from: Date) { operator(slug: $slug) { bookings(first: 1, status: $status, unitId: $unit, checkInFrom: $from) "
                + "{ totalCount pageInfo { hasNextPage } edges { node { id guest { displayName } } } } } }";
        String viewer = fixtures.staff(operator, "VIEWER");
        as(viewer).document(query).variable("slug", "canggu-coliving").execute()
                .path("operator.bookings.totalCount").entity(Integer.class).isEqualTo(2)
                .path("operator.bookings.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(true);
        as(viewer).document(query).variable("slug", "canggu-coliving").variable("from", in.plusDays(1).toString()).variable("unit", room.id()).execute()
                .path("operator.bookings.totalCount").entity(Integer.class).isEqualTo(1);
        as(viewer).document(query).variable("slug", "canggu-coliving").variable("status", List.of("CONFIRMED")).execute()
                .path("operator.bookings.totalCount").entity(Integer.class).isEqualTo(0);
    }

    @Test
    void anotherTenantCanNeitherSeeNorChangeBookings() {
        LocalDate in = today.plusDays(10);
        var b = booking(book(nomad, room.id(), in, in.plusDays(2), 1));
        var rival = fixtures.operator("rival-coliving");
        String rivalOwner = fixtures.staff(rival, "OWNER");
        as(rivalOwner).document("query($id: ID!) { booking(id: $id) { id } }").variable("id", b.get("id")).execute()
                .path("booking").valueIsNull();
        var node = post(rivalOwner, "query($id: ID!) { node(id: $id) { id } }", Map.of("id", b.get("id")));
        assertThat(node.toString()).contains("code=NOT_FOUND").contains("node=null");
        assertThat(errorCode(mutate(rivalOwner, ACCEPT, "acceptBooking", Map.of("id", b.get("id"))))).isEqualTo("NOT_FOUND");
        assertThat(errorCode(mutate(rivalOwner, CANCEL, "cancelBooking", Map.of("input", Map.of("bookingId", b.get("id")))))).isEqualTo("NOT_FOUND");
        assertThat(errorCode(mutate("test:nomad-lu", CANCEL, "cancelBooking", Map.of("input", Map.of("bookingId", b.get("id")))))).isEqualTo("NOT_FOUND");
        var response = post(rivalOwner, "{ operator(slug: \"canggu-coliving\") { bookings { totalCount } } }", Map.of());
        assertThat(response.toString()).contains("FORBIDDEN").doesNotContain("totalCount=1");
        assertThat(mutate(rivalOwner, BLOCK, "blockDates", Map.of("input", Map.of("unitId", room.id(), "from", in.toString(),
                "to", in.plusDays(2).toString()))).toString()).contains("FORBIDDEN");
        assertThat(fixtures.count("unit_block")).isZero();
        assertThat(db.sql("SELECT status FROM booking").map(r -> r.get("status", String.class)).one().block()).isEqualTo("HELD");
    }

    @Test
    void meetingRoomsAreBookedByTheQuarterHourWithADayPassCap() {
        var meeting = fixtures.unit(operator, property, "Meeting room Kuta", true, "MEETING_ROOM", 1, 10, "HOUR");
        db.sql("UPDATE unit_pricing SET hourly_rate = 2000, daily_rate = 12000, monthly_rate = NULL, nightly_rate = NULL WHERE unit_id = :id")
                .bind("id", meeting.uuid()).then().block();
        java.time.ZonedDateTime ten = today.plusDays(3).atTime(10, 0).atZone(BALI);
        Map<String, Object> hours = Map.of("startsAt", ten.toInstant().toString(), "endsAt", ten.plusMinutes(150).toInstant().toString());
        var b = booking(bookHours(nomad, meeting.id(), ten, ten.plusMinutes(150), 4));
        assertThat(((Map<?, ?>) b.get("total")).get("amount")).isEqualTo(5000); // 2.5 hours at 20.00
        assertThat(b.get("nights")).isEqualTo(0);
        assertThat(b.get("checkIn")).isEqualTo(today.plusDays(3).toString());
        assertThat(b.get("quantity")).isEqualTo(1);
        assertThat(db.sql("SELECT count(*) AS n FROM unit_slot WHERE booked = 1").map(r -> r.get("n", Long.class)).one().block()).isEqualTo(10);
        assertThat(fixtures.count("unit_calendar")).as("hourly bookings hold slots, not nights").isEqualTo(
                db.sql("SELECT count(*) AS n FROM unit_calendar WHERE booked = 0").map(r -> r.get("n", Long.class)).one().block());

        String other = "test:nomad-mo";
        assertThat(errorCode(bookHours(other, meeting.id(), ten.plusHours(2), ten.plusHours(3), 2))).isEqualTo("UNAVAILABLE");
        booking(bookHours(other, meeting.id(), ten.plusMinutes(150), ten.plusMinutes(210), 2));
        assertThat(errorCode(bookHours(other, meeting.id(), ten.plusHours(5), ten.plusMinutes(330), 2))).as("minimum 1 hour").isEqualTo("OUT_OF_RANGE");
        assertThat(errorCode(bookHours(other, meeting.id(), ten.plusHours(4).plusMinutes(10), ten.plusHours(5), 2))).isEqualTo("OUT_OF_RANGE");
        assertThat(errorCode(book(other, meeting.id(), today.plusDays(5), today.plusDays(6), 1))).isEqualTo("REQUIRED");
        assertThat(errorCode(bookHours(other, meeting.id(), ten.minusDays(10), ten.minusDays(10).plusHours(1), 1))).isEqualTo("OUT_OF_RANGE");
        assertThat(errorCode(bookHours(other, meeting.id(), ten, ten.plusHours(200), 1))).isEqualTo("OUT_OF_RANGE");
        // Nine hours cost more than the day pass: the day pass is charged.
        var day = booking(bookHours(other, meeting.id(), ten.plusDays(1).withHour(8), ten.plusDays(1).withHour(17), 1));
        assertThat(((Map<?, ?>) day.get("total")).get("amount")).isEqualTo(12000);
        assertThat(day.get("quote").toString()).contains("Day pass");

        as(nomad).document("query($id: ID!, $from: DateTime!, $to: DateTime!) { stay(id: $id) { unit { slots(from: $from, to: $to) { startsAt free } } } }")
                .variable("id", meeting.id()).variable("from", ten.minusMinutes(15).toInstant().toString())
                .variable("to", ten.plusMinutes(15).toInstant().toString()).execute()
                .path("stay.unit.slots[0].free").entity(Integer.class).isEqualTo(1)
                .path("stay.unit.slots[1].free").entity(Integer.class).isEqualTo(0);

        // A blocked day takes no meeting.
        mutate(manager, BLOCK, "blockDates", Map.of("input", Map.of("unitId", meeting.id(), "from", today.plusDays(6).toString(),
                "to", today.plusDays(7).toString())));
        java.time.ZonedDateTime blocked = today.plusDays(6).atTime(9, 0).atZone(BALI);
        assertThat(errorCode(bookHours(other, meeting.id(), blocked, blocked.plusHours(1), 1))).isEqualTo("UNAVAILABLE");

        // Cancelling frees the slots; the quote query prices hours too.
        booking(mutate(nomad, CANCEL, "cancelBooking", Map.of("input", Map.of("bookingId", b.get("id")))));
        booking(bookHours("test:nomad-ne", meeting.id(), ten, ten.plusHours(1), 1));
        as(nomad).document("query($id: ID!, $s: DateTime!, $e: DateTime!) { quote(unitId: $id, startsAt: $s, endsAt: $e) { total { amount } startsAt nights } }")
                .variable("id", meeting.id()).variable("s", hours.get("startsAt")).variable("e", ten.plusMinutes(90).toInstant().toString()).execute()
                .path("quote.total.amount").entity(Integer.class).isEqualTo(3000)
                .path("quote.nights").entity(Integer.class).isEqualTo(0);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> bookHours(String subject, String unitId, java.time.ZonedDateTime from, java.time.ZonedDateTime to, int guests) {
        Map<String, Object> input = Map.of("unitId", unitId, "startsAt", from.toInstant().toString(), "endsAt", to.toInstant().toString(), "guests", guests);
        Map<String, Object> response = post(subject, CREATE, Map.of("input", input));
        assertThat(response).doesNotContainKey("errors");
        return (Map<String, Object>) ((Map<String, Object>) response.get("data")).get("createBooking");
    }

    @Test
    void aRoomTypeIsBookedAsATypeAndAssignedToItsRoomsLater() {
        var type = fixtures.unit(operator, property, "Private room (2 of them)", true, "PRIVATE_ROOM", 2, 1, "NIGHT");
        var room1 = fixtures.unit(operator, property, "Room 101", false);
        var room2 = fixtures.unit(operator, property, "Room 102", false);
        String setType = "mutation($input: SetRoomTypeInput!) { setRoomType(input: $input) { unit { name roomType { name } } userErrors { code } } }";
        assertThat(mutate(manager, setType, "setRoomType", Map.of("input", Map.of("unitId", room1.id(), "roomTypeId", type.id()))).toString())
                .contains("roomType={name=Private room (2 of them)}");
        mutate(manager, setType, "setRoomType", Map.of("input", Map.of("unitId", room2.id(), "roomTypeId", type.id())));
        assertThat(mutate(manager, setType, "setRoomType", Map.of("input", Map.of("unitId", type.id(), "roomTypeId", room1.id()))).toString())
                .contains("INVALID_STATE");
        assertThat(mutate(manager, "mutation($id: ID!) { publishUnit(input: {unitId: $id}) { userErrors { code } } }", "publishUnit",
                Map.of("id", room1.id())).toString()).contains("INVALID_STATE");
        as(manager).document("query($id: ID!) { stay(id: $id) { unit { rooms { name } } } }").variable("id", type.id()).execute()
                .path("stay.unit.rooms[*].name").entityList(String.class).containsExactly("Room 101", "Room 102");

        LocalDate in = today.plusDays(9);
        var a = booking(book(nomad, type.id(), in, in.plusDays(4), 1));
        var c = booking(book("test:nomad-oz", type.id(), in.plusDays(2), in.plusDays(6), 1));
        assertThat(errorCode(book("test:nomad-pi", type.id(), in.plusDays(3), in.plusDays(4), 1))).isEqualTo("UNAVAILABLE");

        String assign = "mutation($id: ID!, $room: ID) { assignBooking(input: {bookingId: $id, unitId: $room}) { booking { assignedUnit { name } } userErrors { code message } } }";
        assertThat(mutate(manager, assign, "assignBooking", Map.of("id", a.get("id"), "room", room1.id())).toString()).contains("name=Room 101");
        assertThat(mutate(manager, assign, "assignBooking", Map.of("id", c.get("id"), "room", room1.id())).toString()).contains("UNAVAILABLE");
        assertThat(mutate(manager, assign, "assignBooking", Map.of("id", c.get("id"), "room", room2.id())).toString()).contains("name=Room 102");
        assertThat(mutate(manager, assign, "assignBooking", Map.of("id", c.get("id"), "room", room.id())).toString()).contains("INVALID_STATE");
        assertThat(mutate(nomad, assign, "assignBooking", Map.of("id", a.get("id"), "room", room2.id())).toString()).contains("FORBIDDEN");
        assertThat(booked(room1, in.plusDays(3))).isEqualTo(1);
        assertThat(booked(room2, in.plusDays(3))).isEqualTo(1);
        // A room with assignments cannot leave its type; cancelling frees the room too.
        assertThat(mutate(manager, setType, "setRoomType", Map.of("input", Map.of("unitId", room1.id()))).toString()).contains("INVALID_STATE");
        booking(mutate(nomad, CANCEL, "cancelBooking", Map.of("input", Map.of("bookingId", a.get("id")))));
        assertThat(booked(room1, in.plusDays(3))).isZero();
        assertThat(booked(type, in.plusDays(3))).isEqualTo(1);
        // Moving a booking to another room frees the first.
        assertThat(mutate(manager, assign, "assignBooking", Map.of("id", c.get("id"), "room", room1.id())).toString()).contains("name=Room 101");
        assertThat(booked(room2, in.plusDays(3))).isZero();
        assertThat(booked(room1, in.plusDays(3))).isEqualTo(1);
    }
}
