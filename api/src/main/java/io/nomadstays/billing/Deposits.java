package io.nomadstays.billing;

import io.nomadstays.shared.Money;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads and writes {@code booking_deposit}, {@code deposit_claim} and the deposit columns of units and bookings. */
@Component
class Deposits {

    /** What the deposit flows need to know about one booking, read in one query. */
    record State(UUID bookingId, UUID operatorId, Deposit.Mode mode, long amount, String currency, LocalDate checkOut, LocalDate today,
                 String bookingStatus, String customer, String paymentMethod, Deposit.Status status, int attempts, String intentId,
                 String chargeId, String failureCode, String failureMessage, boolean claimed) {
    }

    private static final String STATE = """
            SELECT b.id, b.operator_id, b.deposit_mode, b.deposit, b.currency, b.check_out, b.status AS booking_status,
                   b.stripe_customer_id, b.payment_method_id, (now() AT TIME ZONE p.time_zone)::date AS today,
                   d.status, COALESCE(d.attempts, 0) AS attempts, d.stripe_payment_intent_id, d.stripe_charge_id, d.failure_code,
                   d.failure_message, EXISTS (SELECT 1 FROM deposit_claim c WHERE c.booking_id = b.id) AS claimed
              FROM booking b JOIN property p ON p.id = b.property_id LEFT JOIN booking_deposit d ON d.booking_id = b.id
            """;

    private final DatabaseClient db;

    Deposits(DatabaseClient db) {
        this.db = db;
    }

    // ---- units ----

    Mono<Map<UUID, Deposit.Mode>> modesOfUnits(Collection<UUID> unitIds) {
        return db.sql("SELECT id, deposit_mode FROM unit WHERE id = ANY(:ids)").bind("ids", unitIds.toArray(UUID[]::new))
                .map(row -> Map.entry(row.get("id", UUID.class), Deposit.Mode.valueOf(row.get("deposit_mode", String.class))))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    Mono<Void> setMode(UUID unitId, Deposit.Mode mode) {
        return db.sql("UPDATE unit SET deposit_mode = :mode, updated_at = now() WHERE id = :id").bind("mode", mode.name()).bind("id", unitId).then();
    }

    // ---- one booking ----

    Mono<State> state(UUID bookingId) {
        return db.sql(STATE + " WHERE b.id = :id").bind("id", bookingId).map((Readable row) -> state(row)).one();
    }

    /** Collected deposits to charge now: paid bookings (the card is saved) not yet collected, or due for another try. */
    Flux<State> toCollect(int maxAttempts, int limit) {
        return db.sql(STATE + """
                         WHERE b.deposit_mode = 'COLLECTED' AND b.deposit > 0 AND b.status IN ('CONFIRMED', 'CHECKED_IN')
                           AND b.payment_method_id IS NOT NULL AND b.stripe_customer_id IS NOT NULL
                           AND NOT EXISTS (SELECT 1 FROM deposit_claim c WHERE c.booking_id = b.id)
                           AND (d.booking_id IS NULL
                                OR (d.status IN ('PENDING', 'FAILED') AND d.attempts < :max AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= now())))
                         ORDER BY b.confirmed_at NULLS FIRST, b.id LIMIT :limit""")
                .bind("max", maxAttempts).bind("limit", limit).map((Readable row) -> state(row)).all();
    }

    /**
     * Deposits to release: no claim, not released yet, and either {@code releaseDays} after
     * check-out (in the property's time zone) or held for a booking that was cancelled.
     */
    Flux<State> toRelease(int releaseDays, int limit) {
        return db.sql(STATE + """
                         WHERE b.deposit > 0
                           AND NOT EXISTS (SELECT 1 FROM deposit_claim c WHERE c.booking_id = b.id)
                           AND (d.status IS NULL OR d.status NOT IN ('RELEASED', 'CLAIMED'))
                           AND ((b.status IN ('CONFIRMED', 'CHECKED_IN', 'COMPLETED')
                                 AND b.check_out + :days <= (now() AT TIME ZONE p.time_zone)::date)
                                OR (b.status IN ('CANCELLED_BY_GUEST', 'CANCELLED_BY_OPERATOR') AND d.status = 'HELD'))
                         ORDER BY b.check_out, b.id LIMIT :limit""")
                .bind("days", releaseDays).bind("limit", limit).map((Readable row) -> state(row)).all();
    }

    /**
     * Records a collection attempt; answers false (and changes nothing) when this attempt was
     * already recorded or the deposit moved on (claimed, released) meanwhile.
     */
    Mono<Boolean> recordAttempt(State s, int attempt, Deposit.Status status, String intentId, String chargeId, String failureCode,
                                String failureMessage, Instant nextAttemptAt) {
        return db.sql("""
                        INSERT INTO booking_deposit (booking_id, operator_id, status, attempts, next_attempt_at, stripe_payment_intent_id,
                                                     stripe_charge_id, failure_code, failure_message)
                        VALUES (:id, :op, :status, :attempt, :next, :intent, :charge, :code, :message)
                        ON CONFLICT (booking_id) DO UPDATE SET status = EXCLUDED.status, attempts = EXCLUDED.attempts,
                               next_attempt_at = EXCLUDED.next_attempt_at, stripe_payment_intent_id = EXCLUDED.stripe_payment_intent_id,
                               stripe_charge_id = EXCLUDED.stripe_charge_id, failure_code = EXCLUDED.failure_code,
                               failure_message = EXCLUDED.failure_message, updated_at = now()
                         WHERE booking_deposit.attempts < EXCLUDED.attempts AND booking_deposit.status IN ('PENDING', 'FAILED')""")
                .bind("id", s.bookingId()).bind("op", s.operatorId()).bind("status", status.name()).bind("attempt", attempt)
                .bind("next", Parameter.fromOrEmpty(nextAttemptAt, Instant.class))
                .bind("intent", Parameter.fromOrEmpty(intentId, String.class))
                .bind("charge", Parameter.fromOrEmpty(chargeId, String.class))
                .bind("code", Parameter.fromOrEmpty(failureCode, String.class))
                .bind("message", Parameter.fromOrEmpty(truncate(failureMessage), String.class))
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    /** Moves the deposit to {@code to} from one of {@code from} (no row counts as its initial state); false when it was not in one. */
    Mono<Boolean> move(State s, Deposit.Status to, List<Deposit.Status> from) {
        String[] allowed = from.stream().map(Enum::name).toArray(String[]::new);
        return db.sql("""
                        WITH moved AS (
                            UPDATE booking_deposit SET status = :to, next_attempt_at = NULL,
                                   released_at = CASE WHEN :to = 'RELEASED' THEN now() END, updated_at = now()
                             WHERE booking_id = :id AND status = ANY(:from) RETURNING 1),
                        created AS (
                            INSERT INTO booking_deposit (booking_id, operator_id, status, released_at)
                            SELECT :id, :op, :to, CASE WHEN :to = 'RELEASED' THEN now() END
                             WHERE :initial = ANY(:from) AND NOT EXISTS (SELECT 1 FROM booking_deposit WHERE booking_id = :id)
                            ON CONFLICT (booking_id) DO NOTHING RETURNING 1)
                        SELECT (SELECT count(*) FROM moved) + (SELECT count(*) FROM created) AS n""")
                .bind("id", s.bookingId()).bind("op", s.operatorId()).bind("to", to.name())
                .bind("initial", Deposit.initial(s.mode()).name()).bind("from", allowed)
                .map(row -> row.get("n", Long.class)).one().map(n -> n > 0);
    }

    /** Stores a claim with its items; fails with a unique violation when the booking has one already. */
    Mono<Void> insertClaim(UUID bookingId, UUID operatorId, List<Deposit.Item> items, String note, Deposit.ClaimStatus status,
                           String failureCode, String failureMessage, String stripeObjectId, String refundId, UUID createdBy) {
        long total = items.stream().mapToLong(i -> i.amount().amount()).sum();
        Mono<Void> claim = db.sql("""
                        INSERT INTO deposit_claim (booking_id, operator_id, total, currency, note, status, failure_code, failure_message,
                                                   stripe_object_id, stripe_refund_id, created_by)
                        VALUES (:id, :op, :total, :currency, :note, :status, :code, :message, :object, :refund, :by)""")
                .bind("id", bookingId).bind("op", operatorId).bind("total", total).bind("currency", items.get(0).amount().currency())
                .bind("note", note).bind("status", status.name())
                .bind("code", Parameter.fromOrEmpty(failureCode, String.class))
                .bind("message", Parameter.fromOrEmpty(truncate(failureMessage), String.class))
                .bind("object", Parameter.fromOrEmpty(stripeObjectId, String.class))
                .bind("refund", Parameter.fromOrEmpty(refundId, String.class))
                .bind("by", createdBy).then();
        Mono<Void> lines = Flux.range(0, items.size())
                .concatMap(i -> db.sql("INSERT INTO deposit_claim_item (booking_id, position, description, amount) VALUES (:id, :pos, :d, :a)")
                        .bind("id", bookingId).bind("pos", i).bind("d", items.get(i).description()).bind("a", items.get(i).amount().amount())
                        .then())
                .then();
        return claim.then(lines);
    }

    /** The deposits of these bookings with their claims, for the GraphQL read side. */
    Mono<Map<UUID, Deposit>> ofBookings(Collection<UUID> bookingIds, int releaseDays) {
        UUID[] ids = bookingIds.toArray(UUID[]::new);
        Mono<Map<UUID, List<Deposit.Item>>> items = db.sql("""
                        SELECT i.booking_id, i.description, i.amount, c.currency FROM deposit_claim_item i
                          JOIN deposit_claim c ON c.booking_id = i.booking_id WHERE i.booking_id = ANY(:ids) ORDER BY i.booking_id, i.position""")
                .bind("ids", ids)
                .map(row -> Map.entry(row.get("booking_id", UUID.class),
                        new Deposit.Item(row.get("description", String.class), Money.of(row.get("amount", Long.class), row.get("currency", String.class).trim()))))
                .all()
                .collect(HashMap::new, (Map<UUID, List<Deposit.Item>> m, Map.Entry<UUID, Deposit.Item> e) ->
                        m.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return items.flatMap(itemsByBooking -> db.sql("""
                        SELECT b.id, b.deposit_mode, b.deposit, b.currency, b.check_out, d.status, d.failure_code, d.failure_message,
                               c.total, c.note, c.status AS claim_status, c.failure_code AS claim_failure_code,
                               c.failure_message AS claim_failure_message, c.created_at AS claim_created_at
                          FROM booking b LEFT JOIN booking_deposit d ON d.booking_id = b.id LEFT JOIN deposit_claim c ON c.booking_id = b.id
                         WHERE b.id = ANY(:ids) AND b.deposit > 0""")
                .bind("ids", ids)
                .map(row -> {
                    UUID id = row.get("id", UUID.class);
                    String currency = row.get("currency", String.class).trim();
                    Deposit.Mode mode = Deposit.Mode.valueOf(row.get("deposit_mode", String.class));
                    String status = row.get("status", String.class);
                    Deposit.Claim claim = row.get("total", Long.class) == null ? null
                            : new Deposit.Claim(itemsByBooking.getOrDefault(id, List.of()), Money.of(row.get("total", Long.class), currency),
                            row.get("note", String.class), Deposit.ClaimStatus.valueOf(row.get("claim_status", String.class)),
                            row.get("claim_failure_code", String.class), row.get("claim_failure_message", String.class),
                            row.get("claim_created_at", Instant.class));
                    return Map.entry(id, new Deposit(mode, Money.of(row.get("deposit", Long.class), currency),
                            status == null ? Deposit.initial(mode) : Deposit.Status.valueOf(status),
                            row.get("check_out", LocalDate.class).plusDays(releaseDays),
                            row.get("failure_code", String.class), row.get("failure_message", String.class), claim));
                })
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static State state(Readable row) {
        Deposit.Mode mode = Deposit.Mode.valueOf(row.get("deposit_mode", String.class));
        String status = row.get("status", String.class);
        return new State(row.get("id", UUID.class), row.get("operator_id", UUID.class), mode, row.get("deposit", Long.class),
                row.get("currency", String.class).trim(), row.get("check_out", LocalDate.class), row.get("today", LocalDate.class),
                row.get("booking_status", String.class), row.get("stripe_customer_id", String.class), row.get("payment_method_id", String.class),
                status == null ? Deposit.initial(mode) : Deposit.Status.valueOf(status), row.get("attempts", Integer.class),
                row.get("stripe_payment_intent_id", String.class), row.get("stripe_charge_id", String.class), row.get("failure_code", String.class),
                row.get("failure_message", String.class), Boolean.TRUE.equals(row.get("claimed", Boolean.class)));
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
