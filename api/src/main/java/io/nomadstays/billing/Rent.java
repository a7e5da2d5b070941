package io.nomadstays.billing;

import io.nomadstays.booking.Booking;
import io.nomadstays.booking.BookingService;
import io.nomadstays.booking.PaymentGateway.PaymentAction;
import io.nomadstays.ledger.Ledger;
import io.nomadstays.ledger.LedgerEntry;
import io.nomadstays.payments.IdempotencyKeys;
import io.nomadstays.payments.PaymentIntents;
import io.nomadstays.payments.PaymentIntents.IntentState;
import io.nomadstays.shared.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Charging the months after the first (docs/payments-rent.md, ADR 0011): off-session with the card
 * the first payment saved, as destination charges to the operator with the platform's commission.
 * Stripe is called first, outside any transaction, with a key made of the booking, the month and the
 * attempt ({@code booking:<id>:rent-<month>:<attempt>}); the outcome is committed after, in one
 * transaction. A crash in between retries with the same key and gets the same intent back.
 */
@Component
class Rent {

    private static final Logger log = LoggerFactory.getLogger(Rent.class);
    private static final Set<String> OPEN = Set.of("REQUIRES_PAYMENT_METHOD", "REQUIRES_CONFIRMATION", "REQUIRES_ACTION");

    /** What a rent charge needs of its booking: the saved card, the operator's account and commission. */
    record Billing(String customer, String paymentMethod, String destination, int commissionBps) {
    }

    private final RentInstalments instalments;
    private final Payments payments;
    private final PaymentIntents intents;
    private final WholeRefunds wholeRefunds;
    private final BookingService bookings;
    private final Ledger ledger;
    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final RentProperties settings;
    private final Clock clock = Clock.systemUTC();

    Rent(RentInstalments instalments, Payments payments, PaymentIntents intents, WholeRefunds wholeRefunds, BookingService bookings, Ledger ledger,
         DatabaseClient db, TransactionalOperator tx, RentProperties settings) {
        this.instalments = instalments;
        this.payments = payments;
        this.intents = intents;
        this.wholeRefunds = wholeRefunds;
        this.bookings = bookings;
        this.ledger = ledger;
        this.db = db;
        this.tx = tx;
        this.settings = settings;
    }

    // ---- the job ----

    /**
     * One round: every month due now is charged, one after the other. A month whose charge could
     * not be made (Stripe down) is left as it was for the next round; the others go on.
     */
    Mono<Long> chargeDue(int limit) {
        return instalments.due(limit)
                .concatMap(i -> charge(i).thenReturn(1L).onErrorResume(e -> {
                    log.warn("rent for month {} of booking {} not charged, next round retries: {}", i.sequence(), i.bookingId(), e.toString());
                    return Mono.just(0L);
                }))
                .reduce(0L, Long::sum);
    }

    Mono<Void> charge(RentInstalment i) {
        int attempt = i.attempts() + 1;
        return billing(i).flatMap(b -> {
            if (b.customer() == null || b.paymentMethod() == null) {
                return markFailed(i, null, attempt, "no_saved_card", "No card was saved for this booking; pay the rent now.").as(tx::transactional);
            }
            // At most one open intent per month: the previous failed one is cancelled before a new try (and if the
            // nomad paid it meanwhile, that payment settles the month instead).
            if (i.intentId() == null) {
                return offSession(i, b, attempt);
            }
            return intents.cancel(i.intentId(), IdempotencyKeys.of("booking", i.bookingId(), "cancel-rent-" + i.sequence(), Math.max(1, i.attempts())))
                    .flatMap(previous -> previous.succeeded()
                            ? payments.findByIntent(previous.id()).flatMap(p -> converge(p, previous, effect -> effect.as(tx::transactional)))
                            : payments.findByIntent(previous.id()).flatMap(p -> payments.update(p, previous)).then(offSession(i, b, attempt)));
        });
    }

    private Mono<Void> offSession(RentInstalment i, Billing b, int attempt) {
        long fee = b.destination() == null ? 0 : RentSchedule.commission(i.amount(), b.commissionBps());
        PaymentIntents.Charge charge = new PaymentIntents.Charge(i.amount(), i.currency(), b.customer(), b.destination(), fee, false,
                b.paymentMethod(), description(i), metadata(i, attempt),
                IdempotencyKeys.of("booking", i.bookingId(), "rent-" + i.sequence(), attempt));
        return intents.create(charge).flatMap(state -> {
            Payment payment = payment(i, attempt, fee, state);
            Mono<Void> effect = payments.insert(payment).then(apply(i, payment, state, attempt));
            return effect.as(tx::transactional);
        });
    }

    private Mono<Billing> billing(RentInstalment i) {
        return db.sql("""
                        SELECT b.stripe_customer_id, b.payment_method_id, o.commission_bps, a.stripe_account_id
                          FROM booking b JOIN operator o ON o.id = b.operator_id LEFT JOIN payout_account a ON a.operator_id = b.operator_id
                         WHERE b.id = :id""")
                .bind("id", i.bookingId())
                .map(row -> new Billing(row.get("stripe_customer_id", String.class), row.get("payment_method_id", String.class),
                        row.get("stripe_account_id", String.class), row.get("commission_bps", Integer.class)))
                .one();
    }

    private static String description(RentInstalment i) {
        return "Rent for month " + i.sequence() + ": " + i.from() + " to " + i.to();
    }

    private static Map<String, String> metadata(RentInstalment i, int attempt) {
        return Map.of("booking_id", i.bookingId().toString(), "purpose", "rent", "sequence", String.valueOf(i.sequence()),
                "attempt", String.valueOf(attempt));
    }

    private Payment payment(RentInstalment i, int attempt, long fee, IntentState state) {
        Instant now = clock.instant();
        return new Payment(Ids.newId(), i.operatorId(), i.bookingId(), state.id(), Payment.Purpose.RENT, i.sequence(), attempt, i.amount(),
                i.currency(), fee, state.status(), state.latestCharge(), state.failureCode(), state.failureMessage(), now, now);
    }

    // ---- outcomes (the job, the webhooks, the reconciliation) ----

    /**
     * A rent intent's current state (PaymentEvents' RENT branch). A payment for a month that is no
     * longer owed (paid by another intent, or stopped by a cancellation or move-out) is refunded in
     * full before the commit.
     */
    <T> Mono<T> converge(Payment payment, IntentState state, Function<Mono<Void>, Mono<T>> commit) {
        Mono<Void> update = payments.update(payment, state);
        return instalments.find(payment.bookingId(), payment.sequence())
                .flatMap(i -> {
                    boolean paidElsewhere = i.status() == RentInstalment.Status.PAID && !state.id().equals(i.intentId());
                    if (state.succeeded() && (paidElsewhere || i.status() == RentInstalment.Status.CANCELLED)) {
                        return refundUnowed(payment, state, i, update, commit);
                    }
                    return commit.apply(update.then(apply(i, payment, state, null)));
                })
                .switchIfEmpty(Mono.defer(() -> commit.apply(update)));
    }

    /**
     * Applies a state to the month, inside the caller's transaction. {@code attempt} is the charge
     * the job just made (null for a webhook: it changes no retry plan).
     */
    private Mono<Void> apply(RentInstalment i, Payment payment, IntentState state, Integer attempt) {
        if (state.succeeded()) {
            return instalments.markPaid(i, state.id(), payment.attempt()).flatMap(changed -> changed ? paid(i, payment, state) : Mono.empty());
        }
        if (attempt == null && i.intentId() != null && !i.intentId().equals(state.id())) {
            // An older intent of the month (cancelled before a retry): only its payment row changes.
            return Mono.empty();
        }
        if (state.failureCode() != null) {
            if (attempt == null) {
                boolean news = i.status() != RentInstalment.Status.PAST_DUE || !state.id().equals(i.intentId())
                        || !state.failureCode().equals(i.failureCode());
                return instalments.markPastDue(i, state.id(), payment.attempt(), state.failureCode(), state.failureMessage(), i.nextAttemptAt())
                        .flatMap(changed -> changed && news ? bookings.note(i.bookingId(), failureNote(i, state.failureCode(), state.failureMessage(),
                                i.nextAttemptAt())) : Mono.empty());
            }
            return markFailed(i, state.id(), attempt, state.failureCode(), state.failureMessage());
        }
        // Processing, or waiting for the nomad in the browser: the webhook settles it; no automatic charge meanwhile.
        return attempt == null ? Mono.empty() : instalments.markCharging(i, state.id(), attempt, clock.instant().plus(settings.retryAfter().get(0)));
    }

    private Mono<Void> markFailed(RentInstalment i, String intentId, int attempt, String code, String message) {
        Instant next = attempt <= settings.retryAfter().size() ? clock.instant().plus(settings.retryAfter().get(attempt - 1)) : null;
        return instalments.markPastDue(i, intentId, attempt, code, message, next)
                .flatMap(changed -> changed ? bookings.note(i.bookingId(), failureNote(i, code, message, next)) : Mono.empty());
    }

    private static String failureNote(RentInstalment i, String code, String message, Instant next) {
        return "rent for month " + i.sequence() + " (" + i.amount() + " " + i.currency() + ") failed (" + code + "): " + message
                + "; the booking is past due; " + (next == null ? "no automatic retry is left" : "next automatic try at " + next)
                + "; the guest can pay now (payRent)";
    }

    private Mono<Void> paid(RentInstalment i, Payment payment, IntentState state) {
        String charge = state.latestCharge() != null ? state.latestCharge() : state.id();
        Instant now = clock.instant();
        String month = "rent for month " + i.sequence();
        return ledger.append(i.operatorId(), i.bookingId(), LedgerEntry.Kind.RENT, io.nomadstays.shared.Money.of(state.amount(), i.currency()),
                        charge, now, month)
                .then(payment.applicationFee() == 0 ? Mono.empty() : ledger.append(i.operatorId(), i.bookingId(), LedgerEntry.Kind.APPLICATION_FEE,
                        io.nomadstays.shared.Money.of(-payment.applicationFee(), i.currency()), charge, now, "platform commission on " + month))
                // The nomad may have paid with another card in the browser: later months use it.
                .then(payments.saveCard(i.bookingId(), state.paymentMethod()))
                .then(bookings.note(i.bookingId(), month + " paid (" + state.amount() + " " + i.currency() + ")"
                        + (i.status() == RentInstalment.Status.PAST_DUE ? "; no longer past due" : "")));
    }

    private <T> Mono<T> refundUnowed(Payment payment, IntentState state, RentInstalment i, Mono<Void> update,
                                     Function<Mono<Void>, Mono<T>> commit) {
        String why = i.status() == RentInstalment.Status.CANCELLED ? "month " + i.sequence() + " was no longer owed"
                : "month " + i.sequence() + " was already paid";
        String charge = state.latestCharge() != null ? state.latestCharge() : state.id();
        Instant now = clock.instant();
        return wholeRefunds.refund(payment, state, "rent_not_owed", "refund-rent-" + i.sequence())
                .flatMap(refund -> commit.apply(update
                        .then(ledger.append(i.operatorId(), i.bookingId(), LedgerEntry.Kind.RENT,
                                io.nomadstays.shared.Money.of(state.amount(), i.currency()), charge, now, "rent for month " + i.sequence()))
                        .then(payment.applicationFee() == 0 ? Mono.empty() : ledger.append(i.operatorId(), i.bookingId(), LedgerEntry.Kind.APPLICATION_FEE,
                                io.nomadstays.shared.Money.of(-payment.applicationFee(), i.currency()), charge, now, "platform commission"))
                        .then(wholeRefunds.record(payment, refund, now, why + ": refunded in full",
                                "a payment of rent arrived but " + why + ": refunded in full"))));
    }

    // ---- the nomad pays ----

    /**
     * The nomad pays the oldest past-due month now, in the browser: the month's open intent (the
     * failed off-session one, as Stripe recommends: Stripe.js confirms it with a new card or
     * authenticates the saved one), or a new on-session intent when the last was cancelled.
     */
    Mono<PaymentAction> pay(Booking booking, RentInstalment i) {
        return payments.latest(booking.uuid(), Payment.Purpose.RENT, i.sequence())
                .filter(p -> OPEN.contains(p.status()))
                .flatMap(p -> intents.retrieve(p.intentId()))
                .filter(state -> OPEN.contains(state.status()) || state.succeeded())
                .map(state -> FirstPayments.action(state, i.currency()))
                .switchIfEmpty(Mono.defer(() -> onSession(booking, i)));
    }

    private Mono<PaymentAction> onSession(Booking booking, RentInstalment i) {
        int attempt = i.attempts() + 1;
        return billing(i).flatMap(b -> {
            long fee = b.destination() == null ? 0 : RentSchedule.commission(i.amount(), b.commissionBps());
            PaymentIntents.Charge charge = new PaymentIntents.Charge(i.amount(), i.currency(), b.customer(), b.destination(), fee, true, null,
                    description(i), metadata(i, attempt), IdempotencyKeys.of("booking", i.bookingId(), "rent-" + i.sequence(), attempt));
            return intents.create(charge).flatMap(state -> payments.insert(payment(i, attempt, fee, state))
                    .then(instalments.markCharging(i, state.id(), attempt, i.nextAttemptAt()))
                    .as(tx::transactional)
                    // Two concurrent calls make the same intent (same key); the second insert finds the first's row.
                    .onErrorResume(org.springframework.dao.DataIntegrityViolationException.class, e -> Mono.empty())
                    .thenReturn(FirstPayments.action(state, i.currency())));
        });
    }
}
