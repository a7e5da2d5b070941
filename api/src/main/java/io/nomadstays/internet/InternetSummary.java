package io.nomadstays.internet;

import java.time.Instant;

/**
 * A property's internet: medians of the tests of the last {@link #WINDOW_DAYS} days. Verified
 * when a probe measured it or at least two different guests did; fast at {@link #FAST_MBPS} Mbps.
 */
public record InternetSummary(double medianDownloadMbps, double medianUploadMbps, Double medianLatencyMs, int testCount,
                              boolean verified, Instant lastMeasuredAt) {

    public static final int WINDOW_DAYS = 90;
    public static final double FAST_MBPS = 50.0;
    public static final int GUESTS_TO_VERIFY = 2;

    public boolean fast() {
        return medianDownloadMbps >= FAST_MBPS;
    }
}
