package io.nomadstays.billing;

import graphql.GraphQLContext;
import io.nomadstays.booking.Booking;
import io.nomadstays.identity.Caller;
import io.nomadstays.shared.Money;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** {@code Booking.charges}. */
@Controller
class BillingController {

    /** A payment as the caller may see it: the commission only for staff. */
    record BookingCharge(Payment.Purpose purpose, int sequence, Money amount, Money applicationFee, String status, String failureCode,
                         String failureMessage, Instant createdAt, Instant updatedAt) {
    }

    private final Payments payments;

    BillingController(Payments payments) {
        this.payments = payments;
    }

    @BatchMapping(typeName = "Booking", field = "charges")
    Mono<Map<Booking, List<BookingCharge>>> charges(List<Booking> bookings, GraphQLContext context) {
        Caller caller = context.getOrDefault(Caller.CONTEXT_KEY, Caller.ANONYMOUS);
        List<UUID> visible = bookings.stream().filter(b -> staff(b, caller) || guest(b, caller)).map(Booking::uuid).distinct().toList();
        Mono<Map<UUID, List<Payment>>> rows = visible.isEmpty() ? Mono.just(Map.of()) : payments.ofBookings(visible);
        return rows.map(byBooking -> bookings.stream().collect(Collectors.toMap(b -> b, b -> byBooking.getOrDefault(b.uuid(), List.of()).stream()
                .map(p -> new BookingCharge(p.purpose(), p.sequence(), p.money(), staff(b, caller) ? Money.of(p.applicationFee(), p.currency()) : null,
                        p.status(), p.failureCode(), p.failureMessage(), p.createdAt(), p.updatedAt()))
                .toList(), (a, c) -> a)));
    }

    private static boolean staff(Booking b, Caller caller) {
        return caller.isStaffOf(b.operatorId()) || caller.platformAdmin();
    }

    private static boolean guest(Booking b, Caller caller) {
        return caller.authenticated() && b.guestId().equals(caller.userId());
    }
}
