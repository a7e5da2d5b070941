package io.nomadstays.calendarsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ICS reader on the shapes real feeds send, and on files it must refuse whole. */
class IcsParserTests {

    private static final ZoneId BALI = ZoneId.of("Asia/Makassar"); // UTC+8

    static String ics(String... lines) {
        return String.join("\r\n", lines) + "\r\n";
    }

    static IcsParser.Calendar parse(String text) throws IcsParser.InvalidCalendar {
        return IcsParser.parse(text, BALI);
    }

    @Test
    void allDayEventsKeepTheirDatesWithAnExclusiveEnd() throws Exception {
        var cal = parse(ics("BEGIN:VCALENDAR", "VERSION:2.0",
                "BEGIN:VEVENT", "UID:a@airbnb.com", "DTSTART;VALUE=DATE:20300110", "DTEND;VALUE=DATE:20300113", "SUMMARY:Reserved", "END:VEVENT",
                "END:VCALENDAR"));
        assertThat(cal.events()).singleElement().satisfies(e -> {
            assertThat(e.key()).isEqualTo("a@airbnb.com");
            assertThat(e.start()).isEqualTo(LocalDate.of(2030, 1, 10));
            assertThat(e.end()).isEqualTo(LocalDate.of(2030, 1, 13));
            assertThat(e.cancelled()).isFalse();
        });
    }

    @Test
    void dateTimesBecomeDatesOfTheUnitsZone() throws Exception {
        var cal = parse(ics("BEGIN:VCALENDAR",
                // 20:00 UTC is 04:00 the next day in Bali.
                "BEGIN:VEVENT", "UID:utc", "DTSTART:20300110T200000Z", "DTEND:20300112T010000Z", "END:VEVENT",
                // 09:00 in New York (UTC-5) is 22:00 the same day in Bali; 23:00 is 12:00 the next day.
                "BEGIN:VEVENT", "UID:tzid", "DTSTART;TZID=America/New_York:20300110T090000", "DTEND;TZID=\"America/New_York\":20300111T230000", "END:VEVENT",
                // Mozilla-style prefixed zone names are understood.
                "BEGIN:VEVENT", "UID:prefixed", "DTSTART;TZID=/mozilla.org/20070129_1/Asia/Makassar:20300110T150000", "DTEND;TZID=/mozilla.org/20070129_1/Asia/Makassar:20300111T110000", "END:VEVENT",
                // Floating times and unknown zones keep the written date.
                "BEGIN:VEVENT", "UID:floating", "DTSTART:20300110T230000", "DTEND;TZID=Pacific Standard Time:20300111T010000", "END:VEVENT",
                "END:VCALENDAR"));
        assertThat(cal.events()).extracting(IcsParser.Event::key, IcsParser.Event::start, IcsParser.Event::end).containsExactly(
                org.assertj.core.groups.Tuple.tuple("utc", LocalDate.of(2030, 1, 11), LocalDate.of(2030, 1, 12)),
                org.assertj.core.groups.Tuple.tuple("tzid", LocalDate.of(2030, 1, 10), LocalDate.of(2030, 1, 12)),
                org.assertj.core.groups.Tuple.tuple("prefixed", LocalDate.of(2030, 1, 10), LocalDate.of(2030, 1, 11)),
                org.assertj.core.groups.Tuple.tuple("floating", LocalDate.of(2030, 1, 10), LocalDate.of(2030, 1, 11)));
    }

    @Test
    void aMissingEndMeansOneDayAndADurationIsAdded() throws Exception {
        var cal = parse(ics("BEGIN:VCALENDAR",
                "BEGIN:VEVENT", "UID:no-end", "DTSTART;VALUE=DATE:20300110", "END:VEVENT",
                "BEGIN:VEVENT", "UID:timed-no-end", "DTSTART:20300110T100000Z", "END:VEVENT",
                "BEGIN:VEVENT", "UID:week", "DTSTART;VALUE=DATE:20300110", "DURATION:P1W", "END:VEVENT",
                "BEGIN:VEVENT", "UID:hours", "DTSTART:20300110T000000Z", "DURATION:P1DT20H", "END:VEVENT",
                "BEGIN:VEVENT", "UID:same-day", "DTSTART:20300110T010000Z", "DTEND:20300110T030000Z", "END:VEVENT",
                "END:VCALENDAR"));
        assertThat(cal.events()).extracting(IcsParser.Event::end).containsExactly(
                LocalDate.of(2030, 1, 11), LocalDate.of(2030, 1, 11), LocalDate.of(2030, 1, 17),
                LocalDate.of(2030, 1, 12), // 2030-01-11T20:00Z is the 12th, 04:00 in Bali
                LocalDate.of(2030, 1, 11));
    }

    @Test
    void cancelledEventsAreMarkedAndRecurrenceOverridesHaveTheirOwnKey() throws Exception {
        var cal = parse(ics("BEGIN:VCALENDAR",
                "BEGIN:VEVENT", "UID:gone", "STATUS:CANCELLED", "DTSTART;VALUE=DATE:20300110", "END:VEVENT",
                "BEGIN:VEVENT", "UID:series", "RECURRENCE-ID;VALUE=DATE:20300201", "DTSTART;VALUE=DATE:20300202", "END:VEVENT",
                "END:VCALENDAR"));
        assertThat(cal.events().get(0).cancelled()).isTrue();
        assertThat(cal.events().get(1).key()).isEqualTo("series#20300201");
    }

    @Test
    void foldedLinesAreUnfoldedAndTextIsUnescaped() throws Exception {
        var cal = parse("BEGIN:VCALENDAR\r\nX-WR-CALNAME:Villa\\, pool\\; and \\\\ \r\n views\\nnew line\r\n"
                + "BEGIN:VEVENT\nUID:long-\n\tuid\nDTSTART;VALUE=DATE:2030\r\n 0110\nSUMMARY:Not available\nEND:VEVENT\nEND:VCALENDAR\n");
        assertThat(cal.name()).isEqualTo("Villa, pool; and \\ views\nnew line");
        assertThat(cal.events()).singleElement().satisfies(e -> {
            assertThat(e.key()).isEqualTo("long-uid");
            assertThat(e.start()).isEqualTo(LocalDate.of(2030, 1, 10));
            assertThat(e.summary()).isEqualTo("Not available");
        });
    }

    @Test
    void alarmsAndTimeZonesInsideAreSkipped() throws Exception {
        var cal = parse(ics("BEGIN:VCALENDAR",
                "BEGIN:VTIMEZONE", "TZID:Europe/Paris", "BEGIN:STANDARD", "DTSTART:19701025T030000", "END:STANDARD", "END:VTIMEZONE",
                "BEGIN:VEVENT", "UID:with-alarm", "DTSTART;VALUE=DATE:20300110",
                "BEGIN:VALARM", "UID:not-the-event", "TRIGGER:-PT15M", "END:VALARM", "END:VEVENT",
                "END:VCALENDAR"));
        assertThat(cal.events()).extracting(IcsParser.Event::key).containsExactly("with-alarm");
    }

    @Test
    void eventsWithoutUsableDatesOrUidAreKeptForThePlanToJudge() throws Exception {
        var cal = parse(ics("BEGIN:VCALENDAR",
                "BEGIN:VEVENT", "UID:bad", "DTSTART:tomorrow", "END:VEVENT",
                "BEGIN:VEVENT", "UID:backwards", "DTSTART;VALUE=DATE:20300110", "DTEND;VALUE=DATE:20300101", "END:VEVENT",
                "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20300110", "END:VEVENT",
                "END:VCALENDAR"));
        assertThat(cal.events().get(0).start()).isNull();
        assertThat(cal.events().get(0).problem()).contains("DTSTART");
        assertThat(cal.events().get(1).problem()).contains("DTEND before DTSTART");
        assertThat(cal.events().get(2).key()).isEqualTo("no-uid:2030-01-10/2030-01-11");
    }

    @Test
    void filesThatAreNotCompleteCalendarsAreRefusedWhole() {
        for (String bad : List.of("", "<html><body>Login</body></html>", "{\"events\": []}",
                ics("BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:cut", "DTSTART;VALUE=DATE:20300110"),
                ics("BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:x", "END:VCALENDAR"),
                ics("BEGIN:VCALENDAR", "this line has no colon", "END:VCALENDAR"),
                ics("BEGIN:VCALENDAR", "END:VCALENDAR", "UID:after-the-end"))) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(IcsParser.InvalidCalendar.class);
        }
    }

    @Test
    void anEmptyCalendarIsValid() throws Exception {
        assertThat(parse("\uFEFFBEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR").events()).isEmpty();
    }
}
