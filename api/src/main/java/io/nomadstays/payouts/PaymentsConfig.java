package io.nomadstays.payouts;

import com.stripe.StripeClient;
import io.nomadstays.payments.ConnectedAccounts;
import io.nomadstays.payments.Disputes;
import io.nomadstays.payments.PaymentIntents;
import io.nomadstays.payments.PaymentsProperties;
import io.nomadstays.payments.Payouts;
import io.nomadstays.payments.Refunds;
import io.nomadstays.payments.StripeClients;
import io.nomadstays.payments.StripeWebhooks;
import io.nomadstays.payments.Transfers;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one Stripe instance client of this application and the payments facades built on it. */
@Configuration(proxyBeanMethods = false)
class PaymentsConfig {

    private static final Logger log = LoggerFactory.getLogger(PaymentsConfig.class);

    @Bean
    StripeClient stripeClient(PaymentsProperties properties) {
        // Only whether the secrets are set is logged (PaymentsProperties.Stripe#toString masks them).
        log.info("Stripe: {}", properties.stripe());
        return StripeClients.create(properties.stripe());
    }

    @Bean
    ConnectedAccounts connectedAccounts(StripeClient stripe, PaymentsProperties properties) {
        return new ConnectedAccounts(stripe, properties.stripe());
    }

    @Bean
    PaymentIntents paymentIntents(StripeClient stripe, PaymentsProperties properties) {
        return new PaymentIntents(stripe, properties.stripe());
    }

    @Bean
    Refunds refunds(StripeClient stripe, PaymentsProperties properties) {
        return new Refunds(stripe, properties.stripe());
    }

    @Bean
    Transfers transfers(StripeClient stripe, PaymentsProperties properties) {
        return new Transfers(stripe, properties.stripe());
    }

    @Bean
    Payouts payouts(StripeClient stripe, PaymentsProperties properties) {
        return new Payouts(stripe, properties.stripe());
    }

    @Bean
    Disputes disputes(StripeClient stripe, PaymentsProperties properties) {
        return new Disputes(stripe, properties.stripe());
    }

    @Bean
    StripeWebhooks stripeWebhooks(PaymentsProperties properties) {
        return new StripeWebhooks(properties.stripe(), Clock.systemUTC());
    }
}
