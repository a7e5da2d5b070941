package io.nomadstays.booking;

import static org.assertj.core.api.Assertions.assertThat;

import io.nomadstays.graphql.GlobalId;
import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every state change a caller can ask for, from every state, through the API: the allowed ones
 * move the booking (and free the dates when they should), the illegal ones answer INVALID_STATE
 * and change nothing. The expected outcome comes from the documented table in BookingStatusTests.
 */
class BookingTransitionsIntegrationTests extends IntegrationTest {

    /** A way to ask for a state change, and the state it asks for. */
    private record Request(String name, BookingStatus target, boolean byGuest) {
    }

    private static final List<Request> REQUESTS = List.of(
            new Request("acceptBooking", BookingStatus.HELD, false),
            new Request("declineBooking", BookingStatus.DECLINED, false),
            new Request("cancelBooking", BookingStatus.CANCELLED_BY_GUEST, true),
            new Request("cancelBooking", BookingStatus.CANCELLED_BY_OPERATOR, false),
            new Request("checkInBooking", BookingStatus.CHECKED_IN, false),
            new Request("completeBooking", BookingStatus.COMPLETED, false),
            new Request("confirmPaid (internal)", BookingStatus.CONFIRMED, false));

    @Autowired
    BookingService service;

    private Fixtures.Ref dorm;
    private String manager;
    private LocalDate today;

    @BeforeEach
    void listing() {
        var operator = fixtures.operator("transitions");
        var property = fixtures.property(operator, "Transitions House");
        dorm = fixtures.unit(operator, property, "Big dorm", true, "BED", 500, 1, "NIGHT");
        manager = fixtures.staff(operator, "MANAGER");
        today = LocalDate.now(ZoneId.of("Asia/Makassar"));
    }

    @Test
    void everyRequestFromEveryStateIsAllowedExactlyWhenTheTableSaysSo() {
        List<String> wrong = new ArrayList<>();
        int bookings = 0;
        for (BookingStatus from : BookingStatus.values()) {
            for (Request request : REQUESTS) {
                String guest = "test:guest-" + (bookings++);
                UUID id = bookingIn(from, guest);
                int bookedBefore = booked();
                String answer = ask(request, id, guest);
                BookingStatus after = status(id);
                // Cancelling a cancelled booking and confirming a confirmed one answer with it unchanged (safe retries).
                boolean repeat = from == request.target() && (request.name().startsWith("cancel") || request.name().startsWith("confirmPaid"));
                boolean allowed = from.canBecome(request.target()) || repeat;
                if (allowed) {
                    if (after != request.target() || answer != null) {
                        wrong.add(from + " --" + request.name() + "--> expected " + request.target() + ", got " + after + " / " + answer);
                    }
                    boolean frees = from.holdsInventory() && !request.target().holdsInventory();
                    if (booked() != bookedBefore - (frees ? 1 : 0)) {
                        wrong.add(from + " --" + request.name() + "--> calendar went from " + bookedBefore + " to " + booked());
                    }
                } else if (!"INVALID_STATE".equals(answer) || after != from || booked() != bookedBefore) {
                    wrong.add(from + " --" + request.name() + "--> expected INVALID_STATE and no change, got " + answer + ", " + after);
                }
            }
        }
        assertThat(wrong).as("transitions that did not behave as documented").isEmpty();
        assertThat(bookings).isEqualTo(BookingStatus.values().length * REQUESTS.size());
    }

    /** A booking of tonight in the given state (set in SQL: the path there is tested elsewhere). */
    private UUID bookingIn(BookingStatus status, String guest) {
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) ((Map<String, Object>) post(guest,
                "mutation($input: CreateBookingInput!) { createBooking(input: $input) { booking { id } userErrors { code } } }",
                Map.of("input", Map.of("unitId", dorm.id(), "checkIn", today.toString(), "checkOut", today.plusDays(2).toString())))
                .get("data")).get("createBooking");
        String id = (String) ((Map<?, ?>) payload.get("booking")).get("id");
        UUID uuid = GlobalId.parse(id).orElseThrow().uuid();
        db.sql("UPDATE booking SET status = :s, hold_expires_at = now() + interval '15 minutes', request_expires_at = now() + interval '1 day' WHERE id = :id")
                .bind("s", status.name()).bind("id", uuid).then().block();
        if (!status.holdsInventory()) {
            // A booking in a final state without inventory has given its dates back.
            db.sql("UPDATE unit_calendar SET booked = booked - 1 WHERE unit_id = :u AND day >= :from AND day < :to")
                    .bind("u", dorm.uuid()).bind("from", today).bind("to", today.plusDays(2)).then().block();
        }
        return uuid;
    }

    /** Null when the change was made, else the first user error's code. */
    private String ask(Request request, UUID id, String guest) {
        String bookingId = GlobalId.encode(GlobalId.Type.BOOKING, id);
        if (request.name().startsWith("confirmPaid")) {
            try {
                service.confirmPaid(id).block();
                return null;
            } catch (IllegalStateException e) {
                return "INVALID_STATE";
            }
        }
        String input = switch (request.name()) {
            case "declineBooking" -> "{bookingId: $id, reason: \"No room\"}";
            default -> "{bookingId: $id}";
        };
        String document = "mutation($id: ID!) { " + request.name() + "(input: " + input + ") { booking { status } userErrors { code } } }";
        Map<String, Object> response = post(request.byGuest() ? guest : manager, document, Map.of("id", bookingId));
        assertThat(response).doesNotContainKey("errors");
        Map<?, ?> payload = (Map<?, ?>) ((Map<?, ?>) response.get("data")).get(request.name());
        List<?> errors = (List<?>) payload.get("userErrors");
        return errors.isEmpty() ? null : (String) ((Map<?, ?>) errors.get(0)).get("code");
    }

    private BookingStatus status(UUID id) {
        return BookingStatus.valueOf(db.sql("SELECT status FROM booking WHERE id = :id").bind("id", id).map(r -> r.get("status", String.class)).one().block());
    }

    private int booked() {
        return db.sql("SELECT booked FROM unit_calendar WHERE unit_id = :u AND day = :d").bind("u", dorm.uuid()).bind("d", today)
                .map(r -> r.get("booked", Integer.class)).one().block();
    }
}
