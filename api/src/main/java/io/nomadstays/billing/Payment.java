package io.nomadstays.billing;

import io.nomadstays.shared.Money;
import java.time.Instant;
import java.util.UUID;

/** A Stripe payment intent of a booking, as we last saw it. {@code status} is Stripe's, upper case. */
public record Payment(UUID uuid, UUID operatorId, UUID bookingId, String intentId, Purpose purpose, int sequence, int attempt,
                      long amount, String currency, long applicationFee, String status, String chargeId, String failureCode,
                      String failureMessage, Instant createdAt, Instant updatedAt) {

    public enum Purpose { FIRST_PAYMENT, DEPOSIT, RENT, CLAIM }

    public Money money() {
        return Money.of(amount, currency);
    }

    public boolean open() {
        return !status.equals("SUCCEEDED") && !status.equals("CANCELED");
    }
}
