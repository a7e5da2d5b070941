package io.nomadstays.billing;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param jobInterval how often the rent job charges what is due (one instance at a time, by lease)
 * @param retryAfter  after the n-th failed charge of a month, the next automatic one waits the n-th
 *                    delay (Stripe's classic retry schedule: 3, 5 and 7 days); after the last, only
 *                    the nomad paying with payRent settles it
 */
@ConfigurationProperties("nomad.payments.rent")
record RentProperties(@DefaultValue("1h") Duration jobInterval, @DefaultValue({"3d", "5d", "7d"}) List<Duration> retryAfter) {
}
