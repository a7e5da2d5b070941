package io.nomadstays.booking;

import java.util.EnumSet;
import java.util.Set;

/**
 * The booking state machine (docs/bookings.md has the diagram). {@link #canBecome} is the only
 * place that says which transitions exist; every state change goes through it and through a
 * guarded UPDATE ({@code WHERE status = from}), so two concurrent changes cannot both win.
 */
public enum BookingStatus {
    REQUESTED, HELD, CONFIRMED, CHECKED_IN, COMPLETED, CANCELLED_BY_GUEST, CANCELLED_BY_OPERATOR, DECLINED, EXPIRED;

    public Set<BookingStatus> next() {
        return switch (this) {
            case REQUESTED -> EnumSet.of(HELD, DECLINED, EXPIRED, CANCELLED_BY_GUEST);
            case HELD -> EnumSet.of(CONFIRMED, EXPIRED, CANCELLED_BY_GUEST, CANCELLED_BY_OPERATOR);
            case CONFIRMED -> EnumSet.of(CHECKED_IN, CANCELLED_BY_GUEST, CANCELLED_BY_OPERATOR);
            case CHECKED_IN -> EnumSet.of(COMPLETED);
            case COMPLETED, CANCELLED_BY_GUEST, CANCELLED_BY_OPERATOR, DECLINED, EXPIRED -> EnumSet.noneOf(BookingStatus.class);
        };
    }

    public boolean canBecome(BookingStatus target) {
        return next().contains(target);
    }

    /** Whether a booking in this state occupies its calendar nights. */
    public boolean holdsInventory() {
        return switch (this) {
            case REQUESTED, HELD, CONFIRMED, CHECKED_IN, COMPLETED -> true;
            case CANCELLED_BY_GUEST, CANCELLED_BY_OPERATOR, DECLINED, EXPIRED -> false;
        };
    }

    public boolean isFinal() {
        return next().isEmpty();
    }
}
