package io.nomadstays.payouts;

import io.nomadstays.payments.StripeWebhooks.VerifiedEvent;
import reactor.core.publisher.Mono;

/**
 * Acts on verified Stripe events of some types. {@link StripeEvents} calls the first handler that
 * {@link #handles} an event's type, after checking the event is new. A handler reads what it needs
 * from Stripe first (outside any transaction), then commits its effect through
 * {@link Recorder#record}, which stores the event's row in the same transaction.
 */
public interface StripeEventHandler {

    enum Outcome { HANDLED, IGNORED, DUPLICATE }

    /** Commits the event's row with {@code effect} in one transaction; DUPLICATE (and no effect) when another delivery won. */
    interface Recorder {
        Mono<Outcome> record(Outcome outcome, Mono<Void> effect);
    }

    boolean handles(String type);

    Mono<Outcome> handle(VerifiedEvent event, Recorder recorder);
}
