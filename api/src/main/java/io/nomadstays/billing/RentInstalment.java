package io.nomadstays.billing;

import io.nomadstays.shared.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * One month of rent after the first: [{@code from}, {@code to}) of the stay, due on {@code dueOn}
 * (its first day, in the property's zone). {@code attempts} charges were made so far; the last one
 * is {@code intentId}.
 */
public record RentInstalment(UUID uuid, UUID operatorId, UUID bookingId, int sequence, LocalDate from, LocalDate to, LocalDate dueOn,
                             long amount, String currency, Status status, int attempts, Instant nextAttemptAt, String intentId,
                             String failureCode, String failureMessage, Instant paidAt, Instant cancelledAt, Instant createdAt,
                             Instant updatedAt) {

    public enum Status { SCHEDULED, PAID, PAST_DUE, CANCELLED }

    public Money money() {
        return Money.of(amount, currency);
    }

    /** Not paid and not stopped: still owed. */
    public boolean open() {
        return status == Status.SCHEDULED || status == Status.PAST_DUE;
    }
}
