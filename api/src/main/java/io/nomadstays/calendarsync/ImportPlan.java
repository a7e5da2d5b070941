package io.nomadstays.calendarsync;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one import should leave as the feed's blocks: its events from today to the booking
 * horizon, keyed by event, with what was left out counted for the feed's health. Pure, so the
 * rules are tested without a network or a database.
 *
 * @param blocks  dates [start, end) by event key
 * @param skipped events not imported that staff should hear about (too far ahead, no usable dates, duplicates)
 * @param clipped events imported but cut at the horizon
 */
record ImportPlan(Map<String, Range> blocks, int skipped, int clipped, String warning) {

    /** How far ahead bookings are taken here (BookingService.MAX_DAYS_AHEAD), and the longest block. */
    static final int HORIZON_DAYS = 731;

    record Range(LocalDate start, LocalDate end) {
    }

    /** More events ahead than a feed may bring: refused whole, so no partial import drops blocks. */
    static final class TooManyEvents extends Exception {
        TooManyEvents(int count, int max) {
            super("the feed has " + count + " events from today on; at most " + max + " are imported");
        }
    }

    static ImportPlan of(IcsParser.Calendar calendar, LocalDate today, int maxEvents) throws TooManyEvents {
        LocalDate horizon = today.plusDays(HORIZON_DAYS);
        Map<String, Range> blocks = new LinkedHashMap<>();
        int tooFar = 0;
        int undated = 0;
        int duplicates = 0;
        int clipped = 0;
        List<String> problems = new ArrayList<>();
        for (IcsParser.Event e : calendar.events()) {
            if (e.cancelled()) {
                continue;
            }
            if (e.start() == null) {
                undated++;
                if (problems.size() < 3) {
                    problems.add(e.problem());
                }
                continue;
            }
            if (!e.end().isAfter(today)) {
                continue; // over: nothing to close
            }
            if (e.start().isAfter(horizon)) {
                tooFar++;
                continue;
            }
            LocalDate end = e.end();
            if (end.isAfter(horizon)) {
                end = horizon;
                clipped++;
            }
            // A block spans at most HORIZON_DAYS (the table's CHECK); only the part from today on matters.
            LocalDate start = ChronoUnit.DAYS.between(e.start(), end) > HORIZON_DAYS ? today : e.start();
            if (blocks.putIfAbsent(e.key(), new Range(start, end)) != null) {
                duplicates++;
            }
        }
        if (blocks.size() > maxEvents) {
            throw new TooManyEvents(blocks.size(), maxEvents);
        }
        List<String> notes = new ArrayList<>();
        if (tooFar > 0) {
            notes.add(tooFar + " skipped: starting more than two years ahead (after " + horizon + ")");
        }
        if (undated > 0) {
            notes.add(undated + " skipped: no usable dates (" + String.join("; ", problems) + ")");
        }
        if (duplicates > 0) {
            notes.add(duplicates + " skipped: the same UID twice");
        }
        if (clipped > 0) {
            notes.add(clipped + " cut at " + horizon + ": they go on for more than two years");
        }
        String warning = notes.isEmpty() ? null : String.join("; ", notes);
        return new ImportPlan(blocks, tooFar + undated + duplicates, clipped, warning);
    }
}
