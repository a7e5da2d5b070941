package io.nomadstays.booking;

import io.nomadstays.graphql.GlobalId;
import io.nomadstays.shared.Money;
import io.nomadstays.unit.Quote;
import io.nomadstays.unit.UnitPricing;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * A booking as stored. {@code quote} is what it charges (line items in the unit's currency) and
 * {@code pricing} the price list it was made from (an extension keeps those rates). Hourly
 * bookings (meeting rooms) have {@code startsAt}/{@code endsAt} and hold 15-minute slots instead
 * of nights; bookings of a room type may be assigned to one of its rooms ({@code assignedUnitId}).
 */
public record Booking(UUID uuid, UUID operatorId, UUID unitId, UUID propertyId, UUID guestId, BookingStatus status, Mode mode,
                      LocalDate checkIn, LocalDate checkOut, LocalDate occupiedUntil, int guests, int quantity, String currency,
                      long total, long deposit, Quote quote, UnitPricing pricing, CancellationPolicy cancellationPolicy,
                      List<String> questions, List<String> answers, Instant holdExpiresAt, Instant requestExpiresAt,
                      String declineReason, String cancelReason, Long refundAmount, Integer refundBps,
                      Instant createdAt, Instant updatedAt, Instant confirmedAt, Instant cancelledAt, Instant startsAt, Instant endsAt,
                      UUID assignedUnitId) {

    public enum Mode { INSTANT, REQUEST }

    public String id() {
        return GlobalId.encode(GlobalId.Type.BOOKING, uuid);
    }

    public int nights() {
        return hourly() ? 0 : (int) ChronoUnit.DAYS.between(checkIn, checkOut);
    }

    public boolean hourly() {
        return startsAt != null;
    }

    public Money totalMoney() {
        return Money.of(total, currency);
    }

    public Money depositMoney() {
        return Money.of(deposit, currency);
    }

    public Money refund() {
        return refundAmount == null ? null : Money.of(refundAmount, currency);
    }
}
