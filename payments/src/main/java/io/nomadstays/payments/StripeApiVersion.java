package io.nomadstays.payments;

import com.stripe.Stripe;

/** The Stripe API version this build is pinned to, as stripe-java declares it. */
public final class StripeApiVersion {

    public static final String PINNED = Stripe.API_VERSION;

    private StripeApiVersion() {
    }
}
