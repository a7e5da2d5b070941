package io.nomadstays.calendarsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What the export writes: folded CRLF lines of at most 75 octets, escaped text, all-day dates; and the reader reads it back. */
class IcsWriterTests {

    @Test
    void longLinesAreFoldedAt75OctetsWithoutSplittingACharacter() {
        String name = "Zimmer mit Meerblick – großes Bett, Schreibtisch; 🌴 Canggu ".repeat(4);
        String text = new IcsWriter().raw("BEGIN", "VCALENDAR").text("X-WR-CALNAME", name).raw("END", "VCALENDAR").toString();

        assertThat(text).endsWith("\r\n").doesNotContain("\r\n\r\n");
        assertThat(text.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
        String[] lines = text.split("\r\n");
        assertThat(lines.length).isGreaterThan(4);
        for (String line : lines) {
            assertThat(line.getBytes(StandardCharsets.UTF_8).length).as(line).isLessThanOrEqualTo(75);
            assertThat(line).doesNotContain("\uFFFD");
        }
        for (int i = 2; i < lines.length - 1; i++) {
            assertThat(lines[i]).as("continuation line %d", i).startsWith(" ");
        }
        // Unfolding and unescaping give back exactly what was written.
        assertThat(IcsParser.unescape(IcsParser.unfold(text).get(1).substring("X-WR-CALNAME:".length()))).isEqualTo(name);
    }

    @Test
    void textIsEscaped() {
        assertThat(IcsWriter.escape("a,b;c\\d\r\ne")).isEqualTo("a\\,b\\;c\\\\d\\ne");
    }

    @Test
    void whatIsWrittenParsesBack() throws Exception {
        String text = new IcsWriter().raw("BEGIN", "VCALENDAR").raw("VERSION", "2.0")
                .raw("BEGIN", "VEVENT").raw("UID", "booking-1@nomadstays.io").stamp("DTSTAMP", java.time.Instant.EPOCH)
                .date("DTSTART", LocalDate.of(2030, 3, 1)).date("DTEND", LocalDate.of(2030, 3, 4)).text("SUMMARY", "Reserved")
                .raw("END", "VEVENT").raw("END", "VCALENDAR").toString();
        assertThat(text).contains("DTSTART;VALUE=DATE:20300301\r\n", "DTSTAMP:19700101T000000Z\r\n");
        var cal = IcsParser.parse(text, ZoneOffset.UTC);
        assertThat(cal.events()).singleElement().satisfies(e -> {
            assertThat(e.key()).isEqualTo("booking-1@nomadstays.io");
            assertThat(e.start()).isEqualTo(LocalDate.of(2030, 3, 1));
            assertThat(e.end()).isEqualTo(LocalDate.of(2030, 3, 4));
        });
    }
}
