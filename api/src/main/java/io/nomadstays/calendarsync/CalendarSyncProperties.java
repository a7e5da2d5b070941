package io.nomadstays.calendarsync;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param publicBaseUrl         where this api is reached from outside; export URLs start with it
 * @param importEnabled         whether this instance takes part in the scheduled import
 * @param importInterval        how often every feed is imported (one instance at a time, by lease)
 * @param connectTimeout        to connect to a feed's server
 * @param readTimeout           for the whole answer of one request, body included (a trickling body is cut too)
 * @param maxBodySize           larger feeds are refused; reading stops there
 * @param maxRedirects          redirects followed per fetch
 * @param maxEventsPerFeed      events from today on that one feed may bring; more refuse the import
 * @param maxFeedsPerUnit       feeds staff may add to one unit
 * @param allowPrivateAddresses whether feeds may point at loopback, private and link-local addresses; off in
 *                              production, or any manager could make the server fetch internal URLs
 */
@ConfigurationProperties("nomad.calendar-sync")
record CalendarSyncProperties(@DefaultValue("http://localhost:8080") URI publicBaseUrl,
                              @DefaultValue("true") boolean importEnabled,
                              @DefaultValue("15m") Duration importInterval,
                              @DefaultValue("10s") Duration connectTimeout,
                              @DefaultValue("10s") Duration readTimeout,
                              @DefaultValue("5MB") DataSize maxBodySize,
                              @DefaultValue("3") int maxRedirects,
                              @DefaultValue("2000") int maxEventsPerFeed,
                              @DefaultValue("10") int maxFeedsPerUnit,
                              @DefaultValue("false") boolean allowPrivateAddresses) {

    /** One feed's import may take this long before the scheduled run gives up on it. */
    Duration perFeedTimeout() {
        return connectTimeout.plus(readTimeout).multipliedBy(maxRedirects + 1L).plusSeconds(30);
    }
}
