package io.nomadstays.unit;

import io.nomadstays.shared.Money;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A unit's price list: every amount in minor units of {@code currency}. */
public record UnitPricing(UUID unitId, String currency, Long hourly, Long nightly, Long daily, Long weekly, Long monthly,
                          long cleaning, long depositAmount, List<LongStayDiscount> longStayDiscounts, Instant updatedAt) {

    public record LongStayDiscount(int minNights, int percentBps) {
    }

    public Money hourlyRate() {
        return money(hourly);
    }

    public Money nightlyRate() {
        return money(nightly);
    }

    public Money dailyRate() {
        return money(daily);
    }

    public Money weeklyRate() {
        return money(weekly);
    }

    public Money monthlyRate() {
        return money(monthly);
    }

    public Money cleaningFee() {
        return Money.of(cleaning, currency);
    }

    public Money deposit() {
        return Money.of(depositAmount, currency);
    }

    /** Whether the list has a rate a booking of this granularity can be priced with. */
    boolean canPrice(Unit.Granularity granularity) {
        return switch (granularity) {
            case HOUR -> hourly != null;
            case DAY -> daily != null || monthly != null;
            case MONTH -> monthly != null;
            case NIGHT -> nightly != null || monthly != null;
        };
    }

    private Money money(Long amount) {
        return amount == null ? null : Money.of(amount, currency);
    }
}
