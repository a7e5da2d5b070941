package io.nomadstays.ledger;

import graphql.GraphQLContext;
import io.nomadstays.booking.Booking;
import io.nomadstays.graphql.ApiException;
import io.nomadstays.graphql.UserErrorCode;
import io.nomadstays.identity.Caller;
import io.nomadstays.identity.StaffRole;
import io.nomadstays.operator.Operator;
import io.nomadstays.shared.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** {@code Booking.payments} and {@code Operator.balance}. */
@Controller
class LedgerController {

    static final Duration MAX_BALANCE_PERIOD = Duration.ofDays(366);

    private final Ledger ledger;

    LedgerController(Ledger ledger) {
        this.ledger = ledger;
    }

    /**
     * The guest sees what they paid and got back; staff of the booking's operator (and platform
     * admins) also see the commission and payouts. Anyone else gets an empty list.
     */
    @BatchMapping(typeName = "Booking", field = "payments")
    Mono<Map<Booking, List<LedgerEntry>>> payments(List<Booking> bookings, GraphQLContext context) {
        Caller caller = context.getOrDefault(Caller.CONTEXT_KEY, Caller.ANONYMOUS);
        List<Booking> visible = bookings.stream().filter(b -> staffView(b, caller) || guestView(b, caller)).toList();
        Mono<Map<java.util.UUID, List<LedgerEntry>>> rows = visible.isEmpty() ? Mono.just(Map.of())
                : ledger.forBookings(visible.stream().map(Booking::uuid).distinct().toList());
        return rows.map(byBooking -> bookings.stream().collect(Collectors.toMap(b -> b, b -> {
            List<LedgerEntry> entries = byBooking.getOrDefault(b.uuid(), List.of());
            if (staffView(b, caller)) {
                return entries;
            }
            return guestView(b, caller) ? entries.stream().filter(e -> !e.kind().internal()).toList() : List.<LedgerEntry>of();
        }, (a, b) -> a)));
    }

    private static boolean staffView(Booking b, Caller caller) {
        return caller.isStaffOf(b.operatorId()) || caller.platformAdmin();
    }

    private static boolean guestView(Booking b, Caller caller) {
        return caller.authenticated() && b.guestId().equals(caller.userId());
    }

    @SchemaMapping(typeName = "LedgerEntry")
    Money amount(LedgerEntry entry) {
        return entry.money();
    }

    /** Owners and managers: what the operator earned in [from, to), per currency. */
    @SchemaMapping(typeName = "Operator")
    Mono<List<Money>> balance(Operator operator, @Argument Instant from, @Argument Instant to,
                              @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        if (!caller.hasRole(operator.uuid(), StaffRole.MANAGER) && !caller.platformAdmin()) {
            return Mono.error(new ApiException(UserErrorCode.FORBIDDEN, "An operator's balance is for its owners and managers"));
        }
        if (!to.isAfter(from)) {
            return Mono.error(new ApiException(UserErrorCode.OUT_OF_RANGE, "to must be after from"));
        }
        if (Duration.between(from, to).compareTo(MAX_BALANCE_PERIOD) > 0) {
            return Mono.error(new ApiException(UserErrorCode.OUT_OF_RANGE, "a balance period is at most 366 days"));
        }
        return ledger.balance(operator.uuid(), from, to);
    }
}
