package io.nomadstays.calendarsync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.nomadstays.graphql.GlobalId;
import io.nomadstays.support.Fixtures;
import io.nomadstays.support.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Feeds served by WireMock imported through the API, the calendar rows checked in SQL, bookings
 * refused on imported dates, hostile feeds that change nothing, and the export read back.
 * The read timeout is 5 s here (IntegrationTest).
 */
class CalendarSyncIntegrationTests extends IntegrationTest {

    static final String FEED_FIELDS = "id name url lastAttemptAt lastSuccessAt eventsImported eventsSkipped conflicts lastWarning lastError";
    static final String ADD = "mutation($input: AddCalendarFeedInput!) { addCalendarFeed(input: $input) { feed { " + FEED_FIELDS
            + " } userErrors { field code message } } }";
    static final String SYNC = "mutation($id: ID!) { syncCalendarFeed(input: {feedId: $id}) { feed { " + FEED_FIELDS
            + " } userErrors { field code message } } }";
    static final String REMOVE = "mutation($id: ID!) { removeCalendarFeed(input: {feedId: $id}) { removedFeedId userErrors { field code message } } }";
    static final String BOOK = "mutation($input: CreateBookingInput!) { createBooking(input: $input) { booking { id status } "
            + "userErrors { field code message } } }";
    static final String BLOCK = "mutation($input: BlockDatesInput!) { blockDates(input: $input) { block { id } userErrors { code } } }";
    static final String UNIT = "query($id: ID!) { node(id: $id) { ... on Unit { icalExportUrl calendarFeeds { " + FEED_FIELDS + " } } } }";

    private static final ZoneId BALI = ZoneId.of("Asia/Makassar");
    private static final DateTimeFormatter ICS_DATE = DateTimeFormatter.BASIC_ISO_DATE;
    private static final byte[] FIFTY_MB = fiftyMegabytes();

    static WireMockServer feedServer;

    @Autowired
    CalendarImportJob job;

    private Fixtures.Ref operator;
    private Fixtures.Ref room;
    private String manager;
    private String nomad;
    private LocalDate today;

    @BeforeAll
    static void startFeedServer() {
        feedServer = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        feedServer.start();
    }

    @AfterAll
    static void stopFeedServer() {
        feedServer.stop();
    }

    @BeforeEach
    void listing() {
        feedServer.resetAll();
        operator = fixtures.operator("canggu-coliving");
        Fixtures.Ref property = fixtures.property(operator, "Canggu Coliving");
        room = fixtures.unit(operator, property, "Room 1", true);
        manager = fixtures.staff(operator, "MANAGER");
        nomad = "test:nomad-ana";
        fixtures.user(nomad);
        today = LocalDate.now(BALI);
    }

    // ---- importing ----

    @Test
    void aFeedsEventsBecomeBlocksThatRefuseBookingsAndFollowTheFeed() {
        serve("/airbnb.ics", calendar(event("stay-1@airbnb", today.plusDays(10), today.plusDays(13)),
                event("stay-2@airbnb", today.plusDays(20), today.plusDays(22)),
                cancelled("stay-3@airbnb", today.plusDays(30), today.plusDays(32)),
                event("old@airbnb", today.minusDays(40), today.minusDays(35))));
        Map<String, Object> feed = addFeed(room.id(), "/airbnb.ics", "Airbnb");
        assertThat(feed.get("lastAttemptAt")).as("added, not yet imported").isNull();

        Map<String, Object> synced = sync(manager, (String) feed.get("id"));
        assertThat(synced.get("lastError")).isNull();
        assertThat(synced.get("lastSuccessAt")).isNotNull();
        assertThat(synced.get("eventsImported")).isEqualTo(2);
        assertThat(synced.get("eventsSkipped")).isEqualTo(0);
        assertThat(blockedDays()).containsExactlyElementsOf(days(today.plusDays(10), today.plusDays(13), today.plusDays(20), today.plusDays(22)));
        assertThat(bookingError(today.plusDays(12), today.plusDays(14))).isEqualTo("UNAVAILABLE");
        assertThat(bookingError(today.plusDays(30), today.plusDays(31))).as("the cancelled event blocks nothing").isNull();

        // The same feed again: nothing changes, not even the block rows.
        List<UUID> before = blockIds();
        sync(manager, (String) feed.get("id"));
        assertThat(blockIds()).isEqualTo(before);

        // stay-1 moves, stay-2 goes, stay-4 comes.
        serve("/airbnb.ics", calendar(event("stay-1@airbnb", today.plusDays(11), today.plusDays(15)),
                event("stay-4@airbnb", today.plusDays(40), today.plusDays(41))));
        Map<String, Object> again = sync(manager, (String) feed.get("id"));
        assertThat(again.get("eventsImported")).isEqualTo(2);
        assertThat(blockedDays()).containsExactlyElementsOf(days(today.plusDays(11), today.plusDays(15), today.plusDays(40), today.plusDays(41)));
        assertThat(bookingError(today.plusDays(10), today.plusDays(11))).as("freed by the move").isNull();
        assertThat(bookingError(today.plusDays(20), today.plusDays(22))).as("freed by the removal").isNull();
        assertThat(sql("SELECT count(*) AS n FROM unit_calendar WHERE blocks > 1 OR blocks < 0")).isZero();
    }

    @Test
    void brokenAndHostileFeedsAreReportedAndChangeNoBlock() {
        String good = calendar(event("a@vrbo", today.plusDays(5), today.plusDays(8)), event("b@vrbo", today.plusDays(15), today.plusDays(16)));
        serve("/vrbo.ics", good);
        String feedId = (String) addFeed(room.id(), "/vrbo.ics", "Vrbo").get("id");
        Map<String, Object> ok = sync(manager, feedId);
        assertThat(ok.get("lastError")).isNull();
        List<UUID> blocks = blockIds();
        List<LocalDate> blocked = blockedDays();
        assertThat(blocks).hasSize(2);

        Map<String, String> expectations = new java.util.LinkedHashMap<>();
        feedServer.stubFor(get(urlEqualTo("/vrbo.ics")).willReturn(aResponse().withStatus(500).withBody("oops")));
        expectations.put("a 500", "HTTP 500");
        check(feedId, expectations, blocks, blocked, ok);

        serve("/vrbo.ics", "<html><body>Please sign in</body></html>");
        check(feedId, Map.of("an HTML page", "invalid iCalendar"), blocks, blocked, ok);

        serve("/vrbo.ics", good.substring(0, good.length() / 2));
        check(feedId, Map.of("a cut-off file", "invalid iCalendar"), blocks, blocked, ok);

        feedServer.stubFor(get(urlEqualTo("/vrbo.ics")).willReturn(aResponse().withStatus(200).withBody(good).withFixedDelay(8000)));
        long start = System.nanoTime();
        check(feedId, Map.of("a server slower than the 5 s timeout", "timed out"), blocks, blocked, ok);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the import does not wait for the slow answer").isLessThan(Duration.ofSeconds(8));

        feedServer.stubFor(get(urlEqualTo("/vrbo.ics")).willReturn(aResponse().withStatus(200).withBody(FIFTY_MB)));
        check(feedId, Map.of("50 MB with a Content-Length", "larger than 5 MB"), blocks, blocked, ok);

        // Streamed in chunks without a length: reading stops at the limit, well before the last chunk.
        feedServer.stubFor(get(urlEqualTo("/vrbo.ics")).willReturn(aResponse().withStatus(200).withBody(FIFTY_MB)
                .withChunkedDribbleDelay(50, 1500)));
        check(feedId, Map.of("50 MB streamed", "larger than 5 MB"), blocks, blocked, ok);

        feedServer.stubFor(get(urlEqualTo("/vrbo.ics")).willReturn(aResponse().withStatus(302).withHeader("Location", "/vrbo.ics")));
        check(feedId, Map.of("a redirect loop", "redirects"), blocks, blocked, ok);

        // Events a century out are skipped and reported; what the feed still has stays as it was.
        serve("/vrbo.ics", calendar(event("a@vrbo", today.plusDays(5), today.plusDays(8)), event("b@vrbo", today.plusDays(15), today.plusDays(16)),
                event("century@vrbo", today.plusYears(100), today.plusYears(100).plusDays(7))));
        Map<String, Object> far = sync(manager, feedId);
        assertThat(far.get("lastError")).isNull();
        assertThat(far.get("eventsSkipped")).isEqualTo(1);
        assertThat((String) far.get("lastWarning")).contains("1 skipped: starting more than two years ahead");
        assertThat(blockIds()).isEqualTo(blocks);
        assertThat(sql("SELECT max(day - CURRENT_DATE) AS n FROM unit_calendar")).isLessThan(800);

        // And a good answer afterwards clears the error.
        serve("/vrbo.ics", good);
        Map<String, Object> recovered = sync(manager, feedId);
        assertThat(recovered.get("lastError")).isNull();
        assertThat(recovered.get("lastWarning")).isNull();
    }

    private void check(String feedId, Map<String, String> cases, List<UUID> blocks, List<LocalDate> blocked, Map<String, Object> lastGood) {
        cases.forEach((what, error) -> {
            Map<String, Object> feed = sync(manager, feedId);
            assertThat((String) feed.get("lastError")).as("lastError after %s", what).contains(error);
            assertThat(Instant.parse((String) feed.get("lastAttemptAt"))).as(what).isAfter(Instant.parse((String) feed.get("lastSuccessAt")));
            assertThat(feed.get("lastSuccessAt")).as("lastSuccessAt after %s", what).isEqualTo(lastGood.get("lastSuccessAt"));
            assertThat(feed.get("eventsImported")).as(what).isEqualTo(lastGood.get("eventsImported"));
            assertThat(blockIds()).as("blocks after %s", what).isEqualTo(blocks);
            assertThat(blockedDays()).as("blocked dates after %s", what).isEqualTo(blocked);
        });
    }

    @Test
    void anImportedEventOverABookingIsStillABlockAndCountsAsAConflict() {
        Map<String, Object> booked = data(nomad, BOOK, Map.of("input", Map.of("unitId", room.id(), "checkIn", today.plusDays(3).toString(),
                "checkOut", today.plusDays(6).toString())), "createBooking");
        assertThat(((Map<?, ?>) booked.get("booking")).get("status")).isEqualTo("HELD");
        serve("/booking-com.ics", calendar(event("double@booking.com", today.plusDays(5), today.plusDays(7))));
        Map<String, Object> feed = sync(manager, (String) addFeed(room.id(), "/booking-com.ics", "Booking.com").get("id"));
        assertThat(feed.get("eventsImported")).isEqualTo(1);
        assertThat(feed.get("conflicts")).isEqualTo(1);
        assertThat((String) feed.get("lastWarning")).contains("already booked here");
        assertThat(blockedDays()).containsExactly(today.plusDays(5), today.plusDays(6));
    }

    @Test
    void removingAFeedRemovesItsBlocksAndOpensTheDates() {
        serve("/f.ics", calendar(event("x", today.plusDays(10), today.plusDays(12))));
        String feedId = (String) addFeed(room.id(), "/f.ics", "Other site").get("id");
        sync(manager, feedId);
        assertThat(bookingError(today.plusDays(10), today.plusDays(11))).isEqualTo("UNAVAILABLE");

        Map<String, Object> removed = data(manager, REMOVE, Map.of("id", feedId), "removeCalendarFeed");
        assertThat(removed.get("removedFeedId")).isEqualTo(feedId);
        assertThat(fixtures.count("calendar_feed")).isZero();
        assertThat(fixtures.count("unit_block")).isZero();
        assertThat(sql("SELECT coalesce(sum(blocks), 0) AS n FROM unit_calendar")).isZero();
        assertThat(bookingError(today.plusDays(10), today.plusDays(11))).isNull();
    }

    @Test
    void theScheduledRunImportsEveryFeedAndOneFailureStopsNoOther() {
        Fixtures.Ref property = fixtures.property(operator, "Second house");
        Fixtures.Ref other = fixtures.unit(operator, property, "Room 2", true);
        feedServer.stubFor(get(urlEqualTo("/broken.ics")).willReturn(aResponse().withStatus(503)));
        serve("/fine.ics", calendar(event("e1", today.plusDays(2), today.plusDays(4))));
        String broken = (String) addFeed(room.id(), "/broken.ics", "Broken").get("id");
        String fine = (String) addFeed(other.id(), "/fine.ics", "Fine").get("id");

        assertThat(job.runOnce().block()).isEqualTo(2);

        List<Map<String, Object>> roomFeeds = feedsOf(room.id());
        assertThat(roomFeeds.get(0).get("lastError")).asString().contains("HTTP 503");
        List<Map<String, Object>> otherFeeds = feedsOf(other.id());
        assertThat(otherFeeds.get(0).get("id")).isEqualTo(fine);
        assertThat(otherFeeds.get(0).get("eventsImported")).isEqualTo(1);
        assertThat(broken).isNotEqualTo(fine);
        assertThat(sql("SELECT count(*) AS n FROM unit_block WHERE source = 'FEED'")).isEqualTo(1);
    }

    @Test
    void anotherInstanceHoldingTheLeaseMeansThisOneImportsNothing() {
        serve("/f.ics", calendar(event("x", today.plusDays(10), today.plusDays(12))));
        addFeed(room.id(), "/f.ics", "Other site");
        db.sql("INSERT INTO job_lease (name, holder, expires_at) VALUES ('calendar-import', 'api-elsewhere', now() + interval '1 hour')")
                .then().block();
        assertThat(job.runOnce().block()).isZero();
        assertThat(fixtures.count("unit_block")).isZero();
    }

    // ---- adding feeds ----

    @Test
    void feedUrlsAreValidatedAndLimited() {
        assertThat(addFeedError(room.id(), "ftp://example.com/cal.ics")).isEqualTo("INVALID_FORMAT");
        assertThat(addFeedError(room.id(), "https://user:secret@example.com/cal.ics")).isEqualTo("INVALID_FORMAT");
        assertThat(addFeedError(room.id(), "not a url")).isEqualTo("INVALID_FORMAT");
        assertThat(addFeedError(room.id(), "https://example.com/" + "a".repeat(2000))).isEqualTo("TOO_LONG");
        Map<String, Object> webcal = data(manager, ADD, Map.of("input", Map.of("unitId", room.id(), "url", "webcal://example.com/cal.ics",
                "name", "Webcal")), "addCalendarFeed");
        assertThat(((Map<?, ?>) webcal.get("feed")).get("url")).isEqualTo("https://example.com/cal.ics");
        assertThat(addFeedError(room.id(), "https://example.com/cal.ics")).isEqualTo("ALREADY_EXISTS");
        for (int i = 1; i < 10; i++) {
            assertThat(addFeedError(room.id(), "https://example.com/cal-" + i + ".ics")).isNull();
        }
        assertThat(addFeedError(room.id(), "https://example.com/cal-11.ics")).isEqualTo("OUT_OF_RANGE");
        assertThat(fixtures.count("calendar_feed")).isEqualTo(10);
    }

    @Test
    void feedsAtPrivateAddressesAreRefusedUnlessAllowed() throws Exception {
        var settings = new CalendarSyncProperties(java.net.URI.create("http://localhost:8080"), false, Duration.ofMinutes(15),
                Duration.ofSeconds(2), Duration.ofSeconds(2), org.springframework.util.unit.DataSize.ofMegabytes(5), 3, 2000, 10, false);
        serve("/f.ics", calendar());
        var fetcher = new FeedFetcher(settings);
        for (String url : List.of("http://localhost:" + feedServer.port() + "/f.ics", "http://127.0.0.1:" + feedServer.port() + "/f.ics",
                "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/cal.ics")) {
            var error = fetcher.fetch(java.net.URI.create(url)).map(b -> "fetched").onErrorResume(e -> reactor.core.publisher.Mono.just(e.getMessage())).block();
            assertThat(error).as(url).contains("private address");
        }
    }

    // ---- tenancy ----

    @Test
    void staffOfAnotherOperatorCannotAddListSyncOrRemoveFeeds() {
        serve("/f.ics", calendar(event("x", today.plusDays(10), today.plusDays(12))));
        String feedId = (String) addFeed(room.id(), "/f.ics", "Mine").get("id");
        Fixtures.Ref rival = fixtures.operator("rival");
        String rivalOwner = fixtures.staff(rival, "OWNER");
        Fixtures.Ref draft = fixtures.unit(operator, fixtures.property(operator, "Draft house"), "Draft room", false);

        assertThat(addFeedErrorAs(rivalOwner, room.id(), url("/evil.ics"))).isEqualTo("FORBIDDEN"); // published: visible, not theirs
        assertThat(addFeedErrorAs(rivalOwner, draft.id(), url("/evil.ics"))).isEqualTo("NOT_FOUND");
        assertThat(firstError(data(rivalOwner, SYNC, Map.of("id", feedId), "syncCalendarFeed"))).isEqualTo("NOT_FOUND");
        assertThat(firstError(data(rivalOwner, REMOVE, Map.of("id", feedId), "removeCalendarFeed"))).isEqualTo("NOT_FOUND");
        String viewer = fixtures.staff(operator, "VIEWER");
        assertThat(firstError(data(viewer, SYNC, Map.of("id", feedId), "syncCalendarFeed"))).isEqualTo("FORBIDDEN");

        Map<String, Object> listed = post(rivalOwner, UNIT, Map.of("id", room.id()));
        assertThat(listed.toString()).doesNotContain("/f.ics").contains("FORBIDDEN");
        Map<String, Object> node = post(rivalOwner, "query($id: ID!) { node(id: $id) { id } }", Map.of("id", feedId));
        assertThat(((Map<?, ?>) node.get("data")).get("node")).isNull();
        assertThat(feedServer.getAllServeEvents()).as("no fetch on their behalf").isEmpty();
        assertThat(fixtures.count("calendar_feed")).isEqualTo(1);
        assertThat(fixtures.count("unit_block")).isZero();
    }

    // ---- the export ----

    @Test
    void theExportHasBookingsAndStaffBlocksButNoImportedBlocksAndReadsBack() throws Exception {
        Map<String, Object> booked = data(nomad, BOOK, Map.of("input", Map.of("unitId", room.id(), "checkIn", today.plusDays(3).toString(),
                "checkOut", today.plusDays(6).toString())), "createBooking");
        String bookingId = (String) ((Map<?, ?>) booked.get("booking")).get("id");
        Map<String, Object> blocked = data(manager, BLOCK, Map.of("input", Map.of("unitId", room.id(), "from", today.plusDays(20).toString(),
                "to", today.plusDays(25).toString(), "note", "Painting; guest Ana Müller")), "blockDates");
        String blockId = (String) ((Map<?, ?>) blocked.get("block")).get("id");
        serve("/f.ics", calendar(event("imported@elsewhere", today.plusDays(40), today.plusDays(42))));
        sync(manager, (String) addFeed(room.id(), "/f.ics", "Elsewhere").get("id"));
        assertThat(fixtures.count("unit_block")).isEqualTo(2);

        String exportUrl = (String) ((Map<?, ?>) data(manager, UNIT, Map.of("id", room.id()), "node")).get("icalExportUrl");
        assertThat(exportUrl).startsWith("http://localhost:8080/calendars/").endsWith(".ics");
        String path = java.net.URI.create(exportUrl).getPath();

        var response = web.get().uri(path).exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/calendar")
                .expectBody(byte[].class).returnResult();
        String ics = new String(response.getResponseBody(), StandardCharsets.UTF_8);
        assertThat(ics).startsWith("BEGIN:VCALENDAR\r\n").endsWith("END:VCALENDAR\r\n").contains("VERSION:2.0\r\n", "PRODID:");
        assertThat(ics.replace("\r\n", "")).doesNotContain("\n");
        assertThat(Arrays.stream(ics.split("\r\n"))).allMatch(line -> line.getBytes(StandardCharsets.UTF_8).length <= 75);
        assertThat(IcsParser.unfold(ics)).contains("DTSTART;VALUE=DATE:" + ICS_DATE.format(today.plusDays(3)),
                "DTEND;VALUE=DATE:" + ICS_DATE.format(today.plusDays(6)), "SUMMARY:Reserved", "SUMMARY:Blocked");
        assertThat(ics).as("no guest data or staff notes").doesNotContain("Ana").doesNotContain("Müller").doesNotContain("Painting");
        assertThat(ics).doesNotContain("imported@elsewhere");

        IcsParser.Calendar parsed = IcsParser.parse(ics, BALI);
        assertThat(parsed.name()).isEqualTo("Nomad Stays: Room 1");
        assertThat(parsed.events()).extracting(IcsParser.Event::key, IcsParser.Event::start, IcsParser.Event::end).containsExactly(
                org.assertj.core.groups.Tuple.tuple("booking-" + GlobalId.parse(bookingId).orElseThrow().uuid() + "@nomadstays.io",
                        today.plusDays(3), today.plusDays(6)),
                org.assertj.core.groups.Tuple.tuple("block-" + GlobalId.parse(blockId).orElseThrow().uuid() + "@nomadstays.io",
                        today.plusDays(20), today.plusDays(25)));

        // Another site importing this export through its own importer: the same UIDs, stable across fetches.
        String again = new String(web.get().uri(path).exchange().expectBody(byte[].class).returnResult().getResponseBody(), StandardCharsets.UTF_8);
        assertThat(IcsParser.parse(again, BALI).events()).isEqualTo(parsed.events());
    }

    @Test
    void unknownTokensAre404AndRotationRetiresTheOldUrl() {
        web.get().uri("/calendars/" + "A".repeat(43) + ".ics").exchange().expectStatus().isNotFound();
        web.get().uri("/calendars/nope.ics").exchange().expectStatus().isNotFound();
        web.get().uri("/calendars/' OR 1=1 --.ics").exchange().expectStatus().isNotFound();

        String old = (String) ((Map<?, ?>) data(manager, UNIT, Map.of("id", room.id()), "node")).get("icalExportUrl");
        assertThat(java.net.URI.create(old).getPath()).matches("/calendars/[A-Za-z0-9_-]{43}\\.ics");
        web.get().uri(java.net.URI.create(old).getPath()).exchange().expectStatus().isOk();

        Map<String, Object> rotated = data(manager, "mutation($id: ID!) { rotateIcalExportUrl(input: {unitId: $id}) { icalExportUrl "
                + "unit { icalExportUrl } userErrors { code } } }", Map.of("id", room.id()), "rotateIcalExportUrl");
        String fresh = (String) rotated.get("icalExportUrl");
        assertThat(fresh).isNotEqualTo(old).isEqualTo(((Map<?, ?>) rotated.get("unit")).get("icalExportUrl"));
        web.get().uri(java.net.URI.create(old).getPath()).exchange().expectStatus().isNotFound();
        web.get().uri(java.net.URI.create(fresh).getPath()).exchange().expectStatus().isOk();

        // Only staff see the URL; only managers rotate it.
        assertThat(((Map<?, ?>) data(nomad, "query($id: ID!) { node(id: $id) { ... on Unit { icalExportUrl } } }", Map.of("id", room.id()), "node"))
                .get("icalExportUrl")).isNull();
        String viewer = fixtures.staff(operator, "VIEWER");
        assertThat(((Map<?, ?>) data(viewer, "query($id: ID!) { node(id: $id) { ... on Unit { icalExportUrl } } }", Map.of("id", room.id()), "node"))
                .get("icalExportUrl")).isEqualTo(fresh);
        assertThat(firstError(data(viewer, "mutation($id: ID!) { rotateIcalExportUrl(input: {unitId: $id}) { icalExportUrl userErrors { code } } }",
                Map.of("id", room.id()), "rotateIcalExportUrl"))).isEqualTo("FORBIDDEN");
        assertThat(sql("SELECT count(DISTINCT ical_token) AS n FROM unit")).isEqualTo(fixtures.count("unit"));
    }

    // ---- helpers ----

    static String calendar(String... events) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Feed//EN\r\n" + String.join("", events) + "END:VCALENDAR\r\n";
    }

    static String event(String uid, LocalDate start, LocalDate end) {
        return "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20250101T000000Z\r\nDTSTART;VALUE=DATE:" + ICS_DATE.format(start)
                + "\r\nDTEND;VALUE=DATE:" + ICS_DATE.format(end) + "\r\nSUMMARY:Reserved\r\nEND:VEVENT\r\n";
    }

    static String cancelled(String uid, LocalDate start, LocalDate end) {
        return event(uid, start, end).replace("SUMMARY:Reserved", "STATUS:CANCELLED");
    }

    private static byte[] fiftyMegabytes() {
        byte[] body = new byte[50 * 1024 * 1024];
        Arrays.fill(body, (byte) 'X');
        byte[] head = "BEGIN:VCALENDAR\r\nX-PADDING:".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, body, 0, head.length);
        return body;
    }

    void serve(String path, String body) {
        feedServer.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/calendar; charset=utf-8").withBody(body)));
    }

    String url(String path) {
        return "http://localhost:" + feedServer.port() + path;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> data(String subject, String document, Map<String, Object> variables, String field) {
        Map<String, Object> response = post(subject, document, variables);
        assertThat(response).doesNotContainKey("errors");
        return (Map<String, Object>) ((Map<String, Object>) response.get("data")).get(field);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> addFeed(String unitId, String path, String name) {
        Map<String, Object> payload = data(manager, ADD, Map.of("input", Map.of("unitId", unitId, "url", url(path), "name", name)), "addCalendarFeed");
        assertThat((List<?>) payload.get("userErrors")).isEmpty();
        return (Map<String, Object>) payload.get("feed");
    }

    String addFeedError(String unitId, String url) {
        return addFeedErrorAs(manager, unitId, url);
    }

    String addFeedErrorAs(String subject, String unitId, String url) {
        return firstError(data(subject, ADD, Map.of("input", Map.of("unitId", unitId, "url", url, "name", "Feed")), "addCalendarFeed"));
    }

    @SuppressWarnings("unchecked")
    static String firstError(Map<String, Object> payload) {
        List<Map<String, Object>> errors = (List<Map<String, Object>>) payload.get("userErrors");
        return errors.isEmpty() ? null : (String) errors.get(0).get("code");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> sync(String subject, String feedId) {
        Map<String, Object> payload = data(subject, SYNC, Map.of("id", feedId), "syncCalendarFeed");
        assertThat((List<?>) payload.get("userErrors")).isEmpty();
        return (Map<String, Object>) payload.get("feed");
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> feedsOf(String unitId) {
        return (List<Map<String, Object>>) data(manager, UNIT, Map.of("id", unitId), "node").get("calendarFeeds");
    }

    /** The createBooking error code for these dates, or null when it booked (the booking is then cancelled again). */
    @SuppressWarnings("unchecked")
    String bookingError(LocalDate in, LocalDate out) {
        Map<String, Object> payload = data(nomad, BOOK, Map.of("input", Map.of("unitId", room.id(), "checkIn", in.toString(),
                "checkOut", out.toString())), "createBooking");
        String error = firstError(payload);
        if (error == null) {
            String id = (String) ((Map<String, Object>) payload.get("booking")).get("id");
            assertThat(firstError(data(nomad, "mutation($id: ID!) { cancelBooking(input: {bookingId: $id}) { userErrors { code } } }",
                    Map.of("id", id), "cancelBooking"))).isNull();
        }
        return error;
    }

    List<LocalDate> blockedDays() {
        return db.sql("SELECT day FROM unit_calendar WHERE unit_id = :u AND blocks > 0 ORDER BY day").bind("u", room.uuid())
                .map(row -> row.get("day", LocalDate.class)).all().collectList().block();
    }

    List<UUID> blockIds() {
        return db.sql("SELECT id FROM unit_block WHERE unit_id = :u ORDER BY id").bind("u", room.uuid())
                .map(row -> row.get("id", UUID.class)).all().collectList().block();
    }

    long sql(String query) {
        return db.sql(query).map(row -> ((Number) row.get("n")).longValue()).one().block();
    }

    /** Every date of the ranges [from, to), in order. */
    static List<LocalDate> days(LocalDate... bounds) {
        return java.util.stream.IntStream.range(0, bounds.length / 2).boxed()
                .flatMap(i -> bounds[2 * i].datesUntil(bounds[2 * i + 1]))
                .collect(Collectors.toList());
    }
}
