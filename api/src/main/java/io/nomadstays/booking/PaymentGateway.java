package io.nomadstays.booking;

import io.nomadstays.shared.Money;
import reactor.core.publisher.Mono;

/**
 * What booking needs from payments, so that the booking package does not depend on Stripe: the
 * first payment is started before a held booking is stored (a Stripe failure leaves nothing behind),
 * recorded in the booking's own transaction, and abandoned when the booking could not be stored.
 */
public interface PaymentGateway {

    /** A payment the nomad finishes in the browser with Stripe.js: the intent's client secret and status. */
    record PaymentAction(String paymentIntentId, String status, String clientSecret, Money amount) {
        @Override
        public String toString() {
            return "PaymentAction[" + paymentIntentId + " " + status + " " + amount + "]";
        }
    }

    /** A started first payment, before it is stored. */
    interface Started {
        PaymentAction action();
    }

    /**
     * Starts the first payment of a booking that is not stored yet; stores nothing. Fails with
     * {@link io.nomadstays.payments.PaymentProviderException} when Stripe cannot be reached.
     */
    Mono<Started> start(Booking booking);

    /** Inside the booking's transaction, after the booking row: stores the started payment. */
    Mono<Void> record(Booking booking, Started started);

    /** The booking could not be stored: cancel the intent (best effort; an unconfirmed intent never charges). */
    Mono<Void> abandon(Booking booking, Started started);

    /**
     * The first payment of a held booking, for the nomad to finish: the open intent read again from
     * Stripe (for its client secret), or a new one when there is none yet (an accepted request) or
     * the last one was cancelled.
     */
    Mono<PaymentAction> pay(Booking booking);
}
