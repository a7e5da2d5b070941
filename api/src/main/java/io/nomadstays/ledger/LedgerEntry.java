package io.nomadstays.ledger;

import io.nomadstays.shared.Money;
import java.time.Instant;
import java.util.UUID;

/**
 * One money movement. {@code amount} is signed as it changes what the operator is owed: a CHARGE or
 * RENT credits the operator (+), the platform's APPLICATION_FEE, a REFUND or a DISPUTE debits it (-).
 */
public record LedgerEntry(UUID uuid, UUID operatorId, UUID bookingId, Kind kind, long amount, String currency, String stripeObjectId,
                          Instant occurredAt, Instant recordedAt, String note) {

    public enum Kind {
        CHARGE, APPLICATION_FEE, REFUND, FEE_REFUND, DEPOSIT_HOLD, DEPOSIT_CLAIM, DEPOSIT_RELEASE, RENT, DISPUTE, DISPUTE_WON, PAYOUT;

        /** Deposits held and released, and payouts, move money without changing what the operator earned. */
        public boolean earning() {
            return this != DEPOSIT_HOLD && this != DEPOSIT_RELEASE && this != PAYOUT;
        }

        /** Between the platform and the operator: not shown to the nomad. */
        public boolean internal() {
            return this == APPLICATION_FEE || this == FEE_REFUND || this == PAYOUT;
        }
    }

    public Money money() {
        return Money.of(amount, currency);
    }
}
