package io.nomadstays.calendarsync;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** calendar_feed rows. Callers check who may see what; this class only reads and writes. */
@Component
class CalendarFeeds {

    private static final String COLUMNS = """
            id, operator_id, unit_id, url, name, created_at, last_attempt_at, last_success_at, events_imported,
            events_skipped, conflicts, last_warning, last_error""";
    private static final int MAX_MESSAGE = 2000;

    private final DatabaseClient db;

    CalendarFeeds(DatabaseClient db) {
        this.db = db;
    }

    Mono<CalendarFeed> find(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM calendar_feed WHERE id = :id").bind("id", id).map(CalendarFeeds::map).one();
    }

    /** Locks the feed for an import or removal in the caller's transaction, so two never interleave. */
    Mono<CalendarFeed> lock(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM calendar_feed WHERE id = :id FOR UPDATE").bind("id", id).map(CalendarFeeds::map).one();
    }

    Flux<CalendarFeed> ofUnit(UUID unitId) {
        return db.sql("SELECT " + COLUMNS + " FROM calendar_feed WHERE unit_id = :unit ORDER BY created_at, id")
                .bind("unit", unitId).map(CalendarFeeds::map).all();
    }

    /** Every feed, the longest unvisited first, so a run cut short does not starve the same ones each time. */
    Flux<UUID> allByLastAttempt() {
        return db.sql("SELECT id FROM calendar_feed ORDER BY last_attempt_at NULLS FIRST, id")
                .map(row -> row.get("id", UUID.class)).all();
    }

    Mono<Long> countOfUnit(UUID unitId) {
        return db.sql("SELECT count(*) AS n FROM calendar_feed WHERE unit_id = :unit").bind("unit", unitId)
                .map(row -> row.get("n", Long.class)).one();
    }

    Mono<Boolean> exists(UUID unitId, String url) {
        return db.sql("SELECT 1 FROM calendar_feed WHERE unit_id = :unit AND url = :url").bind("unit", unitId).bind("url", url)
                .map(row -> true).one().defaultIfEmpty(false);
    }

    Mono<Void> insert(UUID id, UUID operatorId, UUID unitId, String url, String name, UUID createdBy) {
        return db.sql("""
                        INSERT INTO calendar_feed (id, operator_id, unit_id, url, name, created_by)
                        VALUES (:id, :operator, :unit, :url, :name, :by)""")
                .bind("id", id).bind("operator", operatorId).bind("unit", unitId).bind("url", url).bind("name", name)
                .bind("by", createdBy)
                .then();
    }

    Mono<Void> delete(UUID id) {
        return db.sql("DELETE FROM calendar_feed WHERE id = :id").bind("id", id).then();
    }

    /** The health after a successful import, in the import's transaction. */
    Mono<Void> recordSuccess(UUID id, Instant at, int imported, int skipped, int conflicts, String warning) {
        return db.sql("""
                        UPDATE calendar_feed SET last_attempt_at = :at, last_success_at = :at, events_imported = :imported,
                               events_skipped = :skipped, conflicts = :conflicts, last_warning = :warning, last_error = NULL
                         WHERE id = :id""")
                .bind("id", id).bind("at", at).bind("imported", imported).bind("skipped", skipped).bind("conflicts", conflicts)
                .bind("warning", Parameter.fromOrEmpty(warning == null ? null : clip(warning), String.class))
                .then();
    }

    /** A failed attempt: only the attempt and the error change; blocks and the last success stay. */
    Mono<Void> recordFailure(UUID id, Instant at, String error) {
        return db.sql("UPDATE calendar_feed SET last_attempt_at = :at, last_error = :error WHERE id = :id")
                .bind("id", id).bind("at", at).bind("error", clip(error))
                .then();
    }

    /** Imported blocks of the feed that cover a date already booked here. */
    Mono<Integer> conflicts(UUID id) {
        return db.sql("""
                        SELECT count(*) AS n FROM unit_block b
                         WHERE b.feed_id = :id
                           AND EXISTS (SELECT 1 FROM unit_calendar c WHERE c.unit_id = b.unit_id AND c.day >= b.start_date
                                          AND c.day < b.end_date AND c.booked > 0)""")
                .bind("id", id).map(row -> row.get("n", Long.class).intValue()).one();
    }

    private static String clip(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    }

    private static CalendarFeed map(Readable row) {
        return new CalendarFeed(row.get("id", UUID.class), row.get("operator_id", UUID.class), row.get("unit_id", UUID.class),
                row.get("url", String.class), row.get("name", String.class), row.get("created_at", Instant.class),
                row.get("last_attempt_at", Instant.class), row.get("last_success_at", Instant.class),
                row.get("events_imported", Integer.class), row.get("events_skipped", Integer.class),
                row.get("conflicts", Integer.class), row.get("last_warning", String.class), row.get("last_error", String.class));
    }
}
