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
import reactor.core.publisher.Mono;

/**
 * Pays the operator's share of a first payment out to its bank no earlier than
 * {@code nomad.payments.payout-delay} after check-in (the start of the check-in day in the
 * property's zone), so that a failed move-in can still be refunded in full from the operator's
 * Stripe balance. Connected accounts have manual payouts; this job is what releases the money.
 * The amount is the payment less the commission and less what was refunded of it (each refund
 * net of the commission given back). Bookings cancelled with part of the money kept are paid out
 * too (what the operator keeps must leave the balance some day); a payment refunded in full gets
 * a payout row of 0 and no Stripe call. One payout per payment (unique row, Stripe key
 * {@code booking:<id>:payout-first-payment:1}): never twice. Runs under a {@link JobLease}.
 */
@Component
class FirstPaymentPayouts {

    private static final Logger log = LoggerFactory.getLogger(FirstPaymentPayouts.class);
    private static final int BATCH = 100;

    /** A first payment whose payout is due. */
    record Due(UUID paymentId, UUID bookingId, UUID operatorId, String account, long amount, long fee, long refundedNet, String currency) {
        long net() {
            return amount - fee - refundedNet;
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

    FirstPaymentPayouts(DatabaseClient db, TransactionalOperator tx, Payouts payouts, Ledger ledger, JobLease lease, BillingJobsProperties settings) {
        this.db = db;
        this.tx = tx;
        this.payouts = payouts;
        this.ledger = ledger;
        this.lease = lease;
        this.settings = settings;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        running = Schedules.every("first-payment payouts", settings.payoutInterval(), settings.payoutInterval(), () -> runOnce(clock.instant()));
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (running != null) {
            running.dispose();
        }
    }

    /** One round as of {@code now}, if this instance holds the lease; answers how many payments were paid out (or settled at 0). */
    Mono<Long> runOnce(Instant now) {
        return lease.acquire("first-payment-payouts", settings.payoutInterval().multipliedBy(2).plusSeconds(60))
                .flatMap(held -> held ? payDue(now, BATCH) : Mono.just(0L));
    }

    Mono<Long> payDue(Instant now, int limit) {
        return due(now, limit)
                .concatMap(due -> payOut(due).thenReturn(1L)
                        // One payment failing (Stripe down, funds not available yet) does not stop the others; it is tried next round.
                        .onErrorResume(e -> {
                            log.warn("payout of booking {} (payment {}) failed, retried next round: {}", due.bookingId(), due.paymentId(), e.toString());
                            return Mono.just(0L);
                        }))
                .reduce(0L, Long::sum)
                .doOnNext(n -> {
                    if (n > 0) {
                        log.info("first-payment payouts: {} payments settled (paid out, or nothing left after refunds)", n);
                    }
                });
    }

    private reactor.core.publisher.Flux<Due> due(Instant now, int limit) {
        return db.sql("""
                        SELECT p.id AS payment_id, p.booking_id, p.operator_id, a.stripe_account_id, p.amount, p.application_fee, p.currency,
                               COALESCE((SELECT sum(r.amount - r.fee_refund) FROM refund r WHERE r.payment_id = p.id), 0)::bigint AS refunded_net
                          FROM payment p
                          JOIN booking b ON b.id = p.booking_id
                          JOIN property pr ON pr.id = b.property_id
                          JOIN payout_account a ON a.operator_id = p.operator_id
                         WHERE p.purpose = 'FIRST_PAYMENT' AND p.status = 'SUCCEEDED'
                           AND b.status IN ('CONFIRMED', 'CHECKED_IN', 'COMPLETED', 'CANCELLED_BY_GUEST', 'CANCELLED_BY_OPERATOR')
                           AND NOT EXISTS (SELECT 1 FROM payout o WHERE o.payment_id = p.id)
                           AND (b.check_in::timestamp AT TIME ZONE pr.time_zone) + make_interval(secs => :delay) <= :now
                         ORDER BY b.check_in, p.id
                         LIMIT :limit""")
                .bind("delay", (double) settings.payoutDelay().toSeconds()).bind("now", now).bind("limit", limit)
                .map(row -> new Due(row.get("payment_id", UUID.class), row.get("booking_id", UUID.class), row.get("operator_id", UUID.class),
                        row.get("stripe_account_id", String.class), row.get("amount", Long.class), row.get("application_fee", Long.class),
                        row.get("refunded_net", Long.class), row.get("currency", String.class).trim()))
                .all();
    }

    private Mono<Void> payOut(Due due) {
        long net = due.net();
        if (net <= 0) {
            return insert(due, null, 0, "NOTHING_DUE").as(tx::transactional).then();
        }
        String key = IdempotencyKeys.of("booking", due.bookingId(), "payout-first-payment", 1);
        return payouts.create(due.account(), net, due.currency(), Map.of("booking_id", due.bookingId().toString(),
                        "payment_id", due.paymentId().toString()), key)
                .flatMap(payout -> insert(due, payout.id(), payout.amount(), payout.status())
                        .flatMap(inserted -> inserted ? ledger.append(due.operatorId(), due.bookingId(), LedgerEntry.Kind.PAYOUT,
                                Money.of(-payout.amount(), due.currency()), payout.id(), clock.instant(),
                                "first payment paid out to the operator's bank").then() : Mono.empty())
                        .as(tx::transactional))
                .doOnSuccess(v -> log.info("booking {}: paid out {} {} of its first payment", due.bookingId(), net, due.currency()));
    }

    private Mono<Boolean> insert(Due due, String payoutId, long amount, String status) {
        return db.sql("""
                        INSERT INTO payout (id, operator_id, booking_id, payment_id, stripe_payout_id, stripe_account_id, amount, currency, status)
                        VALUES (:id, :op, :booking, :payment, :payout, :account, :amount, :currency, :status)
                        ON CONFLICT (payment_id) DO NOTHING""")
                .bind("id", Ids.newId()).bind("op", due.operatorId()).bind("booking", due.bookingId()).bind("payment", due.paymentId())
                .bind("payout", Parameter.fromOrEmpty(payoutId, String.class)).bind("account", due.account()).bind("amount", amount)
                .bind("currency", due.currency()).bind("status", status)
                .fetch().rowsUpdated().map(n -> n > 0);
    }
}
