package io.nomadstays.billing;

import io.nomadstays.booking.Booking;
import io.nomadstays.booking.BookingService;
import io.nomadstays.booking.BookingStatus;
import io.nomadstays.ledger.Ledger;
import io.nomadstays.ledger.LedgerEntry;
import io.nomadstays.payments.IdempotencyKeys;
import io.nomadstays.payments.PaymentIntents;
import io.nomadstays.payments.PaymentIntents.IntentState;
import io.nomadstays.payments.StripeWebhooks.VerifiedEvent;
import io.nomadstays.payouts.StripeEventHandler;
import io.nomadstays.shared.Money;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * {@code payment_intent.*} events. The event only says "look at this intent": it is read again from
 * Stripe and our payment converges on Stripe's current state, so repeated, late and reordered events
 * all end the same way. The reconciliation job calls {@link #converge} for intents whose webhook
 * never came. What a state means depends on the payment's purpose:
 * <ul>
 *   <li>FIRST_PAYMENT succeeded: the charge and the commission go to the ledger, the card is kept
 *       for off-session charges, the held booking is confirmed. If the booking can no longer be
 *       confirmed (its hold expired, it was cancelled), the payment is refunded in full.</li>
 *   <li>A decline or a bank asking for authentication: the payment shows the failure and the
 *       booking's history says so; the booking stays held until its hold expires.</li>
 *   <li>Not paid and the booking is no longer held (expired, cancelled): the intent is cancelled at
 *       Stripe, so nothing can be paid for dates that are no longer kept.</li>
 *   <li>RENT: the month is paid or past due ({@link Rent#converge}); the first payment of a long
 *       stay schedules its following months.</li>
 * </ul>
 */
@Component
class PaymentEvents implements StripeEventHandler {

    private static final Logger log = LoggerFactory.getLogger(PaymentEvents.class);

    private final Payments payments;
    private final PaymentIntents intents;
    private final WholeRefunds wholeRefunds;
    private final BookingService bookings;
    private final Ledger ledger;
    private final TransactionalOperator tx;
    private final Rent rent;
    private final RentInstalments instalments;
    private final Clock clock = Clock.systemUTC();

    PaymentEvents(Payments payments, PaymentIntents intents, WholeRefunds wholeRefunds, BookingService bookings, Ledger ledger,
                  TransactionalOperator tx, Rent rent, RentInstalments instalments) {
        this.rent = rent;
        this.instalments = instalments;
        this.payments = payments;
        this.intents = intents;
        this.wholeRefunds = wholeRefunds;
        this.bookings = bookings;
        this.ledger = ledger;
        this.tx = tx;
    }

    @Override
    public boolean handles(String type) {
        return type.startsWith("payment_intent.");
    }

    @Override
    public Mono<Outcome> handle(VerifiedEvent event, Recorder recorder) {
        if (!"payment_intent".equals(event.objectType()) || event.objectId() == null) {
            return recorder.record(Outcome.IGNORED, Mono.empty());
        }
        return payments.findByIntent(event.objectId())
                .flatMap(payment -> intents.retrieve(payment.intentId())
                        .flatMap(state -> converge(payment, state, effect -> recorder.record(Outcome.HANDLED, effect))))
                .switchIfEmpty(Mono.defer(() -> recorder.record(Outcome.IGNORED, Mono.empty())));
    }

    /** Reads the intent again and applies it in its own transaction (the reconciliation job). */
    Mono<Void> reconcile(Payment payment) {
        return intents.retrieve(payment.intentId())
                .flatMap(state -> converge(payment, state, effect -> effect.as(tx::transactional)).then());
    }

    /**
     * Moves our payment (and its booking) to the intent's current state. Stripe calls an outcome
     * needs (a refund) happen first; {@code commit} runs the database effect in one transaction.
     */
    <T> Mono<T> converge(Payment payment, IntentState state, Function<Mono<Void>, Mono<T>> commit) {
        if (payment.purpose() == Payment.Purpose.RENT) {
            return rent.converge(payment, state, commit);
        }
        Mono<Void> update = payments.update(payment, state);
        if (payment.purpose() != Payment.Purpose.FIRST_PAYMENT) {
            return commit.apply(update);
        }
        return bookings.findForPayment(payment.bookingId()).flatMap(booking -> {
            if (state.succeeded()) {
                return firstPaymentSucceeded(payment, state, booking, update, commit);
            }
            boolean unpayable = booking.status() != BookingStatus.HELD || booking.holdExpiresAt() == null
                    || !booking.holdExpiresAt().isAfter(clock.instant());
            if (unpayable && !state.status().equals("CANCELED") && !state.status().equals("PROCESSING")) {
                // The hold ran out or the booking ended: close the intent so the nomad cannot pay for dates no longer held.
                return intents.cancel(state.id(), IdempotencyKeys.of("booking", booking.uuid(), "cancel-first-payment", payment.attempt()))
                        .flatMap(closed -> closed.succeeded() ? firstPaymentSucceeded(payment, closed, booking, payments.update(payment, closed), commit)
                                : commit.apply(payments.update(payment, closed)));
            }
            boolean newFailure = state.failureCode() != null && !state.failureCode().equals(payment.failureCode());
            Mono<Void> note = newFailure && booking.status() == BookingStatus.HELD
                    ? bookings.note(booking.uuid(), "payment failed (" + state.failureCode() + "): " + state.failureMessage()
                    + "; the dates stay held until " + booking.holdExpiresAt())
                    : Mono.empty();
            return commit.apply(update.then(note));
        });
    }

    private <T> Mono<T> firstPaymentSucceeded(Payment payment, IntentState state, Booking booking, Mono<Void> update,
                                              Function<Mono<Void>, Mono<T>> commit) {
        String charge = state.latestCharge() != null ? state.latestCharge() : state.id();
        Instant now = clock.instant();
        Mono<Void> record = ledger.append(booking.operatorId(), booking.uuid(), LedgerEntry.Kind.CHARGE, Money.of(state.amount(), payment.currency()),
                        charge, now, "first payment")
                .then(payment.applicationFee() == 0 ? Mono.empty() : ledger.append(booking.operatorId(), booking.uuid(), LedgerEntry.Kind.APPLICATION_FEE,
                        Money.of(-payment.applicationFee(), payment.currency()), charge, now, "platform commission"))
                .then(payments.saveCard(booking.uuid(), state.paymentMethod()));
        boolean confirmable = switch (booking.status()) {
            case CONFIRMED, CHECKED_IN, COMPLETED -> true;
            case HELD -> booking.holdExpiresAt() != null && booking.holdExpiresAt().isAfter(now);
            default -> false;
        };
        if (confirmable) {
            Mono<Void> confirm = booking.status() == BookingStatus.HELD ? bookings.confirmPaid(booking.uuid()).then() : Mono.empty();
            // A stay longer than a month: its following months are scheduled with the payment that starts it.
            return commit.apply(update.then(record).then(confirm).then(instalments.schedule(booking)));
        }
        // Paid too late (the hold expired) or for a booking cancelled meanwhile: nothing was sold, everything goes back.
        log.info("booking {} is {}: refunding its first payment {} in full", booking.uuid(), booking.status(), state.id());
        return wholeRefunds.refund(payment, state, "booking_not_confirmed", "refund-unconfirmed")
                .flatMap(refund -> commit.apply(update.then(record)
                        .then(wholeRefunds.record(payment, refund, now, "paid after the booking was " + booking.status() + ": refunded in full",
                                "payment arrived after the booking was " + booking.status() + ": refunded in full"))));
    }
}
