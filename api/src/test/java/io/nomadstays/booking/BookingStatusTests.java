package io.nomadstays.booking;

import static io.nomadstays.booking.BookingStatus.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every pair of states: the allowed transitions are exactly the documented ones (docs/bookings.md), all others refused. */
class BookingStatusTests {

    private static final Map<BookingStatus, Set<BookingStatus>> DOCUMENTED = Map.of(
            REQUESTED, EnumSet.of(HELD, DECLINED, EXPIRED, CANCELLED_BY_GUEST),
            HELD, EnumSet.of(CONFIRMED, EXPIRED, CANCELLED_BY_GUEST, CANCELLED_BY_OPERATOR),
            CONFIRMED, EnumSet.of(CHECKED_IN, CANCELLED_BY_GUEST, CANCELLED_BY_OPERATOR),
            CHECKED_IN, EnumSet.of(COMPLETED),
            COMPLETED, EnumSet.noneOf(BookingStatus.class),
            CANCELLED_BY_GUEST, EnumSet.noneOf(BookingStatus.class),
            CANCELLED_BY_OPERATOR, EnumSet.noneOf(BookingStatus.class),
            DECLINED, EnumSet.noneOf(BookingStatus.class),
            EXPIRED, EnumSet.noneOf(BookingStatus.class));

    @Test
    void everyTransitionIsAllowedExactlyWhenDocumented() {
        int allowed = 0;
        for (BookingStatus from : BookingStatus.values()) {
            for (BookingStatus to : BookingStatus.values()) {
                boolean documented = DOCUMENTED.get(from).contains(to);
                assertThat(from.canBecome(to)).as(from + " -> " + to).isEqualTo(documented);
                allowed += documented ? 1 : 0;
            }
        }
        assertThat(allowed).isEqualTo(12);
        assertThat(from(REQUESTED).canBecome(REQUESTED)).isFalse();
    }

    private static BookingStatus from(BookingStatus s) {
        return s;
    }

    @Test
    void onlyLiveAndPastStaysHoldInventory() {
        assertThat(EnumSet.allOf(BookingStatus.class).stream().filter(BookingStatus::holdsInventory))
                .containsExactlyInAnyOrder(REQUESTED, HELD, CONFIRMED, CHECKED_IN, COMPLETED);
        assertThat(EnumSet.allOf(BookingStatus.class).stream().filter(BookingStatus::isFinal))
                .containsExactlyInAnyOrder(COMPLETED, CANCELLED_BY_GUEST, CANCELLED_BY_OPERATOR, DECLINED, EXPIRED);
    }

    @Test
    void theDatabaseKnowsEveryState() throws Exception {
        String migration = new String(getClass().getResourceAsStream("/db/migration/V5__availability_and_bookings.sql").readAllBytes());
        for (BookingStatus s : BookingStatus.values()) {
            assertThat(migration).contains("'" + s.name() + "'");
        }
    }
}
