package io.nomadstays.billing;

import io.nomadstays.ledger.Ledger;
import io.nomadstays.ledger.LedgerEntry;
import io.nomadstays.ops.JobLease;
import io.nomadstays.ops.Schedules;
import io.nomadstays.payments.IdempotencyKeys;
import io.nomadstays.payments.Payouts;
import io.nomadstays.shared.Ids;
import io.nomadstays.shared.Money;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Pays out to the operator's bank what our charges put in its Stripe balance. Connected accounts
 * have manual payouts, so nothing leaves the balance unless this job says so:
 * <ul>
 *   <li>{@code FIRST_PAYMENT}: no earlier than {@code nomad.payments.payout-delay} after check-in
 *       (the start of the check-in day in the property's zone), so that a failed move-in can still
 *       be refunded in full from the operator's balance;</li>
 *   <li>{@code RENT}: a month once its payment succeeded and check-in plus the delay has passed (a
 *       month paid before move-in waits like the first payment). Only the payment that settled the
 *       month: one that arrived for a month already paid or no longer owed was refunded in full by
 *       {@link Rent} (without a {@code refund} row) and is never paid out;</li>
 *   <li>{@code CLAIM}: a card-on-file deposit claim charge, as soon as it succeeded;</li>
 *   <li>{@code CLAIM_TRANSFER}: the claimed part of a COLLECTED deposit, which a transfer moved to the
 *       operator's balance (no {@code payment} row: the payout belongs to the deposit claim).</li>
 * </ul>
 * The amount is the payment less the commission and less what was refunded of it (each refund net
 * of the commission given back). Bookings cancelled with part of the money kept are paid out too;
 * a payment refunded in full gets a payout row of 0 and no Stripe call. One payout per payment or
 * claim (unique row; Stripe key derived from the booking: {@code payout-first-payment:1},
 * {@code payout-rent-<month>:1}, {@code payout-claim:1}): never twice. Stripe is called outside any
 * transaction; the payout row and ledger {@code PAYOUT} are committed together after. Runs under a
 * {@link JobLease}.
 */
@Component
class OperatorPayouts {

    private static final Logger log = LoggerFactory.getLogger(OperatorPayouts.class);
    private static final int BATCH = 100;
    static final String LEASE = "operator-payouts";

    /** What a payout pays out. */
    enum Purpose { FIRST_PAYMENT, RENT, CLAIM, CLAIM_TRANSFER }

    /**
     * Money whose payout is due: a payment ({@code paymentId}) or a collected deposit's claim
     * ({@code claimId}, the booking's id, and {@code transferId}).
     */
    record Due(Purpose purpose, UUID paymentId, UUID claimId, String transferId, int sequence, UUID bookingId, UUID operatorId, String account,
               long amount, long fee, long refundedNet, String currency) {
        long net() {
            return amount - fee - refundedNet;
        }

        String key() {
            return switch (purpose) {
                case FIRST_PAYMENT -> IdempotencyKeys.of("booking", bookingId, "payout-first-payment", 1);
                case RENT -> IdempotencyKeys.of("booking", bookingId, "payout-rent-" + sequence, 1);
                // One claim per booking: a card-on-file charge or a transfer, never both.
                case CLAIM, CLAIM_TRANSFER -> IdempotencyKeys.of("booking", bookingId, "payout-claim", 1);
            };
        }

        String what() {
            return switch (purpose) {
                case FIRST_PAYMENT -> "first payment";
                case RENT -> "rent for month " + sequence;
                case CLAIM -> "deposit claim charge";
                case CLAIM_TRANSFER -> "deposit claim (from the collected deposit)";
            };
        }
    }

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final Payouts payouts;
    private final Ledger ledger;
    private final JobLease lease;
    private final BillingJobsProperties settings;
    private final Clock clock = Clock.systemUTC();
    private Disposable running;

    OperatorPayouts(DatabaseClient db, TransactionalOperator tx, Payouts payouts, Ledger ledger, JobLease lease, BillingJobsProperties settings) {
        this.db = db;
        this.tx = tx;
        this.payouts = payouts;
        this.ledger = ledger;
        this.lease = lease;
        this.settings = settings;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        running = Schedules.every("operator payouts", settings.payoutInterval(), settings.payoutInterval(), () -> runOnce(clock.instant()));
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (running != null) {
            running.dispose();
        }
    }

    /** One round as of {@code now}, if this instance holds the lease; answers how many payments or claims were paid out (or settled at 0). */
    Mono<Long> runOnce(Instant now) {
        return lease.acquire(LEASE, settings.payoutInterval().multipliedBy(2).plusSeconds(60))
                .flatMap(held -> held ? payDue(now, BATCH) : Mono.just(0L));
    }

    Mono<Long> payDue(Instant now, int limit) {
        return due(now, limit)
                .concatMap(due -> payOut(due).thenReturn(1L)
                        // One payout failing (Stripe down, funds not available yet) does not stop the others; it is tried next round.
                        .onErrorResume(e -> {
                            log.warn("payout of the {} of booking {} failed, retried next round: {}", due.what(), due.bookingId(), e.toString());
                            return Mono.just(0L);
                        }))
                .reduce(0L, Long::sum)
                .doOnNext(n -> {
                    if (n > 0) {
                        log.info("operator payouts: {} settled (paid out, or nothing left after refunds)", n);
                    }
                });
    }

    private Flux<Due> due(Instant now, int limit) {
        return db.sql("""
                        SELECT * FROM (
                            SELECT p.purpose, p.id AS payment_id, NULL::uuid AS claim_id, NULL::text AS transfer_id, p.sequence,
                                   p.booking_id, p.operator_id, a.stripe_account_id, p.amount, p.application_fee, p.currency,
                                   COALESCE((SELECT sum(r.amount - r.fee_refund) FROM refund r WHERE r.payment_id = p.id), 0)::bigint AS refunded_net,
                                   CASE WHEN p.purpose = 'CLAIM' THEN p.updated_at
                                        ELSE (b.check_in::timestamp AT TIME ZONE pr.time_zone) + make_interval(secs => :delay) END AS due_at
                              FROM payment p
                              JOIN booking b ON b.id = p.booking_id
                              JOIN property pr ON pr.id = b.property_id
                              JOIN payout_account a ON a.operator_id = p.operator_id
                             WHERE p.status = 'SUCCEEDED' AND p.purpose IN ('FIRST_PAYMENT', 'RENT', 'CLAIM')
                               AND NOT EXISTS (SELECT 1 FROM payout o WHERE o.payment_id = p.id)
                               AND (p.purpose = 'CLAIM'
                                    OR (b.status IN ('CONFIRMED', 'CHECKED_IN', 'COMPLETED', 'CANCELLED_BY_GUEST', 'CANCELLED_BY_OPERATOR')
                                        AND (b.check_in::timestamp AT TIME ZONE pr.time_zone) + make_interval(secs => :delay) <= :now
                                        AND (p.purpose = 'FIRST_PAYMENT'
                                             -- The payment that settled the month; another one was refunded as not owed.
                                             OR EXISTS (SELECT 1 FROM rent_instalment i
                                                         WHERE i.booking_id = p.booking_id AND i.sequence = p.sequence AND i.status = 'PAID'
                                                           AND i.stripe_payment_intent_id = p.stripe_payment_intent_id))))
                            UNION ALL
                            SELECT 'CLAIM_TRANSFER', NULL::uuid, c.booking_id, c.stripe_object_id, 1,
                                   c.booking_id, c.operator_id, a.stripe_account_id, c.total, 0, c.currency, 0::bigint, c.created_at
                              FROM deposit_claim c
                              JOIN payout_account a ON a.operator_id = c.operator_id
                             WHERE c.status = 'PAID' AND c.stripe_object_id LIKE 'tr\\_%'
                               AND NOT EXISTS (SELECT 1 FROM payout o WHERE o.deposit_claim_id = c.booking_id)
                        ) d
                         ORDER BY d.due_at, d.booking_id, d.purpose, d.sequence
                         LIMIT :limit""")
                .bind("delay", (double) settings.payoutDelay().toSeconds()).bind("now", now).bind("limit", limit)
                .map(row -> new Due(Purpose.valueOf(row.get("purpose", String.class)), row.get("payment_id", UUID.class),
                        row.get("claim_id", UUID.class), row.get("transfer_id", String.class), row.get("sequence", Integer.class),
                        row.get("booking_id", UUID.class), row.get("operator_id", UUID.class), row.get("stripe_account_id", String.class),
                        row.get("amount", Long.class), row.get("application_fee", Long.class), row.get("refunded_net", Long.class),
                        row.get("currency", String.class).trim()))
                .all();
    }

    private Mono<Void> payOut(Due due) {
        long net = due.net();
        if (net <= 0) {
            return insert(due, null, 0, "NOTHING_DUE").as(tx::transactional).then();
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("booking_id", due.bookingId().toString());
        metadata.put("purpose", due.purpose().name().toLowerCase(java.util.Locale.ROOT));
        if (due.paymentId() != null) {
            metadata.put("payment_id", due.paymentId().toString());
        }
        if (due.transferId() != null) {
            metadata.put("transfer_id", due.transferId());
        }
        return payouts.create(due.account(), net, due.currency(), metadata, due.key())
                .flatMap(payout -> insert(due, payout.id(), payout.amount(), payout.status())
                        .flatMap(inserted -> inserted ? ledger.append(due.operatorId(), due.bookingId(), LedgerEntry.Kind.PAYOUT,
                                Money.of(-payout.amount(), due.currency()), payout.id(), clock.instant(),
                                due.what() + " paid out to the operator's bank").then() : Mono.empty())
                        .as(tx::transactional))
                .doOnSuccess(v -> log.info("booking {}: paid out {} {} of its {}", due.bookingId(), net, due.currency(), due.what()));
    }

    private Mono<Boolean> insert(Due due, String payoutId, long amount, String status) {
        return db.sql("""
                        INSERT INTO payout (id, operator_id, booking_id, purpose, payment_id, deposit_claim_id, stripe_payout_id, stripe_account_id,
                                            amount, currency, status)
                        VALUES (:id, :op, :booking, :purpose, :payment, :claim, :payout, :account, :amount, :currency, :status)
                        ON CONFLICT DO NOTHING""")
                .bind("id", Ids.newId()).bind("op", due.operatorId()).bind("booking", due.bookingId()).bind("purpose", due.purpose().name())
                .bind("payment", Parameter.fromOrEmpty(due.paymentId(), UUID.class))
                .bind("claim", Parameter.fromOrEmpty(due.claimId(), UUID.class))
                .bind("payout", Parameter.fromOrEmpty(payoutId, String.class)).bind("account", due.account()).bind("amount", amount)
                .bind("currency", due.currency()).bind("status", status)
                .fetch().rowsUpdated().map(n -> n > 0);
    }
}
