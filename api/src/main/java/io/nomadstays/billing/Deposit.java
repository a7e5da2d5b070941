package io.nomadstays.billing;

import io.nomadstays.shared.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A booking's deposit as the guest and the operator's staff see it ({@code Booking.depositInfo}).
 *
 * @param releaseOn the day (in the property's time zone) the deposit is released unless a claim was filed before
 */
record Deposit(Mode mode, Money amount, Status status, LocalDate releaseOn, String failureCode, String failureMessage, Claim claim) {

    /** How the unit takes its deposit; copied onto each booking when it is made. */
    enum Mode {
        /** Nothing is charged at booking; a claim charges the card saved by the first payment. The default. */
        CARD_ON_FILE,
        /** Charged after the first payment succeeds, kept by the platform, refunded after check-out less any claim. */
        COLLECTED
    }

    enum Status {
        /** Card on file: nothing charged, the card can be charged for a claim. */
        ON_FILE,
        /** Collected mode: not charged yet (the booking is not paid yet, or the charge is about to run). */
        PENDING,
        /** Collected and held by the platform. */
        HELD,
        /** Collected mode: the card was declined; retried later. */
        FAILED,
        /** Staff filed a claim (see the claim's own status). */
        CLAIMED,
        /** Given back (collected) or no longer claimable (card on file). */
        RELEASED
    }

    record Claim(List<Item> items, Money total, String note, ClaimStatus status, String failureCode, String failureMessage, Instant createdAt) {
    }

    record Item(String description, Money amount) {
    }

    enum ClaimStatus {
        /** The claimed amount went to the operator. */
        PAID,
        /** The card on file was declined: nothing was paid. */
        FAILED
    }

    /** The state of a booking's deposit before any row exists for it. */
    static Status initial(Mode mode) {
        return mode == Mode.COLLECTED ? Status.PENDING : Status.ON_FILE;
    }
}
