package io.nomadstays.billing;

import io.nomadstays.booking.Booking;
import io.nomadstays.booking.RentPlan;
import io.nomadstays.shared.Ids;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code rent_instalment}: the months of a long stay after the first, and how the schedule follows
 * the booking (the {@link RentPlan} the booking service calls inside its own transactions).
 */
@Component
class RentInstalments implements RentPlan {

    private static final Logger log = LoggerFactory.getLogger(RentInstalments.class);

    private static final String COLUMNS = """
            i.id, i.operator_id, i.booking_id, i.sequence, i.period_from, i.period_to, i.due_on, i.amount, i.currency, i.status, i.attempts,
            i.next_attempt_at, i.stripe_payment_intent_id, i.failure_code, i.failure_message, i.paid_at, i.cancelled_at, i.created_at,
            i.updated_at""";

    private final DatabaseClient db;

    RentInstalments(DatabaseClient db) {
        this.db = db;
    }

    /**
     * The months after the first of a booking whose first payment just succeeded (in that payment's
     * transaction). Idempotent: a replayed webhook finds the rows and adds none.
     */
    Mono<Void> schedule(Booking booking) {
        List<RentSchedule.Instalment> parts = RentSchedule.split(booking.total(), booking.quote(), booking.checkIn(), booking.checkOut(),
                booking.hourly());
        return Flux.fromIterable(parts).filter(p -> p.sequence() >= 2).concatMap(p -> upsert(booking, p, false)).then();
    }

    private Mono<Void> upsert(Booking booking, RentSchedule.Instalment part, boolean replaceUncharged) {
        String conflict = replaceUncharged ? """
                ON CONFLICT (booking_id, sequence) DO UPDATE SET period_from = EXCLUDED.period_from, period_to = EXCLUDED.period_to,
                       due_on = EXCLUDED.due_on, amount = EXCLUDED.amount, updated_at = now()
                 WHERE rent_instalment.status = 'SCHEDULED' AND rent_instalment.stripe_payment_intent_id IS NULL"""
                : "ON CONFLICT (booking_id, sequence) DO NOTHING";
        return db.sql("""
                        INSERT INTO rent_instalment (id, operator_id, booking_id, sequence, period_from, period_to, due_on, amount, currency, status)
                        VALUES (:id, :op, :booking, :seq, :from, :to, :due, :amount, :currency, 'SCHEDULED')
                        """ + conflict)
                .bind("id", Ids.newId()).bind("op", booking.operatorId()).bind("booking", booking.uuid()).bind("seq", part.sequence())
                .bind("from", part.from()).bind("to", part.to()).bind("due", part.from()).bind("amount", part.amount())
                .bind("currency", booking.currency())
                .then();
    }

    @Override
    public Mono<Integer> endsOn(Booking booking, LocalDate end) {
        return db.sql("""
                        UPDATE rent_instalment SET status = 'CANCELLED', cancelled_at = now(), next_attempt_at = NULL, updated_at = now()
                         WHERE booking_id = :booking AND status IN ('SCHEDULED', 'PAST_DUE') AND (CAST(:end AS date) IS NULL OR due_on >= :end)""")
                .bind("booking", booking.uuid()).bind("end", Parameter.fromOrEmpty(end, LocalDate.class))
                .fetch().rowsUpdated().map(Long::intValue);
    }

    @Override
    public Mono<Long> unpaidFrom(Booking booking, LocalDate end) {
        return db.sql("""
                        SELECT coalesce(sum(amount), 0) AS unpaid FROM rent_instalment
                         WHERE booking_id = :booking AND status IN ('SCHEDULED', 'PAST_DUE') AND due_on >= :end""")
                .bind("booking", booking.uuid()).bind("end", end)
                .map(row -> row.get("unpaid", Number.class).longValue()).one();
    }

    /**
     * The extended stay is split again from move-in: months not charged yet take their new dates and
     * amounts, new months are added, and the last of them takes whatever makes the whole schedule
     * (first payment + every month not cancelled) equal the new total. Months already paid, failed
     * or being charged keep their amounts. When no month is left to take the difference (the stay
     * was extended inside its last, already charged month), the added nights become one more
     * instalment due on the old check-out.
     */
    @Override
    public Mono<Void> extended(Booking before, Booking after) {
        List<RentSchedule.Instalment> parts = RentSchedule.split(after.total(), after.quote(), after.checkIn(), after.checkOut(), after.hourly());
        if (parts.size() < 2) {
            return Mono.empty();
        }
        return Mono.zip(ofBooking(after.uuid()).collectMap(RentInstalment::sequence), firstPaid(after.uuid())).flatMap(t -> {
            Map<Integer, RentInstalment> existing = t.getT1();
            long settled = t.getT2();
            List<RentSchedule.Instalment> plan = new ArrayList<>();
            for (RentInstalment row : existing.values()) {
                if (row.status() != RentInstalment.Status.CANCELLED && !(replannable(row) && row.sequence() <= parts.size())) {
                    settled += row.amount();
                }
            }
            for (RentSchedule.Instalment part : parts.subList(1, parts.size())) {
                RentInstalment row = existing.get(part.sequence());
                if (row == null || replannable(row)) {
                    plan.add(part);
                }
            }
            long planned = plan.stream().mapToLong(RentSchedule.Instalment::amount).sum();
            long difference = after.total() - settled - planned;
            if (plan.isEmpty()) {
                if (difference <= 0) {
                    return Mono.<Void>empty();
                }
                int next = existing.keySet().stream().mapToInt(Integer::intValue).max().orElse(1) + 1;
                plan.add(new RentSchedule.Instalment(next, before.checkOut(), after.checkOut(), difference));
            } else if (difference != 0) {
                RentSchedule.Instalment last = plan.remove(plan.size() - 1);
                if (last.amount() + difference > 0) {
                    plan.add(new RentSchedule.Instalment(last.sequence(), last.from(), last.to(), last.amount() + difference));
                } else {
                    // Only if paid months were worth more than the new split gives them; nothing is refunded here.
                    log.warn("booking {}: extension leaves {} to adjust that the last month cannot take", after.uuid(), difference);
                    plan.add(last);
                }
            }
            return Flux.fromIterable(plan).concatMap(p -> upsert(after, p, true)).then();
        });
    }

    private static boolean replannable(RentInstalment row) {
        return row.status() == RentInstalment.Status.SCHEDULED && row.intentId() == null;
    }

    /**
     * What the first payment of the booking charged (0 if it never succeeded), less what early
     * move-outs gave back: a move-out took its refund off the booking's total, so the settled part
     * of the schedule must not count it as kept (else an extension would charge the refund less again).
     */
    private Mono<Long> firstPaid(UUID bookingId) {
        return db.sql("""
                        SELECT (SELECT coalesce(sum(amount), 0) FROM payment WHERE booking_id = :b AND purpose = 'FIRST_PAYMENT' AND status = 'SUCCEEDED')
                             - (SELECT coalesce(sum(amount), 0) FROM refund WHERE booking_id = :b AND reason = 'MOVE_OUT') AS paid""")
                .bind("b", bookingId).map(row -> row.get("paid", Number.class).longValue()).one();
    }

    Flux<RentInstalment> ofBooking(UUID bookingId) {
        return db.sql("SELECT " + COLUMNS + " FROM rent_instalment i WHERE i.booking_id = :b ORDER BY i.sequence")
                .bind("b", bookingId).map(RentInstalments::map).all();
    }

    Mono<Map<UUID, List<RentInstalment>>> ofBookings(Collection<UUID> bookingIds) {
        return db.sql("SELECT " + COLUMNS + " FROM rent_instalment i WHERE i.booking_id = ANY(:ids) ORDER BY i.booking_id, i.sequence")
                .bind("ids", bookingIds.toArray(UUID[]::new)).map(RentInstalments::map).all()
                .collect(Collectors.groupingBy(RentInstalment::bookingId));
    }

    Mono<RentInstalment> find(UUID bookingId, int sequence) {
        return db.sql("SELECT " + COLUMNS + " FROM rent_instalment i WHERE i.booking_id = :b AND i.sequence = :s")
                .bind("b", bookingId).bind("s", sequence).map(RentInstalments::map).one();
    }

    /** The oldest month the nomad has not paid after a failed charge. */
    Mono<RentInstalment> oldestPastDue(UUID bookingId) {
        return db.sql("SELECT " + COLUMNS + " FROM rent_instalment i WHERE i.booking_id = :b AND i.status = 'PAST_DUE' ORDER BY i.sequence LIMIT 1")
                .bind("b", bookingId).map(RentInstalments::map).one();
    }

    /**
     * Months to charge now: due today or before in the property's zone, of a booking that still
     * runs (or has ended and owes them), never charged or failed with a retry that has come.
     */
    Flux<RentInstalment> due(int limit) {
        return db.sql("SELECT " + COLUMNS + """
                         FROM rent_instalment i
                         JOIN booking b ON b.id = i.booking_id
                         JOIN property p ON p.id = b.property_id
                        WHERE i.status IN ('SCHEDULED', 'PAST_DUE')
                          AND b.status IN ('CONFIRMED', 'CHECKED_IN', 'COMPLETED')
                          AND i.due_on <= (now() AT TIME ZONE p.time_zone)::date
                          AND ((i.status = 'SCHEDULED' AND (i.next_attempt_at IS NULL OR i.next_attempt_at <= now()))
                            OR (i.status = 'PAST_DUE' AND i.next_attempt_at <= now()))
                        ORDER BY i.due_on, i.sequence
                        LIMIT :limit""")
                .bind("limit", limit).map(RentInstalments::map).all();
    }

    /** Paid: answers false when it already was (a replayed webhook), or is no longer owed. */
    Mono<Boolean> markPaid(RentInstalment i, String intentId, int attempts) {
        return db.sql("""
                        UPDATE rent_instalment SET status = 'PAID', paid_at = now(), stripe_payment_intent_id = :pi, attempts = greatest(attempts, :attempts),
                               next_attempt_at = NULL, failure_code = NULL, failure_message = NULL, updated_at = now()
                         WHERE id = :id AND status IN ('SCHEDULED', 'PAST_DUE')""")
                .bind("id", i.uuid()).bind("pi", intentId).bind("attempts", attempts)
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    /** A charge failed: past due until {@code nextAttempt} (null: no automatic retry left). */
    Mono<Boolean> markPastDue(RentInstalment i, String intentId, int attempts, String code, String message, Instant nextAttempt) {
        return db.sql("""
                        UPDATE rent_instalment SET status = 'PAST_DUE', stripe_payment_intent_id = coalesce(:pi, stripe_payment_intent_id), attempts = greatest(attempts, :attempts),
                               next_attempt_at = :next, failure_code = :code, failure_message = :message, updated_at = now()
                         WHERE id = :id AND status IN ('SCHEDULED', 'PAST_DUE')""")
                .bind("id", i.uuid()).bind("pi", Parameter.fromOrEmpty(intentId, String.class)).bind("attempts", attempts)
                .bind("next", Parameter.fromOrEmpty(nextAttempt, Instant.class))
                .bind("code", Parameter.fromOrEmpty(code, String.class))
                .bind("message", Parameter.fromOrEmpty(message == null || message.length() <= 1000 ? message : message.substring(0, 1000), String.class))
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    /** A charge was started (an on-session payment, or one Stripe is still processing): no automatic charge before {@code nextAttempt}. */
    Mono<Void> markCharging(RentInstalment i, String intentId, int attempts, Instant nextAttempt) {
        return db.sql("""
                        UPDATE rent_instalment SET stripe_payment_intent_id = :pi, attempts = greatest(attempts, :attempts),
                               next_attempt_at = :next, updated_at = now()
                         WHERE id = :id AND status IN ('SCHEDULED', 'PAST_DUE')""")
                .bind("id", i.uuid()).bind("pi", intentId).bind("attempts", attempts)
                .bind("next", Parameter.fromOrEmpty(nextAttempt, Instant.class))
                .then();
    }

    private static RentInstalment map(Readable row) {
        return new RentInstalment(row.get("id", UUID.class), row.get("operator_id", UUID.class), row.get("booking_id", UUID.class),
                row.get("sequence", Integer.class), row.get("period_from", LocalDate.class), row.get("period_to", LocalDate.class),
                row.get("due_on", LocalDate.class), row.get("amount", Long.class), row.get("currency", String.class).trim(),
                RentInstalment.Status.valueOf(row.get("status", String.class)), row.get("attempts", Integer.class),
                row.get("next_attempt_at", Instant.class), row.get("stripe_payment_intent_id", String.class),
                row.get("failure_code", String.class), row.get("failure_message", String.class), row.get("paid_at", Instant.class),
                row.get("cancelled_at", Instant.class), row.get("created_at", Instant.class), row.get("updated_at", Instant.class));
    }
}
