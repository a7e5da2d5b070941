package io.nomadstays.payments;

import com.stripe.exception.StripeException;
import java.util.concurrent.Callable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** How every facade calls Stripe: refused without a key, on {@code boundedElastic} (stripe-java blocks), errors in our words. */
final class StripeCalls {

    private StripeCalls() {
    }

    static <T> Mono<T> call(PaymentsProperties.Stripe settings, String what, Callable<T> call) {
        return Mono.fromCallable(() -> {
            if (!settings.configured()) {
                throw new PaymentProviderException(PaymentProviderException.Kind.NOT_CONFIGURED,
                        "Stripe is not configured: set nomad.payments.stripe.secret-key", null);
            }
            try {
                return call.call();
            } catch (StripeException e) {
                throw PaymentProviderException.from(what, e);
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
