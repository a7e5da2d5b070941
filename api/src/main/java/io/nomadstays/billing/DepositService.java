package io.nomadstays.billing;

import io.nomadstays.booking.Booking;
import io.nomadstays.booking.BookingService;
import io.nomadstays.graphql.UserErrorCode;
import io.nomadstays.identity.Caller;
import io.nomadstays.identity.StaffRole;
import io.nomadstays.ledger.Ledger;
import io.nomadstays.ledger.LedgerEntry;
import io.nomadstays.payments.IdempotencyKeys;
import io.nomadstays.payments.PaymentIntents;
import io.nomadstays.payments.PaymentIntents.IntentState;
import io.nomadstays.payments.PaymentProviderException;
import io.nomadstays.payments.Refunds;
import io.nomadstays.payments.Transfers;
import io.nomadstays.payouts.PayoutAccount;
import io.nomadstays.payouts.PayoutAccounts;
import io.nomadstays.shared.Ids;
import io.nomadstays.shared.Money;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Deposits of bookings (docs/payments-deposits.md). Every Stripe call runs before the transaction
 * that records its effect, with an idempotency key derived from the booking, so a retry (of the
 * job or of staff's claim) after a failure in between gets Stripe's first answer.
 * <ul>
 *   <li>{@link #collectDue}: COLLECTED deposits are charged off-session on the card the first
 *       payment saved, as a platform charge (no destination, no fee); a decline is shown on the
 *       booking and retried.</li>
 *   <li>{@link #claim}: staff claim (part of) the deposit between check-out and the release: the
 *       card on file is charged for the operator, or the operator gets that part of the collected
 *       deposit and the nomad the rest.</li>
 *   <li>{@link #releaseDue}: {@code releaseDays} after check-out without a claim, a collected
 *       deposit is refunded in full and a card on file no longer claimable.</li>
 * </ul>
 */
@Service
class DepositService {

    private static final Logger log = LoggerFactory.getLogger(DepositService.class);
    static final int MAX_ITEMS = 20;

    private final Deposits deposits;
    private final Payments payments;
    private final PaymentIntents intents;
    private final Refunds refunds;
    private final Transfers transfers;
    private final PayoutAccounts accounts;
    private final BookingService bookings;
    private final Ledger ledger;
    private final TransactionalOperator tx;
    private final DepositProperties settings;
    private final Clock clock = Clock.systemUTC();

    DepositService(Deposits deposits, Payments payments, PaymentIntents intents, Refunds refunds, Transfers transfers, PayoutAccounts accounts,
                   BookingService bookings, Ledger ledger, TransactionalOperator tx, DepositProperties settings) {
        this.deposits = deposits;
        this.payments = payments;
        this.intents = intents;
        this.refunds = refunds;
        this.transfers = transfers;
        this.accounts = accounts;
        this.bookings = bookings;
        this.ledger = ledger;
        this.tx = tx;
        this.settings = settings;
    }

    // ---- collecting (COLLECTED mode) ----

    /** Charges the collected deposits that are due (first try or retry after a decline); answers how many were tried. */
    Mono<Long> collectDue(int limit) {
        return deposits.toCollect(settings.maxAttempts(), limit)
                .concatMap(s -> collect(s).thenReturn(1L)
                        .onErrorResume(e -> {
                            // One booking Stripe cannot charge now must not stop the others; the next round tries again.
                            log.warn("collecting the deposit of booking {} failed: {}", s.bookingId(), e.toString());
                            return Mono.just(0L);
                        }))
                .reduce(0L, Long::sum);
    }

    private Mono<Void> collect(Deposits.State s) {
        int attempt = s.attempts() + 1;
        PaymentIntents.Charge charge = new PaymentIntents.Charge(s.amount(), s.currency(), s.customer(), null, 0, false, s.paymentMethod(),
                "Deposit of booking " + s.bookingId(),
                Map.of("booking_id", s.bookingId().toString(), "purpose", "deposit", "attempt", String.valueOf(attempt)),
                IdempotencyKeys.of("booking", s.bookingId(), "deposit", attempt));
        return intents.create(charge).flatMap(state -> {
            Instant now = clock.instant();
            boolean held = state.succeeded();
            String failure = held ? null : (state.failureCode() != null ? state.failureCode() : state.status().toLowerCase(java.util.Locale.ROOT));
            boolean lastTry = attempt >= settings.maxAttempts();
            Instant next = held || lastTry ? null : now.plus(settings.retryInterval());
            Payment payment = new Payment(Ids.newId(), s.operatorId(), s.bookingId(), state.id(), Payment.Purpose.DEPOSIT, 1, attempt,
                    s.amount(), s.currency(), 0, state.status(), state.latestCharge(), state.failureCode(), state.failureMessage(), now, now);
            Money amount = Money.of(s.amount(), s.currency());
            Mono<Void> effect = deposits.recordAttempt(s, attempt, held ? Deposit.Status.HELD : Deposit.Status.FAILED, state.id(),
                            state.latestCharge(), failure, state.failureMessage(), next)
                    .flatMap(recorded -> !recorded ? Mono.<Void>empty() : payments.insert(payment)
                            .then(held
                                    ? ledger.append(s.operatorId(), s.bookingId(), LedgerEntry.Kind.DEPOSIT_HOLD, amount,
                                            state.latestCharge() != null ? state.latestCharge() : state.id(), now,
                                            "deposit collected, held by the platform until after check-out").then()
                                    : Mono.empty())
                            .then(bookings.note(s.bookingId(), held
                                    ? "deposit of " + amount.decimal() + " " + amount.currency() + " collected"
                                    : "deposit of " + amount.decimal() + " " + amount.currency() + " could not be collected (" + failure + ")"
                                    + (state.failureMessage() == null ? "" : ": " + state.failureMessage())
                                    + (next == null ? "; no further automatic attempt" : "; tried again after " + next))));
            return effect.as(tx::transactional);
        });
    }

    // ---- releasing ----

    /** Releases the deposits whose release day has come (or whose booking was cancelled); answers how many. */
    Mono<Long> releaseDue(int limit) {
        return deposits.toRelease(settings.releaseDays(), limit)
                .concatMap(s -> release(s)
                        .onErrorResume(e -> {
                            log.warn("releasing the deposit of booking {} failed: {}", s.bookingId(), e.toString());
                            return Mono.just(false);
                        }))
                .filter(Boolean::booleanValue).count();
    }

    private Mono<Boolean> release(Deposits.State s) {
        Money amount = Money.of(s.amount(), s.currency());
        if (s.status() != Deposit.Status.HELD) {
            // Card on file, or a collected deposit never charged: no money moves, it just cannot be claimed any more.
            return deposits.move(s, Deposit.Status.RELEASED, List.of(Deposit.Status.ON_FILE, Deposit.Status.PENDING, Deposit.Status.FAILED))
                    .flatMap(moved -> !moved ? Mono.just(false) : bookings.note(s.bookingId(), s.mode() == Deposit.Mode.CARD_ON_FILE
                            ? "deposit released: no claim was filed (nothing had been charged)"
                            : "deposit released: it had not been collected").thenReturn(true))
                    .as(tx::transactional);
        }
        boolean cancelled = s.bookingStatus().startsWith("CANCELLED");
        return refunds.refund(s.intentId(), s.amount(), false,
                        Map.of("booking_id", s.bookingId().toString(), "purpose", "deposit_release"),
                        IdempotencyKeys.of("booking", s.bookingId(), "deposit-release", 1))
                .flatMap(refund -> deposits.move(s, Deposit.Status.RELEASED, List.of(Deposit.Status.HELD))
                        .flatMap(moved -> !moved ? Mono.just(false)
                                : ledger.append(s.operatorId(), s.bookingId(), LedgerEntry.Kind.DEPOSIT_RELEASE, Money.of(-refund.amount(), s.currency()),
                                                refund.id(), clock.instant(), cancelled ? "deposit refunded: booking cancelled" : "deposit refunded: no claim")
                                        .then(bookings.note(s.bookingId(), "deposit of " + amount.decimal() + " " + amount.currency() + " refunded"
                                                + (cancelled ? " (booking cancelled)" : ": no claim was filed")))
                                        .thenReturn(true))
                        .as(tx::transactional));
    }

    // ---- claims ----

    /**
     * Staff (MANAGER) claim items against the deposit. Stripe moves the money first; the claim is
     * stored only once Stripe answered (paid, or declined for a card on file), so Stripe being down
     * leaves no claim behind and the same claim can be sent again.
     */
    Mono<Booking> claim(Caller caller, UUID bookingId, List<String> descriptions, List<Long> amounts, String note) {
        return bookings.findForPayment(bookingId)
                .filter(b -> caller.authenticated() && (caller.isStaffOf(b.operatorId()) || b.guestId().equals(caller.userId()) || caller.platformAdmin()))
                .switchIfEmpty(Mono.error(DepositRefusal.of(UserErrorCode.NOT_FOUND, "No booking with this ID", "input", "bookingId")))
                .flatMap(booking -> {
                    if (!caller.hasRole(booking.operatorId(), StaffRole.MANAGER)) {
                        return Mono.error(DepositRefusal.of(UserErrorCode.FORBIDDEN, "Claiming a deposit needs the MANAGER role at the booking's operator",
                                "input", "bookingId"));
                    }
                    return deposits.state(bookingId).flatMap(s -> {
                        // Items are in the booking's currency: the deposit's, never converted.
                        List<Deposit.Item> items = DepositController.items(descriptions, amounts, s.currency());
                        checkClaimable(s, items);
                        long total = items.stream().mapToLong(i -> i.amount().amount()).sum();
                        Mono<Claimed> paid = s.status() == Deposit.Status.HELD ? fromCollected(s, total) : chargeCard(s, total);
                        return paid.onErrorMap(PaymentProviderException.class, DepositService::providerRefusal)
                                .flatMap(claimed -> store(caller, s, items, note, total, claimed).as(tx::transactional)
                                        .onErrorMap(DataIntegrityViolationException.class, e -> DepositRefusal.of(UserErrorCode.ALREADY_EXISTS,
                                                "a claim was already filed for this booking", "input", "bookingId")))
                                .then(bookings.findForPayment(bookingId));
                    });
                });
    }

    private void checkClaimable(Deposits.State s, List<Deposit.Item> items) {
        if (s.amount() <= 0) {
            throw DepositRefusal.of(UserErrorCode.INVALID_STATE, "this booking has no deposit", "input", "bookingId");
        }
        if (s.claimed()) {
            throw DepositRefusal.of(UserErrorCode.ALREADY_EXISTS, "a claim was already filed for this booking", "input", "bookingId");
        }
        if (!List.of("CONFIRMED", "CHECKED_IN", "COMPLETED").contains(s.bookingStatus())) {
            throw DepositRefusal.of(UserErrorCode.INVALID_STATE, "a " + s.bookingStatus() + " booking has no deposit to claim", "input", "bookingId");
        }
        if (!s.bookingStatus().equals("COMPLETED") && s.today().isBefore(s.checkOut())) {
            throw DepositRefusal.of(UserErrorCode.INVALID_STATE, "a claim can be filed from check-out (" + s.checkOut() + ")", "input", "bookingId");
        }
        java.time.LocalDate releaseOn = s.checkOut().plusDays(settings.releaseDays());
        if (s.status() == Deposit.Status.RELEASED || !s.today().isBefore(releaseOn)) {
            throw DepositRefusal.of(UserErrorCode.INVALID_STATE, "the deposit was released on " + releaseOn + ": claims are filed before", "input", "bookingId");
        }
        String currency = s.currency();
        long total = items.stream().mapToLong(i -> i.amount().amount()).sum();
        if (total > s.amount()) {
            Money deposit = Money.of(s.amount(), currency);
            throw DepositRefusal.of(UserErrorCode.OUT_OF_RANGE, "the claim (" + Money.of(total, currency).decimal() + " " + currency
                    + ") exceeds the deposit (" + deposit.decimal() + " " + currency + ")", "input", "items");
        }
    }

    /** What Stripe did for a claim. */
    private record Claimed(Deposit.ClaimStatus status, String stripeObjectId, String ledgerObjectId, IntentState intent, String refundId,
                           long refunded) {
    }

    /** Card on file (or a collected deposit never charged): an off-session destination charge to the operator, no commission. */
    private Mono<Claimed> chargeCard(Deposits.State s, long total) {
        if (s.paymentMethod() == null || s.customer() == null) {
            return Mono.error(DepositRefusal.of(UserErrorCode.INVALID_STATE, "the guest has no card on file for this booking", "input", "bookingId"));
        }
        return accounts.find(s.operatorId()).map(PayoutAccount::stripeAccountId)
                .switchIfEmpty(Mono.error(DepositRefusal.of(UserErrorCode.PAYMENTS_NOT_ENABLED,
                        "the operator has no Stripe account to receive the claim", "input", "bookingId")))
                .flatMap(destination -> intents.create(new PaymentIntents.Charge(total, s.currency(), s.customer(), destination, 0, false,
                        s.paymentMethod(), "Deposit claim for booking " + s.bookingId(),
                        Map.of("booking_id", s.bookingId().toString(), "purpose", "claim", "attempt", "1"),
                        IdempotencyKeys.of("booking", s.bookingId(), "deposit-claim-charge", 1))))
                .map(state -> new Claimed(state.succeeded() ? Deposit.ClaimStatus.PAID : Deposit.ClaimStatus.FAILED, state.id(),
                        state.latestCharge() != null ? state.latestCharge() : state.id(), state, null, 0));
    }

    /** A collected deposit: the claimed part is transferred to the operator out of the deposit's charge, the rest refunded. */
    private Mono<Claimed> fromCollected(Deposits.State s, long total) {
        return accounts.find(s.operatorId()).map(PayoutAccount::stripeAccountId)
                .switchIfEmpty(Mono.error(DepositRefusal.of(UserErrorCode.PAYMENTS_NOT_ENABLED,
                        "the operator has no Stripe account to receive the claim", "input", "bookingId")))
                .flatMap(destination -> transfers.create(total, s.currency(), destination, s.chargeId(),
                        Map.of("booking_id", s.bookingId().toString(), "purpose", "deposit_claim"),
                        IdempotencyKeys.of("booking", s.bookingId(), "deposit-claim", 1)))
                .flatMap(transfer -> {
                    long rest = s.amount() - total;
                    if (rest == 0) {
                        return Mono.just(new Claimed(Deposit.ClaimStatus.PAID, transfer.id(), transfer.id(), null, null, 0));
                    }
                    return refunds.refund(s.intentId(), rest, false, Map.of("booking_id", s.bookingId().toString(), "purpose", "deposit_claim_rest"),
                                    IdempotencyKeys.of("booking", s.bookingId(), "deposit-claim-refund", 1))
                            .map(refund -> new Claimed(Deposit.ClaimStatus.PAID, transfer.id(), transfer.id(), null, refund.id(), refund.amount()));
                });
    }

    private Mono<Void> store(Caller caller, Deposits.State s, List<Deposit.Item> items, String note, long total, Claimed claimed) {
        Instant now = clock.instant();
        String currency = s.currency();
        boolean paid = claimed.status() == Deposit.ClaimStatus.PAID;
        IntentState intent = claimed.intent();
        Mono<Void> claim = deposits.insertClaim(s.bookingId(), s.operatorId(), items, note, claimed.status(),
                intent == null ? null : intent.failureCode(), intent == null ? null : intent.failureMessage(), claimed.stripeObjectId(),
                claimed.refundId(), caller.userId());
        Mono<Boolean> moved = deposits.move(s, Deposit.Status.CLAIMED,
                List.of(Deposit.Status.ON_FILE, Deposit.Status.PENDING, Deposit.Status.FAILED, Deposit.Status.HELD));
        Mono<Void> payment = intent == null ? Mono.empty()
                : payments.insert(new Payment(Ids.newId(), s.operatorId(), s.bookingId(), intent.id(), Payment.Purpose.CLAIM, 1, 1, total, currency, 0,
                intent.status(), intent.latestCharge(), intent.failureCode(), intent.failureMessage(), now, now));
        Mono<Void> entries = !paid ? Mono.empty()
                : ledger.append(s.operatorId(), s.bookingId(), LedgerEntry.Kind.DEPOSIT_CLAIM, Money.of(total, currency), claimed.ledgerObjectId(), now,
                        "deposit claim: " + note.lines().findFirst().orElse(""))
                .then(intent != null ? Mono.empty()
                        // The claimed part leaves the held deposit (it became the operator's): holds less releases stay what is held.
                        : ledger.append(s.operatorId(), s.bookingId(), LedgerEntry.Kind.DEPOSIT_RELEASE, Money.of(-total, currency), claimed.ledgerObjectId(),
                        now, "held deposit paid to the operator for the claim"))
                .then(claimed.refundId() == null ? Mono.empty()
                        : ledger.append(s.operatorId(), s.bookingId(), LedgerEntry.Kind.DEPOSIT_RELEASE, Money.of(-claimed.refunded(), currency),
                        claimed.refundId(), now, "rest of the deposit refunded after the claim"))
                .then();
        Money sum = Money.of(total, currency);
        String line = paid
                ? "deposit claim of " + sum.decimal() + " " + currency + " filed by staff and paid"
                + (claimed.refundId() == null ? "" : "; " + Money.of(claimed.refunded(), currency).decimal() + " " + currency + " of the deposit refunded")
                : "deposit claim of " + sum.decimal() + " " + currency + " filed by staff, but the card on file was declined ("
                + intent.failureCode() + ")";
        return claim.then(moved).then(payment).then(entries).then(bookings.note(s.bookingId(), line));
    }

    /** Stripe down, slow or not set up: nothing was stored, the same claim can be sent again. */
    static DepositRefusal providerRefusal(PaymentProviderException e) {
        return switch (e.kind()) {
            case NOT_CONFIGURED -> DepositRefusal.of(UserErrorCode.PAYMENT_PROVIDER_UNAVAILABLE, "Payments are not set up on this server yet", "input");
            case UNAVAILABLE -> DepositRefusal.of(UserErrorCode.PAYMENT_PROVIDER_UNAVAILABLE,
                    "Stripe did not answer in time; no claim was stored, send it again", "input");
            // The claim's Stripe key is per booking: a different claim sent within Stripe's 24 hours of a failed attempt.
            case IDEMPOTENCY_CONFLICT -> DepositRefusal.of(UserErrorCode.INVALID_STATE,
                    "an earlier attempt of a different claim for this booking is still known to Stripe: send the same items as then, or try again tomorrow",
                    "input", "items");
            case REFUSED -> throw e;
        };
    }

    // ---- units ----

    Mono<Void> setMode(UUID unitId, Deposit.Mode mode) {
        return deposits.setMode(unitId, mode);
    }

    Mono<Map<UUID, Deposit>> ofBookings(List<UUID> bookingIds) {
        return deposits.ofBookings(bookingIds, settings.releaseDays());
    }
}
