package io.nomadstays.calendarsync;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the part of RFC 5545 that calendar exports of listing sites use: VEVENTs with a UID and
 * all-day or timed DTSTART/DTEND (or DURATION) and STATUS. Everything else (VTIMEZONE, VALARM,
 * RRULE, ...) is skipped. Times become dates of {@code zone}, the unit's, because a block closes
 * local nights. A file that is not a complete VCALENDAR is refused whole: importing half of a
 * truncated download would remove the blocks of every event cut off.
 */
final class IcsParser {

    /** The file cannot be trusted as a whole. */
    static final class InvalidCalendar extends Exception {
        InvalidCalendar(String message) {
            super(message);
        }
    }

    /**
     * One event. {@code key} identifies it across imports: its UID, plus the RECURRENCE-ID of an
     * overridden occurrence. {@code end} is exclusive and after {@code start}; both null when the
     * event has no usable dates ({@code problem} says why).
     */
    record Event(String key, LocalDate start, LocalDate end, boolean cancelled, String summary, String problem) {
    }

    record Calendar(String name, List<Event> events) {
    }

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();
    private static final Pattern ALL_DAY = Pattern.compile("\\d{8}");
    private static final Pattern DURATION = Pattern.compile("([+-])?P(?:(\\d+)W)?(?:(\\d+)D)?(?:T(?:(\\d+)H)?(?:(\\d+)M)?(?:(\\d+)S)?)?");

    private IcsParser() {
    }

    static Calendar parse(String text, ZoneId zone) throws InvalidCalendar {
        List<String> lines = unfold(text);
        if (lines.isEmpty() || !lines.get(0).equalsIgnoreCase("BEGIN:VCALENDAR")) {
            throw new InvalidCalendar("not an iCalendar file (it does not start with BEGIN:VCALENDAR)");
        }
        Deque<String> open = new ArrayDeque<>();
        List<Event> events = new ArrayList<>();
        Map<String, Property> event = null;
        String name = null;
        boolean complete = false;
        for (int i = 0; i < lines.size(); i++) {
            Property p = Property.parse(lines.get(i), i + 1);
            if (p.name.equals("BEGIN")) {
                String component = p.value.toUpperCase(Locale.ROOT);
                if (open.isEmpty() && !component.equals("VCALENDAR")) {
                    throw new InvalidCalendar("line " + (i + 1) + ": " + component + " outside of VCALENDAR");
                }
                open.push(component);
                if (component.equals("VEVENT") && open.size() == 2) {
                    event = new HashMap<>();
                }
            } else if (p.name.equals("END")) {
                String component = p.value.toUpperCase(Locale.ROOT);
                if (open.isEmpty() || !open.peek().equals(component)) {
                    throw new InvalidCalendar("line " + (i + 1) + ": END:" + component + " does not close "
                            + (open.isEmpty() ? "anything" : open.peek()));
                }
                open.pop();
                if (component.equals("VEVENT") && open.size() == 1 && event != null) {
                    events.add(event(event, zone));
                    event = null;
                }
                complete = open.isEmpty();
            } else if (open.isEmpty()) {
                throw new InvalidCalendar("line " + (i + 1) + ": content after END:VCALENDAR");
            } else if (event != null && open.size() == 2) {
                // The first of a repeated property wins, as for DTSTART in every reader.
                event.putIfAbsent(p.name, p);
            } else if (open.size() == 1 && p.name.equals("X-WR-CALNAME")) {
                name = unescape(p.value);
            }
        }
        if (!complete) {
            throw new InvalidCalendar("the file ends inside " + open.peek() + " (cut off?)");
        }
        return new Calendar(name, events);
    }

    /** Logical lines: CRLF (or bare LF, which many feeds send) ends a line, and a line starting with a space or tab continues the last. */
    static List<String> unfold(String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<String> lines = new ArrayList<>();
        StringBuilder current = null;
        for (String physical : body.split("\r\n|\n|\r", -1)) {
            if (!physical.isEmpty() && (physical.charAt(0) == ' ' || physical.charAt(0) == '\t') && current != null) {
                current.append(physical, 1, physical.length());
                continue;
            }
            if (current != null && !current.isEmpty()) {
                lines.add(current.toString());
            }
            current = new StringBuilder(physical);
        }
        if (current != null && !current.isEmpty()) {
            lines.add(current.toString());
        }
        return lines;
    }

    static String unescape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char next = value.charAt(++i);
                out.append(next == 'n' || next == 'N' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Event event(Map<String, Property> props, ZoneId zone) {
        Property uid = props.get("UID");
        Property recurrence = props.get("RECURRENCE-ID");
        boolean cancelled = props.containsKey("STATUS") && props.get("STATUS").value.strip().equalsIgnoreCase("CANCELLED");
        String summary = props.containsKey("SUMMARY") ? unescape(props.get("SUMMARY").value) : null;
        Property dtstart = props.get("DTSTART");
        LocalDate start;
        LocalDate end;
        String problem = null;
        try {
            if (dtstart == null) {
                throw new DateTimeException("no DTSTART");
            }
            start = date(dtstart, zone);
            Property dtend = props.get("DTEND");
            Property duration = props.get("DURATION");
            if (dtend != null) {
                end = date(dtend, zone);
                if (end.isBefore(start)) {
                    throw new DateTimeException("DTEND before DTSTART");
                }
            } else if (duration != null) {
                end = plus(dtstart, duration.value.strip(), zone);
            } else {
                // RFC 5545 gives an all-day event without DTEND one day; a timed one is treated alike.
                end = start.plusDays(1);
            }
            if (!end.isAfter(start)) {
                end = start.plusDays(1); // a few hours within one day still take that day
            }
        } catch (DateTimeException e) {
            start = null;
            end = null;
            problem = e.getMessage();
        }
        String key;
        if (uid != null && !uid.value.isBlank()) {
            key = uid.value.strip() + (recurrence == null ? "" : "#" + recurrence.value.strip());
        } else {
            // Without a UID the dates are the identity: stable across imports while they do not change.
            key = "no-uid:" + start + "/" + end;
        }
        return new Event(key, start, end, cancelled, summary, problem);
    }

    private static LocalDate date(Property p, ZoneId zone) {
        String value = p.value.strip();
        try {
            if ("DATE".equalsIgnoreCase(p.params.get("VALUE")) || ALL_DAY.matcher(value).matches()) {
                return LocalDate.parse(value, DATE);
            }
            if (value.endsWith("Z") || value.endsWith("z")) {
                return LocalDateTime.parse(value.substring(0, value.length() - 1), DATE_TIME).atOffset(ZoneOffset.UTC)
                        .atZoneSameInstant(zone).toLocalDate();
            }
            LocalDateTime local = LocalDateTime.parse(value, DATE_TIME);
            ZoneId tz = zoneOf(p.params.get("TZID"));
            // Floating times, and zones Java does not know (Windows names, custom VTIMEZONEs), keep the written date.
            return tz == null ? local.toLocalDate() : local.atZone(tz).withZoneSameInstant(zone).toLocalDate();
        } catch (DateTimeParseException e) {
            throw new DateTimeException(p.name + " '" + abbreviate(value) + "' is not a DATE or DATE-TIME");
        }
    }

    private static LocalDate plus(Property start, String duration, ZoneId zone) {
        var m = DURATION.matcher(duration.toUpperCase(Locale.ROOT));
        if (!m.matches() || "-".equals(m.group(1))) {
            throw new DateTimeException("DURATION '" + abbreviate(duration) + "' is not a positive duration");
        }
        Duration d = Duration.ofDays(7 * number(m.group(2)) + number(m.group(3)))
                .plusHours(number(m.group(4))).plusMinutes(number(m.group(5))).plusSeconds(number(m.group(6)));
        String value = start.value.strip();
        if ("DATE".equalsIgnoreCase(start.params.get("VALUE")) || ALL_DAY.matcher(value).matches()) {
            return date(start, zone).plusDays(Math.max(1, d.toDays()));
        }
        // The end instant of a timed event, as a date of the unit's zone.
        LocalDateTime local = LocalDateTime.parse(value.replaceAll("[Zz]$", ""), DATE_TIME);
        ZoneId tz = value.endsWith("Z") || value.endsWith("z") ? ZoneOffset.UTC : zoneOf(start.params.get("TZID"));
        return tz == null ? local.plus(d).toLocalDate() : local.atZone(tz).plus(d).withZoneSameInstant(zone).toLocalDate();
    }

    private static long number(String group) {
        return group == null ? 0 : Math.min(Long.parseLong(group.length() > 9 ? "999999999" : group), 999_999_999L);
    }

    private static ZoneId zoneOf(String tzid) {
        if (tzid == null) {
            return null;
        }
        // Some producers prefix their zone database ("/mozilla.org/20070129_1/Europe/Paris").
        String id = tzid.strip();
        while (!id.isEmpty()) {
            if (ZONES.contains(id)) {
                return ZoneId.of(id);
            }
            int slash = id.indexOf('/');
            if (slash < 0) {
                return null;
            }
            id = id.substring(slash + 1);
        }
        return null;
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }

    /** A content line: NAME;PARAM=VALUE;PARAM="QUOTED":VALUE. */
    private record Property(String name, Map<String, String> params, String value) {

        static Property parse(String line, int number) throws InvalidCalendar {
            int i = 0;
            while (i < line.length() && line.charAt(i) != ';' && line.charAt(i) != ':') {
                i++;
            }
            if (i == 0 || i == line.length()) {
                throw new InvalidCalendar("line " + number + " is not NAME:VALUE: '" + abbreviate(line) + "'");
            }
            String name = line.substring(0, i).toUpperCase(Locale.ROOT);
            Map<String, String> params = new HashMap<>();
            while (line.charAt(i) == ';') {
                int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new InvalidCalendar("line " + number + " has a parameter without a value");
                }
                String key = line.substring(i + 1, eq).toUpperCase(Locale.ROOT);
                int j = eq + 1;
                boolean quoted = false;
                while (j < line.length() && (quoted || (line.charAt(j) != ';' && line.charAt(j) != ':'))) {
                    if (line.charAt(j) == '"') {
                        quoted = !quoted;
                    }
                    j++;
                }
                if (j == line.length()) {
                    throw new InvalidCalendar("line " + number + " has no value");
                }
                params.put(key, line.substring(eq + 1, j).replace("\"", ""));
                i = j;
            }
            return new Property(name, params, line.substring(i + 1));
        }
    }
}
