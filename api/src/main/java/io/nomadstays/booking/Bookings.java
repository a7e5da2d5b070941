package io.nomadstays.booking;

import io.nomadstays.graphql.Connection;
import io.nomadstays.graphql.PageRequest;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Bookings and their history in PostgreSQL. Callers check who may see what; this class only reads and writes. */
@Component
class Bookings {

    private static final String COLUMNS = """
            b.id, b.operator_id, b.unit_id, b.property_id, b.guest_id, b.status, b.mode, b.check_in, b.check_out,
            b.occupied_until, b.guests, b.quantity, b.currency, b.total, b.deposit, b.quote::text AS quote,
            b.pricing::text AS pricing, b.cancellation_policy, b.questions, b.answers, b.hold_expires_at,
            b.request_expires_at, b.decline_reason, b.cancel_reason, b.refund_amount, b.refund_bps, b.created_at,
            b.updated_at, b.confirmed_at, b.cancelled_at, b.starts_at, b.ends_at, b.assigned_unit_id""";

    /** A booking event as both sides see it. */
    record Event(BookingStatus fromStatus, BookingStatus toStatus, String actor, String note, Instant at) {
    }

    /** Filters of an operator's booking list. */
    record Filter(List<BookingStatus> statuses, UUID unitId, LocalDate checkInFrom, LocalDate checkInTo) {
    }

    private final DatabaseClient db;

    Bookings(DatabaseClient db) {
        this.db = db;
    }

    Mono<Booking> findById(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM booking b WHERE b.id = :id").bind("id", id).map(Bookings::map).one();
    }

    /** Locks the row for a state change in the caller's transaction. */
    Mono<Booking> lock(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM booking b WHERE b.id = :id FOR UPDATE").bind("id", id).map(Bookings::map).one();
    }

    Mono<Booking> findByIdempotencyKey(UUID guestId, String key) {
        return db.sql("SELECT " + COLUMNS + " FROM booking b WHERE b.guest_id = :guest AND b.idempotency_key = :key")
                .bind("guest", guestId).bind("key", key).map(Bookings::map).one();
    }

    Flux<Booking> findAllById(Collection<UUID> ids) {
        return db.sql("SELECT " + COLUMNS + " FROM booking b WHERE b.id = ANY(:ids)")
                .bind("ids", ids.toArray(UUID[]::new)).map(Bookings::map).all();
    }

    Mono<Void> insert(Booking b, String idempotencyKey) {
        return db.sql("""
                        INSERT INTO booking (id, operator_id, unit_id, property_id, guest_id, status, mode, check_in, check_out,
                                             occupied_until, guests, quantity, currency, total, deposit, quote, pricing,
                                             cancellation_policy, questions, answers, hold_expires_at, request_expires_at,
                                             idempotency_key, created_at, updated_at, starts_at, ends_at, deposit_mode)
                        VALUES (:id, :operator, :unit, :property, :guest, :status, :mode, :checkIn, :checkOut, :occupiedUntil,
                                :guests, :quantity, :currency, :total, :deposit, CAST(:quote AS jsonb), CAST(:pricing AS jsonb),
                                :policy, :questions, :answers, :holdExpiresAt, :requestExpiresAt, :key, :now, :now, :startsAt, :endsAt,
                                -- The unit's deposit mode as it is now: a later change of the unit never rewrites this booking.
                                (SELECT deposit_mode FROM unit WHERE id = :unit))""")
                .bind("id", b.uuid()).bind("operator", b.operatorId()).bind("unit", b.unitId()).bind("property", b.propertyId())
                .bind("guest", b.guestId()).bind("status", b.status().name()).bind("mode", b.mode().name())
                .bind("checkIn", b.checkIn()).bind("checkOut", b.checkOut()).bind("occupiedUntil", b.occupiedUntil())
                .bind("guests", b.guests()).bind("quantity", b.quantity()).bind("currency", b.currency())
                .bind("total", b.total()).bind("deposit", b.deposit())
                .bind("quote", BookingJson.write(b.quote())).bind("pricing", BookingJson.write(b.pricing()))
                .bind("policy", b.cancellationPolicy().name())
                .bind("questions", b.questions().toArray(String[]::new)).bind("answers", b.answers().toArray(String[]::new))
                .bind("holdExpiresAt", nullable(b.holdExpiresAt(), Instant.class))
                .bind("requestExpiresAt", nullable(b.requestExpiresAt(), Instant.class))
                .bind("key", nullable(idempotencyKey, String.class))
                .bind("now", b.createdAt())
                .bind("startsAt", nullable(b.startsAt(), Instant.class))
                .bind("endsAt", nullable(b.endsAt(), Instant.class))
                .then();
    }

    /**
     * Moves a booking from {@code from} to {@code to} with the given column changes; false when it
     * is no longer in {@code from} (a concurrent change won).
     */
    Mono<Boolean> transition(UUID id, BookingStatus from, BookingStatus to, Map<String, Object> changes) {
        if (!from.canBecome(to)) {
            return Mono.error(new IllegalStateException(from + " cannot become " + to));
        }
        StringBuilder set = new StringBuilder("status = :to, updated_at = now()");
        changes.keySet().forEach(column -> set.append(", ").append(column).append(" = :").append(column));
        var spec = db.sql("UPDATE booking SET " + set + " WHERE id = :id AND status = :from")
                .bind("id", id).bind("from", from.name()).bind("to", to.name());
        for (var change : changes.entrySet()) {
            spec = change.getValue() instanceof Parameter p ? spec.bind(change.getKey(), p) : spec.bind(change.getKey(), change.getValue());
        }
        return spec.fetch().rowsUpdated().map(n -> n == 1);
    }

    Mono<Void> extend(UUID id, LocalDate checkOut, LocalDate occupiedUntil, long total, String quoteJson) {
        return db.sql("""
                        UPDATE booking SET check_out = :checkOut, occupied_until = :occupied, total = :total,
                                           quote = CAST(:quote AS jsonb), updated_at = now()
                         WHERE id = :id""")
                .bind("id", id).bind("checkOut", checkOut).bind("occupied", occupiedUntil).bind("total", total)
                .bind("quote", quoteJson).then();
    }

    Mono<Void> assign(UUID id, UUID unitId) {
        return db.sql("UPDATE booking SET assigned_unit_id = :unit, updated_at = now() WHERE id = :id")
                .bind("id", id).bind("unit", nullable(unitId, UUID.class)).then();
    }

    Mono<Void> event(Booking b, BookingStatus from, BookingStatus to, String actor, UUID actorId, String note) {
        return db.sql("""
                        INSERT INTO booking_event (booking_id, operator_id, from_status, to_status, actor, actor_id, note)
                        VALUES (:booking, :operator, :from, :to, :actor, :actorId, :note)""")
                .bind("booking", b.uuid()).bind("operator", b.operatorId())
                .bind("from", nullable(from == null ? null : from.name(), String.class)).bind("to", to.name())
                .bind("actor", actor).bind("actorId", nullable(actorId, UUID.class)).bind("note", note == null ? "" : note)
                .then();
    }

    Flux<Event> events(UUID bookingId) {
        return db.sql("SELECT from_status, to_status, actor, note, at FROM booking_event WHERE booking_id = :id ORDER BY id")
                .bind("id", bookingId)
                .map(row -> new Event(status(row.get("from_status", String.class)), BookingStatus.valueOf(row.get("to_status", String.class)),
                        row.get("actor", String.class), row.get("note", String.class), row.get("at", Instant.class)))
                .all();
    }

    /** Held or requested bookings whose time is up, locked for expiry (skipping rows another instance holds). */
    Flux<Booking> lockExpired(UUID unitId, int limit) {
        return db.sql("SELECT " + COLUMNS + """
                         FROM booking b
                        WHERE ((b.status = 'HELD' AND b.hold_expires_at <= now())
                            OR (b.status = 'REQUESTED' AND b.request_expires_at <= now()))
                          AND (CAST(:unit AS uuid) IS NULL OR b.unit_id = :unit)
                        ORDER BY b.created_at LIMIT :limit FOR UPDATE SKIP LOCKED""")
                .bind("unit", nullable(unitId, UUID.class)).bind("limit", limit)
                .map(Bookings::map).all();
    }

    /** Checked-in bookings whose check-out date has passed in the property's time zone. */
    Flux<Booking> lockFinished(int limit) {
        return db.sql("SELECT " + COLUMNS + """
                         FROM booking b JOIN property p ON p.id = b.property_id
                        WHERE b.status = 'CHECKED_IN' AND b.check_out < (now() AT TIME ZONE p.time_zone)::date
                        ORDER BY b.check_out LIMIT :limit FOR UPDATE OF b SKIP LOCKED""")
                .bind("limit", limit).map(Bookings::map).all();
    }

    Mono<Connection<Booking>> pageOfGuest(UUID guestId, List<BookingStatus> statuses, PageRequest page) {
        String where = "b.guest_id = :owner AND (CAST(:statuses AS text[]) IS NULL OR b.status = ANY(:statuses))";
        return page(where, guestId, statuses, null, null, null, page);
    }

    Mono<Connection<Booking>> pageOfOperator(UUID operatorId, Filter f, PageRequest page) {
        String where = """
                b.operator_id = :owner AND (CAST(:statuses AS text[]) IS NULL OR b.status = ANY(:statuses))
                AND (CAST(:unit AS uuid) IS NULL OR b.unit_id = :unit)
                AND (CAST(:from AS date) IS NULL OR b.check_in >= :from)
                AND (CAST(:to AS date) IS NULL OR b.check_in < :to)""";
        return page(where, operatorId, f.statuses(), f.unitId(), f.checkInFrom(), f.checkInTo(), page);
    }

    private Mono<Connection<Booking>> page(String where, UUID owner, List<BookingStatus> statuses, UUID unit, LocalDate from,
                                           LocalDate to, PageRequest page) {
        Parameter statusParam = statuses == null || statuses.isEmpty() ? Parameter.empty(String[].class)
                : Parameter.from(statuses.stream().map(Enum::name).toArray(String[]::new));
        var rows = db.sql("SELECT " + COLUMNS + " FROM booking b WHERE " + where
                        + " AND (CAST(:after AS uuid) IS NULL OR b.id > :after) ORDER BY b.id LIMIT :limit")
                .bind("owner", owner).bind("statuses", statusParam)
                .bind("after", nullable(page.after(), UUID.class)).bind("limit", page.limit());
        var count = db.sql("SELECT count(*) AS n FROM booking b WHERE " + where).bind("owner", owner).bind("statuses", statusParam);
        if (where.contains(":unit")) {
            rows = rows.bind("unit", nullable(unit, UUID.class)).bind("from", nullable(from, LocalDate.class)).bind("to", nullable(to, LocalDate.class));
            count = count.bind("unit", nullable(unit, UUID.class)).bind("from", nullable(from, LocalDate.class)).bind("to", nullable(to, LocalDate.class));
        }
        return Mono.zip(rows.map(Bookings::map).all().collectList(), count.map(row -> row.get("n", Long.class).intValue()).one())
                .map(t -> Connection.of(t.getT1(), page, Booking::uuid, t.getT2()));
    }

    static <T> Parameter nullable(T value, Class<T> type) {
        return value == null ? Parameter.empty(type) : Parameter.from(value);
    }

    private static BookingStatus status(String s) {
        return s == null ? null : BookingStatus.valueOf(s);
    }

    private static Booking map(Readable row) {
        return new Booking(row.get("id", UUID.class), row.get("operator_id", UUID.class), row.get("unit_id", UUID.class),
                row.get("property_id", UUID.class), row.get("guest_id", UUID.class),
                BookingStatus.valueOf(row.get("status", String.class)), Booking.Mode.valueOf(row.get("mode", String.class)),
                row.get("check_in", LocalDate.class), row.get("check_out", LocalDate.class), row.get("occupied_until", LocalDate.class),
                row.get("guests", Integer.class), row.get("quantity", Integer.class), row.get("currency", String.class),
                row.get("total", Long.class), row.get("deposit", Long.class),
                BookingJson.quote(row.get("quote", String.class)), BookingJson.pricing(row.get("pricing", String.class)),
                CancellationPolicy.valueOf(row.get("cancellation_policy", String.class)),
                Arrays.asList(row.get("questions", String[].class)), Arrays.asList(row.get("answers", String[].class)),
                row.get("hold_expires_at", Instant.class), row.get("request_expires_at", Instant.class),
                row.get("decline_reason", String.class), row.get("cancel_reason", String.class),
                row.get("refund_amount", Long.class), row.get("refund_bps", Integer.class),
                row.get("created_at", Instant.class), row.get("updated_at", Instant.class),
                row.get("confirmed_at", Instant.class), row.get("cancelled_at", Instant.class),
                row.get("starts_at", Instant.class), row.get("ends_at", Instant.class), row.get("assigned_unit_id", UUID.class));
    }
}
