package io.nomadstays.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.nomadstays.graphql.GlobalId;
import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import io.nomadstays.support.StripeMock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the billing tests share: an operator with a charges-enabled Stripe account, a room at 25.00
 * USD a night in Asia/Makassar (commission 10%), and bookings paid the way a nomad pays them
 * (createBooking, Stripe.js succeeds the intent, the webhook confirms).
 */
abstract class PaidBookingTest extends IntegrationTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Makassar");
    static final String CREATE = "mutation($input: CreateBookingInput!) { createBooking(input: $input) { booking { id status } "
            + "payment { paymentIntentId status } userErrors { field code message } } }";
    static final String CANCEL = "mutation($input: CancelBookingInput!) { cancelBooking(input: $input) { booking { id status refund { amount currency } "
            + "refunds { amount { amount currency } status stripeRefundId } } userErrors { field code message } } }";
    static final String BOOKING = "query($id: ID!) { booking(id: $id) { id status refund { amount } refunds { amount { amount } status stripeRefundId } "
            + "payments { kind amount { amount currency } stripeObjectId } events { note } } }";

    /** A booking paid and confirmed. */
    record Paid(String id, UUID uuid, String intentId) {
    }

    Fixtures.Ref operator;
    Fixtures.Ref room;
    String manager;

    @BeforeEach
    void anOperatorWithARoom() {
        StripeMock.reset();
        operator = fixtures.operator("canggu-coliving");
        room = fixtures.unit(operator, fixtures.property(operator, "Canggu Coliving"), "Room 1", true);
        manager = fixtures.staff(operator, "MANAGER");
        fixtures.user("test:nomad");
    }

    static LocalDate today() {
        return LocalDate.now(ZONE);
    }

    String stripeAccount() {
        return "acct_" + operator.uuid().toString().replace("-", "");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> data(Map<String, Object> response, String field) {
        assertThat(response.get("errors")).as("errors of %s", response).isNull();
        return (Map<String, Object>) ((Map<String, Object>) response.get("data")).get(field);
    }

    /** Books {@code nights} from {@code checkIn} and pays: Stripe.js succeeds the intent, Stripe's webhook arrives. */
    @SuppressWarnings("unchecked")
    Paid bookAndPay(LocalDate checkIn, int nights) {
        Map<String, Object> created = data(post("test:nomad", CREATE, Map.of("input", Map.of("unitId", room.id(),
                "checkIn", checkIn.toString(), "checkOut", checkIn.plusDays(nights).toString()))), "createBooking");
        assertThat(created.get("userErrors")).asList().isEmpty();
        String id = (String) ((Map<String, Object>) created.get("booking")).get("id");
        String intent = (String) ((Map<String, Object>) created.get("payment")).get("paymentIntentId");
        StripeMock.FAKE.succeed(intent, "pm_card_visa");
        stripeEvents.deliver(StripeMock.event("evt_paid_" + intent.substring(3), "payment_intent.succeeded", StripeMock.FAKE.object(intent), null,
                Instant.now())).expectStatus().isOk();
        assertThat(status(id)).isEqualTo("CONFIRMED");
        return new Paid(id, GlobalId.parse(id).orElseThrow().uuid(), intent);
    }

    Map<String, Object> booking(String subject, String id) {
        return data(post(subject, BOOKING, Map.of("id", id)), "booking");
    }

    String status(String id) {
        return (String) booking("test:nomad", id).get("status");
    }

    Map<String, Object> cancel(String subject, String id, String key) {
        Map<String, Object> input = key == null ? Map.of("bookingId", id) : Map.of("bookingId", id, "idempotencyKey", key);
        return data(post(subject, CANCEL, Map.of("input", input)), "cancelBooking");
    }

    static List<LoggedRequest> requests(String path) {
        return StripeMock.SERVER.findAll(postRequestedFor(urlPathEqualTo(path)));
    }

    /** The booking's ledger rows as "KIND amount object". */
    List<String> ledger(UUID bookingId) {
        return db.sql("SELECT kind, amount, stripe_object_id FROM ledger_entry WHERE booking_id = :b ORDER BY recorded_at, kind")
                .bind("b", bookingId)
                .map(row -> row.get("kind", String.class) + " " + row.get("amount", Long.class) + " " + row.get("stripe_object_id", String.class))
                .all().collectList().block();
    }

    void unitPolicy(String policy) {
        db.sql("UPDATE unit SET cancellation_policy = :p WHERE id = :id").bind("p", policy).bind("id", room.uuid()).then().block();
    }
}
