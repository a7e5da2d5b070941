package io.nomadstays.booking;

import io.nomadstays.outbox.Outbox;
import io.nomadstays.shared.Ids;
import io.nomadstays.unit.Unit;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Blocks on a unit's calendar. Each block adds one to {@code blocks} of every date it covers, so
 * overlapping blocks (staff and an imported feed, say) close a date until the last one goes.
 * The methods that write must run in the caller's transaction; every change tells search.
 */
@Component
public class Availability {

    private static final String COLUMNS = "id, operator_id, unit_id, start_date, end_date, source, feed_id, note, created_at";

    private final DatabaseClient db;
    private final BookingCalendar calendar;
    private final Outbox outbox;

    Availability(DatabaseClient db, BookingCalendar calendar, Outbox outbox) {
        this.db = db;
        this.calendar = calendar;
        this.outbox = outbox;
    }

    /** Adds a block; {@code feedId} and {@code externalUid} are set for blocks imported from a calendar feed. */
    public Mono<CalendarBlock> block(Unit unit, LocalDate from, LocalDate to, String note, UUID createdBy, UUID feedId, String externalUid) {
        UUID id = Ids.newId();
        return db.sql("""
                        INSERT INTO unit_block (id, operator_id, unit_id, start_date, end_date, source, feed_id, external_uid, note, created_by)
                        VALUES (:id, :operator, :unit, :from, :to, :source, :feed, :uid, :note, :by)""")
                .bind("id", id).bind("operator", unit.operatorId()).bind("unit", unit.uuid()).bind("from", from).bind("to", to)
                .bind("source", feedId == null ? "OPERATOR" : "FEED").bind("feed", Bookings.nullable(feedId, UUID.class))
                .bind("uid", Bookings.nullable(externalUid, String.class)).bind("note", note == null ? "" : note)
                .bind("by", Bookings.nullable(createdBy, UUID.class))
                .then()
                .then(calendar.block(unit.operatorId(), unit.uuid(), unit.capacity(), from, to, 1))
                .then(outbox.record(unit.operatorId(), Outbox.UNIT, unit.uuid(), "DatesBlocked"))
                .then(find(id));
    }

    /** Removes a block and gives its dates back (unless other blocks or bookings keep them). */
    public Mono<CalendarBlock> unblock(CalendarBlock block) {
        return db.sql("DELETE FROM unit_block WHERE id = :id").bind("id", block.uuid()).fetch().rowsUpdated()
                .flatMap(deleted -> deleted == 0 ? Mono.<CalendarBlock>empty()
                        : calendar.block(block.operatorId(), block.unitId(), 1, block.startDate(), block.endDate(), -1)
                                .then(outbox.record(block.operatorId(), Outbox.UNIT, block.unitId(), "DatesUnblocked"))
                                .thenReturn(block));
    }

    public Mono<CalendarBlock> find(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM unit_block WHERE id = :id").bind("id", id).map(Availability::map).one();
    }

    /** Blocks of a unit that end after {@code from}, by start date. */
    public Flux<CalendarBlock> blocks(UUID unitId, LocalDate from, int limit) {
        return db.sql("SELECT " + COLUMNS + " FROM unit_block WHERE unit_id = :unit AND end_date > :from ORDER BY start_date, id LIMIT :limit")
                .bind("unit", unitId).bind("from", from).bind("limit", limit).map(Availability::map).all();
    }

    /** Blocks imported by one feed, with the UID of the event each came from. */
    public Flux<FeedBlock> feedBlocks(UUID feedId) {
        return db.sql("SELECT " + COLUMNS + ", external_uid FROM unit_block WHERE feed_id = :feed ORDER BY start_date")
                .bind("feed", feedId).map(row -> new FeedBlock(map(row), row.get("external_uid", String.class))).all();
    }

    public record FeedBlock(CalendarBlock block, String externalUid) {
    }

    Flux<BookingCalendar.Slot> slots(Unit unit, Instant from, Instant to) {
        return calendar.slots(unit.uuid(), unit.capacity(), from, to);
    }

    Flux<BookingCalendar.Day> days(Unit unit, LocalDate from, LocalDate to) {
        return calendar.days(unit.uuid(), unit.capacity(), from, to);
    }

    private static CalendarBlock map(Readable row) {
        return new CalendarBlock(row.get("id", UUID.class), row.get("operator_id", UUID.class), row.get("unit_id", UUID.class),
                row.get("start_date", LocalDate.class), row.get("end_date", LocalDate.class),
                CalendarBlock.Source.valueOf(row.get("source", String.class)), row.get("feed_id", UUID.class),
                row.get("note", String.class), row.get("created_at", Instant.class));
    }
}
