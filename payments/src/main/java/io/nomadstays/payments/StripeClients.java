package io.nomadstays.payments;

import com.stripe.StripeClient;

/** Builds the one instance client from the settings; never the static {@code Stripe.apiKey}. */
public final class StripeClients {

    private StripeClients() {
    }

    public static StripeClient create(PaymentsProperties.Stripe settings) {
        return StripeClient.builder()
                // A client without a key still builds; the facade refuses to call Stripe without one.
                .setApiKey(settings.configured() ? settings.secretKey() : "sk_unset")
                .setApiBase(settings.apiBase())
                .setConnectBase(settings.apiBase())
                .setFilesBase(settings.apiBase())
                .setConnectTimeout(Math.toIntExact(settings.connectTimeout().toMillis()))
                .setReadTimeout(Math.toIntExact(settings.readTimeout().toMillis()))
                .setMaxNetworkRetries(settings.maxNetworkRetries())
                .build();
    }
}
