package io.nomadstays.billing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Deposits ({@code nomad.payments.deposits.*}).
 *
 * @param releaseDays   days after check-out when a deposit without a claim is released (claims are filed before)
 * @param retryInterval a collected deposit whose card was declined is tried again after this long
 * @param maxAttempts   collection attempts before the job gives up (the booking's history says so)
 * @param jobInterval   how often deposits are collected and released (one instance at a time, by lease)
 */
@ConfigurationProperties("nomad.payments.deposits")
record DepositProperties(@DefaultValue("14") int releaseDays, @DefaultValue("24h") Duration retryInterval,
                         @DefaultValue("3") int maxAttempts, @DefaultValue("1m") Duration jobInterval) {

    DepositProperties {
        if (releaseDays < 1 || releaseDays > 365) {
            throw new IllegalArgumentException("nomad.payments.deposits.release-days must be 1-365, not " + releaseDays);
        }
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("nomad.payments.deposits.max-attempts must be 1-10, not " + maxAttempts);
        }
    }
}
