package io.nomadstays.billing;

import graphql.GraphQLContext;
import io.nomadstays.booking.Booking;
import io.nomadstays.booking.BookingService;
import io.nomadstays.booking.PaymentGateway.PaymentAction;
import io.nomadstays.graphql.GlobalId;
import io.nomadstays.graphql.UserError;
import io.nomadstays.graphql.UserErrorCode;
import io.nomadstays.graphql.Validator;
import io.nomadstays.identity.Caller;
import io.nomadstays.payments.PaymentProviderException;
import io.nomadstays.shared.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** {@code Booking.rent}, {@code Booking.pastDue} and {@code payRent}. */
@Controller
class RentController {

    /** A month of rent as the guest and the operator's staff see it. */
    record RentMonth(int sequence, LocalDate from, LocalDate to, LocalDate dueOn, Money amount, RentInstalment.Status status, int attempts,
                     Instant nextAttemptAt, Instant paidAt, String failureCode, String failureMessage) {
    }

    /** The GraphQL BookingPayload: the booking and the payment to finish in the browser. */
    record RentPayload(Booking booking, PaymentAction payment, List<UserError> userErrors) {
        static RentPayload errors(UserErrorCode code, String message, String... path) {
            return new RentPayload(null, null, List.of(UserError.of(code, message, path)));
        }
    }

    record BookingIdInput(String bookingId) {
    }

    private final RentInstalments instalments;
    private final Rent rent;
    private final BookingService bookings;

    RentController(RentInstalments instalments, Rent rent, BookingService bookings) {
        this.instalments = instalments;
        this.rent = rent;
        this.bookings = bookings;
    }

    @BatchMapping(typeName = "Booking", field = "rent")
    Mono<Map<Booking, List<RentMonth>>> rent(List<Booking> list, GraphQLContext context) {
        Caller caller = context.getOrDefault(Caller.CONTEXT_KEY, Caller.ANONYMOUS);
        return rows(list, caller).map(byBooking -> list.stream().collect(Collectors.toMap(b -> b, b -> byBooking.getOrDefault(b.uuid(), List.<RentInstalment>of())
                .stream().map(i -> new RentMonth(i.sequence(), i.from(), i.to(), i.dueOn(), i.money(), i.status(), i.attempts(), i.nextAttemptAt(),
                        i.paidAt(), i.failureCode(), i.failureMessage())).toList(), (a, c) -> a)));
    }

    @BatchMapping(typeName = "Booking", field = "pastDue")
    Mono<Map<Booking, Boolean>> pastDue(List<Booking> list, GraphQLContext context) {
        Caller caller = context.getOrDefault(Caller.CONTEXT_KEY, Caller.ANONYMOUS);
        return rows(list, caller).map(byBooking -> list.stream().collect(Collectors.toMap(b -> b, b -> byBooking.getOrDefault(b.uuid(), List.<RentInstalment>of())
                .stream().anyMatch(i -> i.status() == RentInstalment.Status.PAST_DUE), (a, c) -> a)));
    }

    private Mono<Map<UUID, List<RentInstalment>>> rows(List<Booking> list, Caller caller) {
        List<UUID> visible = list.stream().filter(b -> allowed(b, caller)).map(Booking::uuid).distinct().toList();
        return visible.isEmpty() ? Mono.just(Map.of()) : instalments.ofBookings(visible);
    }

    private static boolean allowed(Booking b, Caller caller) {
        return caller.authenticated() && (b.guestId().equals(caller.userId()) || caller.isStaffOf(b.operatorId()) || caller.platformAdmin());
    }

    @MutationMapping
    Mono<RentPayload> payRent(@Argument BookingIdInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        if (!caller.authenticated()) {
            return Mono.just(RentPayload.errors(UserErrorCode.UNAUTHENTICATED, "Sign in first", "input"));
        }
        var v = new Validator();
        UUID id = v.id(input.bookingId(), GlobalId.Type.BOOKING, "input", "bookingId");
        if (v.hasErrors()) {
            return Mono.just(new RentPayload(null, null, v.errors()));
        }
        return bookings.findForPayment(id).filter(b -> allowed(b, caller))
                .flatMap(booking -> {
                    if (!booking.guestId().equals(caller.userId())) {
                        return Mono.just(RentPayload.errors(UserErrorCode.FORBIDDEN, "Only the guest pays the rent", "input", "bookingId"));
                    }
                    return instalments.oldestPastDue(booking.uuid())
                            .flatMap(month -> rent.pay(booking, month).map(action -> new RentPayload(booking, action, List.of())))
                            .switchIfEmpty(Mono.fromSupplier(() -> RentPayload.errors(UserErrorCode.INVALID_STATE,
                                    "no rent of this booking is past due", "input", "bookingId")));
                })
                .switchIfEmpty(Mono.fromSupplier(() -> RentPayload.errors(UserErrorCode.NOT_FOUND, "No booking with this ID", "input", "bookingId")))
                .onErrorResume(PaymentProviderException.class, e -> switch (e.kind()) {
                    // Our keys come from our ids: a refusal or a key conflict is a bug, not something the nomad can fix.
                    case REFUSED, IDEMPOTENCY_CONFLICT -> Mono.error(e);
                    case NOT_CONFIGURED -> Mono.just(RentPayload.errors(UserErrorCode.PAYMENT_PROVIDER_UNAVAILABLE,
                            "Payments are not set up on this server yet", "input"));
                    case UNAVAILABLE -> Mono.just(RentPayload.errors(UserErrorCode.PAYMENT_PROVIDER_UNAVAILABLE,
                            "the payment could not be started (Stripe did not answer in time); nothing was charged, try again", "input"));
                });
    }
}
