package io.nomadstays.billing;

import io.nomadstays.payments.PaymentIntents.IntentState;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads and writes {@code payment}: the booking's payment intents. */
@Component
public class Payments {

    private static final String COLUMNS = """
            id, operator_id, booking_id, stripe_payment_intent_id, purpose, sequence, attempt, amount, currency, application_fee,
            status, stripe_charge_id, failure_code, failure_message, created_at, updated_at""";

    private final DatabaseClient db;

    Payments(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Void> insert(Payment p) {
        return db.sql("""
                        INSERT INTO payment (id, operator_id, booking_id, stripe_payment_intent_id, purpose, sequence, attempt, amount, currency,
                                             application_fee, status, stripe_charge_id, failure_code, failure_message)
                        VALUES (:id, :op, :booking, :intent, :purpose, :sequence, :attempt, :amount, :currency, :fee, :status, :charge, :code, :message)""")
                .bind("id", p.uuid()).bind("op", p.operatorId()).bind("booking", p.bookingId())
                .bind("intent", Parameter.fromOrEmpty(p.intentId(), String.class)).bind("purpose", p.purpose().name())
                .bind("sequence", p.sequence()).bind("attempt", p.attempt()).bind("amount", p.amount()).bind("currency", p.currency())
                .bind("fee", p.applicationFee()).bind("status", p.status())
                .bind("charge", Parameter.fromOrEmpty(p.chargeId(), String.class))
                .bind("code", Parameter.fromOrEmpty(p.failureCode(), String.class))
                .bind("message", Parameter.fromOrEmpty(truncate(p.failureMessage()), String.class))
                .then();
    }

    public Mono<Payment> findByIntent(String intentId) {
        return db.sql("SELECT " + COLUMNS + " FROM payment WHERE stripe_payment_intent_id = :intent")
                .bind("intent", intentId).map(Payments::map).one();
    }

    /** The payment whose charge this is (disputes name the charge). */
    public Mono<Payment> findByCharge(String chargeId) {
        return db.sql("SELECT " + COLUMNS + " FROM payment WHERE stripe_charge_id = :charge ORDER BY created_at LIMIT 1")
                .bind("charge", chargeId).map(Payments::map).one();
    }

    /** The booking's payments, oldest first. */
    public Flux<Payment> ofBooking(UUID bookingId) {
        return db.sql("SELECT " + COLUMNS + " FROM payment WHERE booking_id = :b ORDER BY created_at, sequence, attempt")
                .bind("b", bookingId).map(Payments::map).all();
    }

    Mono<java.util.Map<UUID, List<Payment>>> ofBookings(Collection<UUID> bookingIds) {
        return db.sql("SELECT " + COLUMNS + " FROM payment WHERE booking_id = ANY(:ids) ORDER BY created_at, sequence, attempt")
                .bind("ids", bookingIds.toArray(UUID[]::new)).map(Payments::map).all()
                .collect(java.util.stream.Collectors.groupingBy(Payment::bookingId));
    }

    /** The latest attempt of a purpose and sequence. */
    public Mono<Payment> latest(UUID bookingId, Payment.Purpose purpose, int sequence) {
        return db.sql("SELECT " + COLUMNS + " FROM payment WHERE booking_id = :b AND purpose = :p AND sequence = :s ORDER BY attempt DESC LIMIT 1")
                .bind("b", bookingId).bind("p", purpose.name()).bind("s", sequence).map(Payments::map).one();
    }

    /** Intents not final yet, least recently updated first (the reconciliation reads them again). */
    public Flux<Payment> open(Instant updatedBefore, int limit) {
        return db.sql("SELECT " + COLUMNS + " FROM payment WHERE status NOT IN ('SUCCEEDED', 'CANCELED') AND stripe_payment_intent_id IS NOT NULL"
                        + " AND updated_at < :before ORDER BY updated_at LIMIT :limit")
                .bind("before", updatedBefore).bind("limit", limit).map(Payments::map).all();
    }

    /** Copies Stripe's state of the intent (status, charge, failure) onto our row. */
    public Mono<Void> update(Payment payment, IntentState state) {
        return db.sql("""
                        UPDATE payment SET status = :status, stripe_charge_id = :charge, failure_code = :code, failure_message = :message,
                               updated_at = now()
                         WHERE id = :id""")
                .bind("id", payment.uuid()).bind("status", state.status())
                .bind("charge", Parameter.fromOrEmpty(state.latestCharge() != null ? state.latestCharge() : payment.chargeId(), String.class))
                .bind("code", Parameter.fromOrEmpty(state.failureCode(), String.class))
                .bind("message", Parameter.fromOrEmpty(truncate(state.failureMessage()), String.class))
                .then();
    }

    /**
     * The card a successful payment was made with becomes the booking's card for off-session
     * charges (rent, deposit claims); null (no card reported) keeps the one saved.
     */
    public Mono<Void> saveCard(java.util.UUID bookingId, String paymentMethod) {
        return db.sql("UPDATE booking SET payment_method_id = :pm WHERE id = :id AND :pm IS NOT NULL AND :pm <> coalesce(payment_method_id, '')")
                .bind("pm", Parameter.fromOrEmpty(paymentMethod, String.class)).bind("id", bookingId).then();
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }

    private static Payment map(Readable row) {
        return new Payment(row.get("id", UUID.class), row.get("operator_id", UUID.class), row.get("booking_id", UUID.class),
                row.get("stripe_payment_intent_id", String.class), Payment.Purpose.valueOf(row.get("purpose", String.class)),
                row.get("sequence", Integer.class), row.get("attempt", Integer.class), row.get("amount", Long.class),
                row.get("currency", String.class).trim(), row.get("application_fee", Long.class), row.get("status", String.class),
                row.get("stripe_charge_id", String.class), row.get("failure_code", String.class), row.get("failure_message", String.class),
                row.get("created_at", Instant.class), row.get("updated_at", Instant.class));
    }
}
