package io.nomadstays.booking;

import java.time.LocalDate;
import java.util.function.BiFunction;
import reactor.core.publisher.Mono;

/**
 * What cancelling needs from payments, so that the booking package does not depend on Stripe:
 * the refund is made through Stripe before the cancellation is stored (Stripe down: nothing
 * changes), then recorded in the cancellation's own transaction.
 */
public interface CancellationRefunds {

    /** What Stripe gave back, not stored yet. {@code amount} 0 when nothing was paid. */
    interface Refunded {
        long amount();
    }

    /**
     * Gives back up to {@code amount} of the booking's succeeded payments; stores nothing. The same
     * booking and amount always send Stripe the same idempotency keys, so a retry never refunds
     * twice. Fails with {@link io.nomadstays.payments.PaymentProviderException}.
     */
    Mono<Refunded> refund(Booking booking, long amount);

    /**
     * A cancellation: the policy lets the nomad keep {@code owed} of the booking's total, so the
     * operator keeps {@code total - owed}; what was paid beyond that goes back. A long stay has paid
     * only its first months, so this is less than {@code owed} (and nothing when the months paid are
     * what the policy keeps).
     */
    Mono<Refunded> refundCancellation(Booking booking, long owed);

    /**
     * An early move-out, before it is stored: what was paid for the nights given up, {@code [moveOut,
     * check-out)} (each paid instalment pro rata by its nights), and the refund of what {@code owed}
     * (what was paid for them, how many nights) says, made through Stripe out of those instalments,
     * newest first. Stores nothing; the same booking, date and amounts send the same keys. Fails with
     * {@link io.nomadstays.payments.PaymentProviderException}.
     */
    Mono<MoveOut> refundMoveOut(Booking booking, LocalDate moveOut, BiFunction<Long, Integer, CancellationPolicy.Refund> owed);

    /** What an early move-out gives back: {@code paid} for the {@code nights} given up, {@code owed} of it, and what Stripe gave. */
    record MoveOut(long paid, int nights, CancellationPolicy.Refund owed, Refunded refunded) {
    }

    /** Inside the cancellation's transaction: the refunds and their ledger rows (recording twice records once). */
    Mono<Void> record(Booking booking, Refunded refunded);

    /** After a held booking was cancelled: cancel its open payment intents, best effort. */
    Mono<Void> release(Booking booking);
}
