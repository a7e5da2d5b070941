package io.nomadstays.booking;

import java.time.LocalDate;
import reactor.core.publisher.Mono;

/**
 * What booking tells the monthly rent schedule (billing) when a stay changes, so that the booking
 * package does not depend on payments. Each call runs inside the booking's own transaction: the
 * status or dates change and the rent follows, or neither does.
 */
public interface RentPlan {

    /**
     * The stay now ends on {@code end} (an early move-out or check-out): rent not paid yet that falls
     * due on or after it stops. {@code end} null: the stay is cancelled, every month not paid stops.
     * Answers how many months stopped.
     */
    Mono<Integer> endsOn(Booking booking, LocalDate end);

    /** What the months not paid yet that fall due on or after {@code end} amount to (read before {@link #endsOn} stops them). */
    Mono<Long> unpaidFrom(Booking booking, LocalDate end);

    /** The stay was extended ({@code before} is the booking as it was): the months after are rescheduled. */
    Mono<Void> extended(Booking before, Booking after);

    /** No rent (tests of booking alone, or payments not wired). */
    RentPlan NONE = new RentPlan() {
        @Override
        public Mono<Integer> endsOn(Booking booking, LocalDate end) {
            return Mono.just(0);
        }

        @Override
        public Mono<Long> unpaidFrom(Booking booking, LocalDate end) {
            return Mono.just(0L);
        }

        @Override
        public Mono<Void> extended(Booking before, Booking after) {
            return Mono.empty();
        }
    };
}
