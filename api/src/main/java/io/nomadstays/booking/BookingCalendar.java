package io.nomadstays.booking;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The unit_calendar rows: what each date of a unit has sold and whether it is blocked. Every
 * method that changes them must run inside the caller's transaction. Rows are locked in date
 * order ({@code ORDER BY day FOR UPDATE}) by every writer, so two bookings of overlapping dates
 * queue instead of deadlocking; the CHECK {@code booked <= capacity} and the trigger refusing
 * bookings on blocked dates hold even for code that skips these methods.
 */
@Component
public class BookingCalendar {

    /** A date that cannot take {@code quantity} more. */
    public record Conflict(LocalDate day, int free, boolean blocked) {
    }

    /** One date of the month view. */
    public record Day(LocalDate date, int capacity, int booked, boolean blocked) {
        public int free() {
            return blocked ? 0 : Math.max(0, capacity - booked);
        }
    }

    private final DatabaseClient db;

    BookingCalendar(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Takes {@code quantity} of every date in [from, until): creates missing rows, locks them in
     * order, and books them only if all can take it. Returns the first dates that cannot (empty
     * when the inventory was taken).
     */
    Mono<List<Conflict>> take(UUID operatorId, UUID unitId, int capacity, LocalDate from, LocalDate until, int quantity) {
        return ensureRows(operatorId, unitId, capacity, from, until)
                .then(db.sql("""
                                SELECT day, capacity, booked, blocks FROM unit_calendar
                                 WHERE unit_id = :unit AND day >= :from AND day < :until ORDER BY day FOR UPDATE""")
                        .bind("unit", unitId).bind("from", from).bind("until", until)
                        .map(row -> {
                            int cap = row.get("capacity", Integer.class);
                            int booked = row.get("booked", Integer.class);
                            int blocks = row.get("blocks", Integer.class);
                            return new Conflict(row.get("day", LocalDate.class), Math.max(0, cap - booked), blocks > 0);
                        })
                        .all()
                        .filter(day -> day.blocked() || day.free() < quantity)
                        .take(5)
                        .collectList())
                .flatMap(conflicts -> {
                    if (!conflicts.isEmpty()) {
                        return Mono.just(conflicts);
                    }
                    return db.sql("UPDATE unit_calendar SET booked = booked + :q WHERE unit_id = :unit AND day >= :from AND day < :until")
                            .bind("q", quantity).bind("unit", unitId).bind("from", from).bind("until", until)
                            .fetch().rowsUpdated()
                            .thenReturn(List.<Conflict>of());
                });
    }

    /**
     * Takes {@code quantity} of every 15-minute slot in [from, until) of an hourly unit, unless a
     * block closes one of the local days it touches. The day rows are locked FOR SHARE, so a
     * concurrent blockDates (which updates them) waits for this booking or this booking for it.
     * Returns the first slots (as their day, free places and whether blocked) that cannot.
     */
    Mono<List<Conflict>> takeSlots(UUID operatorId, UUID unitId, int capacity, Instant from, Instant until, LocalDate firstDay,
                                   LocalDate afterLastDay, int quantity) {
        Mono<List<Conflict>> blockedDays = ensureRows(operatorId, unitId, capacity, firstDay, afterLastDay)
                .then(db.sql("""
                                SELECT day FROM unit_calendar WHERE unit_id = :unit AND day >= :from AND day < :until AND blocks > 0
                                 ORDER BY day FOR SHARE""")
                        .bind("unit", unitId).bind("from", firstDay).bind("until", afterLastDay)
                        .map(row -> new Conflict(row.get("day", LocalDate.class), 0, true)).all().collectList());
        return blockedDays.flatMap(blocked -> {
            if (!blocked.isEmpty()) {
                return Mono.just(blocked);
            }
            return db.sql("""
                            INSERT INTO unit_slot (unit_id, slot_start, operator_id, capacity)
                            SELECT :unit, s, :operator, :capacity
                              FROM generate_series(CAST(:from AS timestamptz), CAST(:until AS timestamptz) - interval '15 minutes',
                                                   interval '15 minutes') AS s
                            ORDER BY 2
                            ON CONFLICT (unit_id, slot_start) DO NOTHING""")
                    .bind("unit", unitId).bind("operator", operatorId).bind("capacity", capacity)
                    .bind("from", from.atOffset(ZoneOffset.UTC)).bind("until", until.atOffset(ZoneOffset.UTC))
                    .fetch().rowsUpdated()
                    .then(db.sql("""
                                    SELECT slot_start, capacity, booked, blocks FROM unit_slot
                                     WHERE unit_id = :unit AND slot_start >= :from AND slot_start < :until ORDER BY slot_start FOR UPDATE""")
                            .bind("unit", unitId).bind("from", from.atOffset(ZoneOffset.UTC)).bind("until", until.atOffset(ZoneOffset.UTC))
                            .map(row -> new SlotState(row.get("slot_start", OffsetDateTime.class).toInstant(),
                                    Math.max(0, row.get("capacity", Integer.class) - row.get("booked", Integer.class)),
                                    row.get("blocks", Integer.class) > 0))
                            .all()
                            .filter(slot -> slot.blocked() || slot.free() < quantity)
                            .take(5)
                            .collectList())
                    .flatMap(taken -> {
                        if (!taken.isEmpty()) {
                            return Mono.just(taken.stream().map(t -> new Conflict(t.start().atZone(ZoneOffset.UTC).toLocalDate(), t.free(), t.blocked()))
                                    .toList());
                        }
                        return db.sql("UPDATE unit_slot SET booked = booked + :q WHERE unit_id = :unit AND slot_start >= :from AND slot_start < :until")
                                .bind("q", quantity).bind("unit", unitId)
                                .bind("from", from.atOffset(ZoneOffset.UTC)).bind("until", until.atOffset(ZoneOffset.UTC))
                                .fetch().rowsUpdated().thenReturn(List.<Conflict>of());
                    });
        });
    }

    private record SlotState(Instant start, int free, boolean blocked) {
    }

    Mono<Void> releaseSlots(UUID unitId, Instant from, Instant until, int quantity) {
        return db.sql("""
                        UPDATE unit_slot SET booked = booked - :q
                         WHERE (unit_id, slot_start) IN (SELECT unit_id, slot_start FROM unit_slot
                                                          WHERE unit_id = :unit AND slot_start >= :from AND slot_start < :until
                                                          ORDER BY slot_start FOR UPDATE)""")
                .bind("q", quantity).bind("unit", unitId).bind("from", from.atOffset(ZoneOffset.UTC)).bind("until", until.atOffset(ZoneOffset.UTC))
                .fetch().rowsUpdated().then();
    }

    /** The free places of each 15-minute slot in [from, until). */
    Flux<Slot> slots(UUID unitId, int capacity, Instant from, Instant until) {
        return db.sql("SELECT slot_start, capacity, booked, blocks FROM unit_slot WHERE unit_id = :unit AND slot_start >= :from AND slot_start < :until ORDER BY slot_start")
                .bind("unit", unitId).bind("from", from.atOffset(ZoneOffset.UTC)).bind("until", until.atOffset(ZoneOffset.UTC))
                .map(row -> new Slot(row.get("slot_start", OffsetDateTime.class).toInstant(),
                        row.get("blocks", Integer.class) > 0 ? 0 : Math.max(0, row.get("capacity", Integer.class) - row.get("booked", Integer.class))))
                .all()
                .collectMap(Slot::startsAt)
                .flatMapMany(stored -> {
                    List<Slot> all = new ArrayList<>();
                    for (Instant t = from; t.isBefore(until); t = t.plusSeconds(900)) {
                        all.add(stored.getOrDefault(t, new Slot(t, capacity)));
                    }
                    return Flux.fromIterable(all);
                });
    }

    /** One 15-minute slot of an hourly unit. */
    public record Slot(Instant startsAt, int free) {
    }

    /** Gives back what {@link #take} took. */
    Mono<Void> release(UUID unitId, LocalDate from, LocalDate until, int quantity) {
        return db.sql("""
                        UPDATE unit_calendar SET booked = booked - :q
                         WHERE (unit_id, day) IN (SELECT unit_id, day FROM unit_calendar
                                                   WHERE unit_id = :unit AND day >= :from AND day < :until ORDER BY day FOR UPDATE)""")
                .bind("q", quantity).bind("unit", unitId).bind("from", from).bind("until", until)
                .fetch().rowsUpdated().then();
    }

    /** Adds ({@code delta} 1) or removes (-1) one block over [from, until). */
    Mono<Void> block(UUID operatorId, UUID unitId, int capacity, LocalDate from, LocalDate until, int delta) {
        Mono<Void> rows = delta > 0 ? ensureRows(operatorId, unitId, capacity, from, until) : Mono.empty();
        return rows.then(db.sql("""
                        UPDATE unit_calendar SET blocks = blocks + :delta
                         WHERE (unit_id, day) IN (SELECT unit_id, day FROM unit_calendar
                                                   WHERE unit_id = :unit AND day >= :from AND day < :until ORDER BY day FOR UPDATE)""")
                .bind("delta", delta).bind("unit", unitId).bind("from", from).bind("until", until)
                .fetch().rowsUpdated().then());
    }

    /** Every date of [from, to) with the unit's capacity, bookings and blocks. */
    Flux<Day> days(UUID unitId, int capacity, LocalDate from, LocalDate to) {
        return db.sql("SELECT day, capacity, booked, blocks FROM unit_calendar WHERE unit_id = :unit AND day >= :from AND day < :to ORDER BY day")
                .bind("unit", unitId).bind("from", from).bind("to", to)
                .map(row -> new Day(row.get("day", LocalDate.class), row.get("capacity", Integer.class),
                        row.get("booked", Integer.class), row.get("blocks", Integer.class) > 0))
                .all()
                .collectList()
                .flatMapMany(stored -> {
                    List<Day> all = new ArrayList<>();
                    int i = 0;
                    for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
                        if (i < stored.size() && stored.get(i).date().equals(d)) {
                            all.add(stored.get(i++));
                        } else {
                            all.add(new Day(d, capacity, 0, false));
                        }
                    }
                    return Flux.fromIterable(all);
                });
    }

    private Mono<Void> ensureRows(UUID operatorId, UUID unitId, int capacity, LocalDate from, LocalDate until) {
        return db.sql("""
                        INSERT INTO unit_calendar (unit_id, day, operator_id, capacity)
                        SELECT :unit, d::date, :operator, :capacity
                          FROM generate_series(CAST(:from AS date), CAST(:until AS date) - 1, interval '1 day') AS d
                        ORDER BY 2
                        ON CONFLICT (unit_id, day) DO NOTHING""")
                .bind("unit", unitId).bind("operator", operatorId).bind("capacity", capacity)
                .bind("from", from).bind("until", until)
                .fetch().rowsUpdated().then();
    }
}
