package io.nomadstays.booking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The refund table of docs/bookings.md, edge by edge: a total of 100.00 for a 10-night (or 90-night) stay. */
class CancellationPolicyTests {

    @ParameterizedTest(name = "{0} with {1} days notice refunds {3} ({2} bps)")
    @CsvSource({
            "FLEXIBLE, 30, 10000, 10000",
            "FLEXIBLE, 1, 10000, 10000",
            "FLEXIBLE, 0, 0, 0",
            "FLEXIBLE, -3, 0, 0",
            "MODERATE, 5, 10000, 10000",
            "MODERATE, 4, 5000, 5000",
            "MODERATE, 1, 5000, 5000",
            "MODERATE, 0, 0, 0",
            "STRICT, 14, 10000, 10000",
            "STRICT, 13, 5000, 5000",
            "STRICT, 7, 5000, 5000",
            "STRICT, 6, 0, 0",
            "LONG_STAY, 30, 10000, 10000",
    })
    void shortStays(CancellationPolicy policy, long notice, int bps, long amount) {
        var refund = policy.refund(10_000, 10, notice);
        assertThat(refund.bps()).isEqualTo(bps);
        assertThat(refund.amount()).isEqualTo(amount);
    }

    @ParameterizedTest(name = "LONG_STAY, {0} nights, {1} days notice: {2}")
    @CsvSource({
            "90, 29, 6667",   // all but the first 30 of 90 nights
            "90, 0, 6667",
            "30, 10, 0",      // the first month is the whole stay
            "20, 29, 0",
            "90, 30, 10000",
    })
    void longStays(int nights, long notice, long amount) {
        assertThat(CancellationPolicy.LONG_STAY.refund(10_000, nights, notice).amount()).isEqualTo(amount);
    }
}
