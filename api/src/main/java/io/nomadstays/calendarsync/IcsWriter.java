package io.nomadstays.calendarsync;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes RFC 5545 text: CRLF line ends, lines folded at 75 octets (never inside a UTF-8
 * character), TEXT values escaped. Only what the export needs.
 */
final class IcsWriter {

    static final int MAX_OCTETS = 75;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final StringBuilder out = new StringBuilder();

    /** A property whose value is already in iCalendar form (dates, codes). */
    IcsWriter raw(String name, String value) {
        fold(name + ":" + value);
        return this;
    }

    /** A TEXT property, escaped. */
    IcsWriter text(String name, String value) {
        return raw(name, escape(value));
    }

    IcsWriter date(String name, LocalDate date) {
        return raw(name + ";VALUE=DATE", DATE.format(date));
    }

    IcsWriter stamp(String name, Instant instant) {
        return raw(name, STAMP.format(instant));
    }

    @Override
    public String toString() {
        return out.toString();
    }

    static String escape(String value) {
        StringBuilder s = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> s.append("\\\\");
                case ';' -> s.append("\\;");
                case ',' -> s.append("\\,");
                case '\n' -> s.append("\\n");
                case '\r' -> { } // CRLF in input becomes one \n
                default -> s.append(c < 0x20 && c != '\t' ? ' ' : c); // other controls are not allowed in TEXT
            }
        }
        return s.toString();
    }

    private void fold(String line) {
        int octets = 0;
        for (int i = 0; i < line.length(); ) {
            int cp = line.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; // its UTF-8 length
            if (octets + size > MAX_OCTETS) {
                out.append("\r\n ");
                octets = 1; // the leading space counts
            }
            out.appendCodePoint(cp);
            octets += size;
            i += Character.charCount(cp);
        }
        out.append("\r\n");
    }
}
