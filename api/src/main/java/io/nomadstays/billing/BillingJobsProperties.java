package io.nomadstays.billing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The payments jobs ({@code nomad.payments.*}, next to {@link io.nomadstays.payments.PaymentsProperties}).
 *
 * @param payoutDelay       how long after check-in (start of the check-in day in the property's zone) the
 *                          first payment and rent are paid out to the operator: until then a failed move-in is refunded in full
 * @param payoutInterval    how often the payout job ({@link OperatorPayouts}) looks for payments and claims due
 * @param reconcileInterval how often the reconciliation re-reads open payments and stale payout accounts
 * @param reconcileAfter    an open payment is re-read once it has not changed for this long (a nomad may be paying it now)
 * @param accountsStaleAfter a payout account not updated by a webhook for this long is re-read
 */
@ConfigurationProperties("nomad.payments")
record BillingJobsProperties(@DefaultValue("24h") Duration payoutDelay,
                             @DefaultValue("15m") Duration payoutInterval,
                             @DefaultValue("15m") Duration reconcileInterval,
                             @DefaultValue("5m") Duration reconcileAfter,
                             @DefaultValue("24h") Duration accountsStaleAfter) {

    BillingJobsProperties {
        if (payoutDelay.isNegative()) {
            throw new IllegalArgumentException("nomad.payments.payout-delay must not be negative");
        }
        if (payoutInterval.isZero() || payoutInterval.isNegative() || reconcileInterval.isZero() || reconcileInterval.isNegative()) {
            throw new IllegalArgumentException("nomad.payments.payout-interval and reconcile-interval must be positive");
        }
    }
}
