package io.nomadstays.payments;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the payments module ({@code nomad.payments.*}). Secrets come only from
 * configuration (environment variables in production) and never appear in {@link #toString()}.
 *
 * @param requireChargesEnabled whether units of an operator whose Stripe account cannot take charges
 *                              refuse bookings (PAYMENTS_NOT_ENABLED); true in production, off in the demo
 * @param defaultCommissionBps  the platform's commission for new operators in basis points (1000 = 10%)
 * @param stripe                how Stripe is reached
 */
@ConfigurationProperties("nomad.payments")
public record PaymentsProperties(@DefaultValue("true") boolean requireChargesEnabled,
                                 @DefaultValue("1000") int defaultCommissionBps,
                                 @DefaultValue Stripe stripe) {

    public PaymentsProperties {
        if (defaultCommissionBps < 0 || defaultCommissionBps > 10_000) {
            throw new IllegalArgumentException("nomad.payments.default-commission-bps must be 0-10000, not " + defaultCommissionBps);
        }
    }

    /**
     * @param secretKey            the platform's secret API key (sk_live_... or sk_test_...); empty: payments disabled
     * @param webhookSecret        signing secret (whsec_...) of the endpoint for the platform's own events
     * @param connectWebhookSecret signing secret of the endpoint for events of connected accounts (account.updated);
     *                             Stripe gives each endpoint its own secret, both may point at /webhooks/stripe
     * @param apiBase              where the Stripe API is; tests point it at WireMock
     * @param connectTimeout       to connect to Stripe
     * @param readTimeout          for Stripe's answer
     * @param maxNetworkRetries    retries of stripe-java itself (connection errors, 409, 5xx), each with the same
     *                             idempotency key; 0-3
     * @param webhookTolerance     how old a signed webhook may be (replay protection)
     */
    public record Stripe(String secretKey, String webhookSecret, String connectWebhookSecret,
                         @DefaultValue("https://api.stripe.com") String apiBase,
                         @DefaultValue("10s") Duration connectTimeout,
                         @DefaultValue("30s") Duration readTimeout,
                         @DefaultValue("1") int maxNetworkRetries,
                         @DefaultValue("300s") Duration webhookTolerance) {

        public Stripe {
            if (maxNetworkRetries < 0 || maxNetworkRetries > 3) {
                throw new IllegalArgumentException("nomad.payments.stripe.max-network-retries must be 0-3, not " + maxNetworkRetries);
            }
        }

        public boolean configured() {
            return secretKey != null && !secretKey.isBlank();
        }

        @Override
        public String toString() {
            return "Stripe[secretKey=" + mask(secretKey) + ", webhookSecret=" + mask(webhookSecret)
                    + ", connectWebhookSecret=" + mask(connectWebhookSecret) + ", apiBase=" + apiBase
                    + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                    + ", maxNetworkRetries=" + maxNetworkRetries + ", webhookTolerance=" + webhookTolerance + "]";
        }

        private static String mask(String secret) {
            return secret == null || secret.isBlank() ? "(unset)" : "(set)";
        }
    }
}
