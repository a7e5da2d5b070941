package io.nomadstays.calendarsync;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A unit's dates as an iCalendar feed for other listing sites: one all-day event per booking
 * that holds dates and per block staff made. Blocks imported from feeds are left out, or two
 * sites importing each other would keep a cancelled stay blocked for ever. Events carry no
 * guest data: the URL is a secret, but it is handed to third parties.
 */
@Component
class CalendarExport {

    /** What base64url of 32 bytes looks like; anything else is not looked up. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    /** Stays that ended longer ago than this no longer matter to anyone importing the feed. */
    private static final int DAYS_BACK = 366;
    private static final int MAX_EVENTS = 5000;
    private static final String DOMAIN = "@nomadstays.io";

    private final DatabaseClient db;
    private final CalendarSyncProperties settings;
    private final Clock clock = Clock.systemUTC();

    CalendarExport(DatabaseClient db, CalendarSyncProperties settings) {
        this.db = db;
        this.settings = settings;
    }

    /** The export URL of a unit, with its current token. */
    Mono<String> url(UUID unitId) {
        return db.sql("SELECT ical_token FROM unit WHERE id = :id").bind("id", unitId)
                .map(row -> row.get("ical_token", String.class)).one()
                .map(this::url);
    }

    String url(String token) {
        String base = settings.publicBaseUrl().toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/calendars/" + token + ".ics";
    }

    /** A new token: the old URL stops working at once. */
    Mono<String> rotate(UUID unitId) {
        return db.sql("UPDATE unit SET ical_token = DEFAULT WHERE id = :id RETURNING ical_token").bind("id", unitId)
                .map(row -> row.get("ical_token", String.class)).one()
                .map(this::url);
    }

    /** The calendar of the unit whose token this is; empty for an unknown token. */
    Mono<String> calendar(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Mono.empty();
        }
        return db.sql("SELECT id, name FROM unit WHERE ical_token = :token").bind("token", token)
                .map(row -> new UnitRef(row.get("id", UUID.class), row.get("name", String.class))).one()
                .flatMap(this::write);
    }

    private record UnitRef(UUID id, String name) {
    }

    private Mono<String> write(UnitRef unit) {
        Instant now = clock.instant();
        LocalDate since = LocalDate.now(clock).minusDays(DAYS_BACK);
        IcsWriter ics = new IcsWriter()
                .raw("BEGIN", "VCALENDAR")
                .raw("VERSION", "2.0")
                .raw("PRODID", "-//Nomad Stays//Calendar export//EN")
                .raw("CALSCALE", "GREGORIAN")
                .raw("METHOD", "PUBLISH")
                .text("X-WR-CALNAME", "Nomad Stays: " + unit.name());
        // occupied_until, not check_out: the preparation days after a stay cannot be sold elsewhere either.
        var bookings = db.sql("""
                        SELECT id, check_in AS start_date, occupied_until AS end_date FROM booking
                         WHERE unit_id = :unit AND status IN ('REQUESTED', 'HELD', 'CONFIRMED', 'CHECKED_IN', 'COMPLETED')
                           AND occupied_until > :since
                         ORDER BY check_in, id LIMIT :limit""")
                .bind("unit", unit.id()).bind("since", since).bind("limit", MAX_EVENTS)
                .map(row -> new Dates("booking-", "Reserved", row.get("id", UUID.class),
                        row.get("start_date", LocalDate.class), row.get("end_date", LocalDate.class)))
                .all();
        var blocks = db.sql("""
                        SELECT id, start_date, end_date FROM unit_block
                         WHERE unit_id = :unit AND source = 'OPERATOR' AND end_date > :since
                         ORDER BY start_date, id LIMIT :limit""")
                .bind("unit", unit.id()).bind("since", since).bind("limit", MAX_EVENTS)
                .map(row -> new Dates("block-", "Blocked", row.get("id", UUID.class),
                        row.get("start_date", LocalDate.class), row.get("end_date", LocalDate.class)))
                .all();
        return bookings.concatWith(blocks)
                .doOnNext(d -> ics.raw("BEGIN", "VEVENT")
                        .raw("UID", d.prefix() + d.id() + DOMAIN)
                        .stamp("DTSTAMP", now)
                        .date("DTSTART", d.start())
                        .date("DTEND", d.end())
                        .text("SUMMARY", d.summary())
                        .raw("TRANSP", "OPAQUE")
                        .raw("END", "VEVENT"))
                .then(Mono.fromSupplier(() -> ics.raw("END", "VCALENDAR").toString()));
    }

    private record Dates(String prefix, String summary, UUID id, LocalDate start, LocalDate end) {
    }
}
