package io.nomadstays.booking;

import java.util.List;
import java.util.UUID;

/** How a unit is booked: instantly or on request (with questions), its cancellation policy and turnover days. */
public record BookingRules(UUID unitId, Booking.Mode bookingMode, CancellationPolicy cancellationPolicy, int preparationDays,
                           List<String> bookingQuestions) {
}
