package io.nomadstays.booking;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param hold                   how long an instant booking holds its dates waiting for the first payment
 * @param requestTimeout         how long a request-to-book waits for staff before it expires and frees the dates
 * @param acceptedPaymentWindow  how long an accepted request holds its dates waiting for the first payment
 * @param jobInterval            how often expiry and completion run (one instance at a time, by lease)
 */
@ConfigurationProperties("nomad.bookings")
record BookingProperties(@DefaultValue("15m") Duration hold, @DefaultValue("24h") Duration requestTimeout,
                         @DefaultValue("24h") Duration acceptedPaymentWindow, @DefaultValue("5s") Duration jobInterval) {
}
