package io.nomadstays.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * No double booking, under real concurrency through the HTTP API, checked afterwards in SQL; and
 * the database refusing to oversell even when the application is bypassed.
 */
class BookingConcurrencyIntegrationTests extends IntegrationTest {

    /** Nights where bookings holding dates sum to more than the capacity, or disagree with unit_calendar. */
    static final String OVERSOLD = """
            WITH nights AS (
                SELECT b.unit_id, d::date AS day, sum(b.quantity) AS taken
                  FROM booking b, generate_series(b.check_in, b.occupied_until - 1, interval '1 day') AS d
                 WHERE b.status IN ('REQUESTED', 'HELD', 'CONFIRMED', 'CHECKED_IN', 'COMPLETED')
                 GROUP BY b.unit_id, d::date)
            SELECT count(*) AS n
              FROM nights n JOIN unit u ON u.id = n.unit_id
              LEFT JOIN unit_calendar c ON c.unit_id = n.unit_id AND c.day = n.day
             WHERE n.taken > u.capacity OR c.booked IS DISTINCT FROM n.taken""";

    @SuppressWarnings("unchecked")
    private Map<String, Object> book(String subject, String unitId, LocalDate in, LocalDate out, int guests) {
        Map<String, Object> input = new HashMap<>(Map.of("unitId", unitId, "checkIn", in.toString(), "checkOut", out.toString(), "guests", guests));
        Map<String, Object> response = post(subject, "mutation($input: CreateBookingInput!) { createBooking(input: $input) { booking { id } "
                + "userErrors { field code message } } }", Map.of("input", input));
        assertThat(response).doesNotContainKey("errors");
        return (Map<String, Object>) ((Map<String, Object>) response.get("data")).get("createBooking");
    }

    private static <T> List<T> all(int threads, List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(calls)) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fiftyNomadsRaceForTheLastFreeBedAndExactlyOneGetsIt() throws Exception {
        var operator = fixtures.operator("bali-beds");
        var property = fixtures.property(operator, "Bali Beds");
        var dorm = fixtures.unit(operator, property, "8-bed dorm", true, "BED", 8, 4, "NIGHT");
        LocalDate in = LocalDate.now(ZoneId.of("Asia/Makassar")).plusDays(20);
        LocalDate out = in.plusDays(5);
        // Seven beds are taken, in two bookings.
        assertThat((List<?>) book("test:early-1", dorm.id(), in, out, 4).get("userErrors")).isEmpty();
        assertThat((List<?>) book("test:early-2", dorm.id(), in.minusDays(2), out.plusDays(2), 3).get("userErrors")).isEmpty();

        List<Callable<Map<String, Object>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String subject = "test:racer-" + i;
            calls.add(() -> book(subject, dorm.id(), in.plusDays(1), out.minusDays(1), 1));
        }
        List<Map<String, Object>> results = all(50, calls);

        long won = results.stream().filter(r -> r.get("booking") != null).count();
        List<String> codes = results.stream().filter(r -> r.get("booking") == null)
                .map(r -> (String) ((List<Map<String, Object>>) r.get("userErrors")).get(0).get("code")).toList();
        assertThat(won).isEqualTo(1);
        assertThat(codes).hasSize(49).containsOnly("UNAVAILABLE");
        assertThat(fixtures.count("booking")).isEqualTo(3);
        assertThat(db.sql("SELECT max(booked) AS m FROM unit_calendar").map(r -> r.get("m", Integer.class)).one().block()).isEqualTo(8);
        assertThat(db.sql(OVERSOLD).map(r -> r.get("n", Long.class)).one().block()).isZero();
    }

    @Test
    void randomOverlappingBookingsOverManyUnitsNeverOversellANight() throws Exception {
        var operator = fixtures.operator("lisbon-stays");
        var property = fixtures.property(operator, "Lisbon Stays");
        List<Fixtures.Ref> units = new ArrayList<>();
        List<Integer> capacities = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int capacity = i % 4 == 0 ? 3 : 1;
            units.add(fixtures.unit(operator, property, "Unit " + i, true, capacity == 1 ? "PRIVATE_ROOM" : "BED", capacity, 2, "NIGHT"));
            capacities.add(capacity);
        }
        db.sql("UPDATE unit SET preparation_days = 1 WHERE name LIKE 'Unit 1%'").then().block();
        LocalDate start = LocalDate.now(ZoneId.of("Asia/Makassar")).plusDays(3);
        Random random = new Random(20261128);
        List<Callable<Map<String, Object>>> calls = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int u = random.nextInt(units.size());
            LocalDate in = start.plusDays(random.nextInt(30));
            LocalDate out = in.plusDays(1 + random.nextInt(6));
            int guests = capacities.get(u) > 1 ? 1 + random.nextInt(2) : 1;
            String subject = "test:guest-" + (i % 40);
            String unitId = units.get(u).id();
            calls.add(() -> book(subject, unitId, in, out, guests));
        }
        List<Map<String, Object>> results = all(16, calls);
        long won = results.stream().filter(r -> r.get("booking") != null).count();
        List<Object> otherErrors = results.stream().filter(r -> r.get("booking") == null)
                .map(r -> ((List<Map<String, Object>>) r.get("userErrors")).get(0).get("code"))
                .filter(code -> !"UNAVAILABLE".equals(code)).map(Object.class::cast).toList();
        assertThat(otherErrors).isEmpty();
        assertThat(won).isBetween(20L, 299L);
        assertThat(fixtures.count("booking")).isEqualTo(won);
        assertThat(db.sql(OVERSOLD).map(r -> r.get("n", Long.class)).one().block()).isZero();

        // Cancel some while others book again: still exact.
        List<Map<String, Object>> bookings = db.sql("SELECT b.id, u.subject FROM booking b JOIN app_user u ON u.id = b.guest_id ORDER BY b.id LIMIT 30")
                .map(r -> Map.<String, Object>of("id", io.nomadstays.graphql.GlobalId.encode(io.nomadstays.graphql.GlobalId.Type.BOOKING,
                        r.get("id", java.util.UUID.class)), "subject", r.get("subject", String.class)))
                .all().collectList().block();
        List<Callable<Map<String, Object>>> more = new ArrayList<>();
        for (var b : bookings) {
            more.add(() -> post((String) b.get("subject"), "mutation($id: ID!) { cancelBooking(input: {bookingId: $id}) { userErrors { code } } }",
                    Map.of("id", b.get("id"))));
        }
        for (int i = 0; i < 100; i++) {
            int u = random.nextInt(units.size());
            LocalDate in = start.plusDays(random.nextInt(30));
            LocalDate out = in.plusDays(1 + random.nextInt(6));
            String unitId = units.get(u).id();
            String subject = "test:late-" + i;
            more.add(() -> book(subject, unitId, in, out, 1));
        }
        java.util.Collections.shuffle(more, random);
        all(16, more);
        assertThat(db.sql("SELECT count(*) AS n FROM booking WHERE status = 'CANCELLED_BY_GUEST'").map(r -> r.get("n", Long.class)).one().block())
                .isEqualTo(30);
        assertThat(db.sql(OVERSOLD).map(r -> r.get("n", Long.class)).one().block()).isZero();
    }

    /** Slots held by hourly bookings beyond capacity, or slot rows that disagree with the bookings holding them. */
    static final String OVERSOLD_SLOTS = """
            WITH slots AS (
                SELECT b.unit_id, s AS slot, sum(b.quantity) AS taken
                  FROM booking b, generate_series(b.starts_at, b.ends_at - interval '15 minutes', interval '15 minutes') AS s
                 WHERE b.status IN ('REQUESTED', 'HELD', 'CONFIRMED', 'CHECKED_IN', 'COMPLETED') AND b.starts_at IS NOT NULL
                 GROUP BY b.unit_id, s)
            SELECT count(*) AS n
              FROM slots s JOIN unit u ON u.id = s.unit_id
              LEFT JOIN unit_slot c ON c.unit_id = s.unit_id AND c.slot_start = s.slot
             WHERE s.taken > u.capacity OR c.booked IS DISTINCT FROM s.taken""";

    @Test
    void overlappingMeetingsRacingForTheSameRoomNeverShareASlot() throws Exception {
        var operator = fixtures.operator("meet-hub");
        var property = fixtures.property(operator, "Meet Hub");
        var rooms = List.of(fixtures.unit(operator, property, "Room A", true, "MEETING_ROOM", 1, 8, "HOUR"),
                fixtures.unit(operator, property, "Room B", true, "MEETING_ROOM", 1, 8, "HOUR"));
        db.sql("UPDATE unit_pricing SET hourly_rate = 1500, nightly_rate = NULL, monthly_rate = NULL").then().block();
        java.time.ZonedDateTime nine = LocalDate.now(ZoneId.of("Asia/Makassar")).plusDays(4).atTime(9, 0).atZone(ZoneId.of("Asia/Makassar"));
        Random random = new Random(11);
        List<Callable<Map<String, Object>>> calls = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            var room = rooms.get(random.nextInt(rooms.size()));
            var start = nine.plusMinutes(15L * random.nextInt(32));
            var end = start.plusMinutes(60 + 15L * random.nextInt(8));
            String subject = "test:meeter-" + i;
            calls.add(() -> {
                Map<String, Object> input = Map.of("unitId", room.id(), "startsAt", start.toInstant().toString(), "endsAt", end.toInstant().toString());
                Map<String, Object> response = post(subject, "mutation($input: CreateBookingInput!) { createBooking(input: $input) { booking { id } "
                        + "userErrors { field code message } } }", Map.of("input", input));
                return (Map<String, Object>) ((Map<String, Object>) response.get("data")).get("createBooking");
            });
        }
        List<Map<String, Object>> results = all(16, calls);
        long won = results.stream().filter(r -> r.get("booking") != null).count();
        assertThat(results.stream().filter(r -> r.get("booking") == null)
                .map(r -> ((List<Map<String, Object>>) r.get("userErrors")).get(0).get("code")).distinct().toList())
                .containsOnly("UNAVAILABLE");
        assertThat(won).isBetween(2L, 59L);
        assertThat(db.sql(OVERSOLD_SLOTS).map(r -> r.get("n", Long.class)).one().block()).isZero();
        assertThat(db.sql("SELECT max(booked) AS m FROM unit_slot").map(r -> r.get("m", Integer.class)).one().block()).isEqualTo(1);
    }

    @Test
    void theDatabaseRefusesOversellingAndBookingBlockedDatesWhateverTheCodeDoes() {
        var operator = fixtures.operator("guarded");
        var property = fixtures.property(operator, "Guarded");
        var room = fixtures.unit(operator, property, "Room", true);
        LocalDate day = LocalDate.now().plusDays(10);
        db.sql("INSERT INTO unit_calendar (unit_id, day, operator_id, capacity, booked) VALUES (:u, :d, :o, 1, 1)")
                .bind("u", room.uuid()).bind("d", day).bind("o", operator.uuid()).then().block();
        assertThatThrownBy(() -> db.sql("UPDATE unit_calendar SET booked = booked + 1").then().block())
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("unit_calendar_not_oversold");
        db.sql("UPDATE unit_calendar SET booked = 0, blocks = 1").then().block();
        assertThatThrownBy(() -> db.sql("UPDATE unit_calendar SET booked = 1").then().block())
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("blocked");
        assertThatThrownBy(() -> db.sql("INSERT INTO unit_calendar (unit_id, day, operator_id, capacity, booked, blocks) VALUES (:u, :d, :o, 1, 1, 1)")
                .bind("u", room.uuid()).bind("d", day.plusDays(1)).bind("o", operator.uuid()).then().block())
                .isInstanceOf(DataIntegrityViolationException.class);
        // Another tenant's id cannot be written into a calendar row of this unit.
        var rival = fixtures.operator("rival");
        assertThatThrownBy(() -> db.sql("INSERT INTO unit_calendar (unit_id, day, operator_id, capacity) VALUES (:u, :d, :o, 1)")
                .bind("u", room.uuid()).bind("d", day.plusDays(2)).bind("o", rival.uuid()).then().block())
                .isInstanceOf(DataIntegrityViolationException.class);
    }
}
