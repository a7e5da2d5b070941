package io.nomadstays.booking;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * What a cancellation before check-in gives back, by the notice given: whole days between the
 * cancellation (in the property's time zone) and check-in. The first tier whose minimum the
 * notice reaches applies. The refund covers the rent and fees of the booking's total; the deposit
 * is never kept on cancellation. An operator who cancels refunds everything, whatever the policy.
 *
 * <pre>
 * FLEXIBLE   1+ days: 100%   less: 0%
 * MODERATE   5+ days: 100%   1-4 days: 50%   less: 0%
 * STRICT     14+ days: 100%  7-13 days: 50%  less: 0%
 * LONG_STAY  30+ days: 100%  less: everything except the first month (or the first 30 nights)
 * </pre>
 */
public enum CancellationPolicy {
    FLEXIBLE(List.of(new Tier(1, 10_000), new Tier(0, 0))),
    MODERATE(List.of(new Tier(5, 10_000), new Tier(1, 5_000), new Tier(0, 0))),
    STRICT(List.of(new Tier(14, 10_000), new Tier(7, 5_000), new Tier(0, 0))),
    LONG_STAY(List.of(new Tier(30, 10_000)));

    /** At least {@code minNoticeDays} of notice refunds {@code refundBps} basis points (10000 = 100%). */
    public record Tier(int minNoticeDays, int refundBps) {
    }

    /** What is owed back: the amount and the share of the total it is. */
    public record Refund(long amount, int bps) {
    }

    private final List<Tier> tiers;

    CancellationPolicy(List<Tier> tiers) {
        this.tiers = tiers;
    }

    public List<Tier> tiers() {
        return tiers;
    }

    /**
     * @param total        what the booking costs (rent, discount and fees), minor units
     * @param nights       the stay's length
     * @param noticeDays   days from today (property zone) to check-in; negative after check-in
     */
    public Refund refund(long total, int nights, long noticeDays) {
        for (Tier tier : tiers) {
            if (noticeDays >= tier.minNoticeDays()) {
                return new Refund(share(total, tier.refundBps()), tier.refundBps());
            }
        }
        if (this == LONG_STAY) {
            // The first 30 nights are kept; the rest of the stay is refunded pro rata.
            if (nights <= 30) {
                return new Refund(0, 0);
            }
            int bps = (int) ((nights - 30) * 10_000L / nights);
            long amount = BigDecimal.valueOf(total).multiply(BigDecimal.valueOf(nights - 30))
                    .divide(BigDecimal.valueOf(nights), 0, RoundingMode.HALF_UP).longValueExact();
            return new Refund(amount, bps);
        }
        return new Refund(0, 0);
    }

    private static long share(long total, int bps) {
        return BigDecimal.valueOf(total).multiply(BigDecimal.valueOf(bps))
                .divide(BigDecimal.valueOf(10_000), 0, RoundingMode.HALF_UP).longValueExact();
    }
}
