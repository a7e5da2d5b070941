package io.nomadstays.billing;

import graphql.GraphQLContext;
import io.nomadstays.booking.Booking;
import io.nomadstays.identity.Caller;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** {@code Booking.refunds}: the guest and the operator's staff. */
@Controller
class RefundController {

    private final BookingRefunds refunds;

    RefundController(BookingRefunds refunds) {
        this.refunds = refunds;
    }

    @BatchMapping(typeName = "Booking", field = "refunds")
    Mono<Map<Booking, List<BookingRefunds.BookingRefund>>> refunds(List<Booking> bookings, GraphQLContext context) {
        Caller caller = context.getOrDefault(Caller.CONTEXT_KEY, Caller.ANONYMOUS);
        List<UUID> visible = bookings.stream().filter(b -> caller.isStaffOf(b.operatorId()) || caller.platformAdmin()
                || (caller.authenticated() && b.guestId().equals(caller.userId()))).map(Booking::uuid).distinct().toList();
        Mono<Map<UUID, List<BookingRefunds.BookingRefund>>> rows = visible.isEmpty() ? Mono.just(Map.of()) : refunds.ofBookings(visible);
        return rows.map(byBooking -> bookings.stream().collect(Collectors.toMap(b -> b, b -> byBooking.getOrDefault(b.uuid(), List.of()),
                (a, c) -> a)));
    }
}
