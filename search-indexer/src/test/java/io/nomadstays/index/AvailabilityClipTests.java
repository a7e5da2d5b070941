package io.nomadstays.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The consistency check compares stored documents clipped to today's first day with fresh builds. */
class AvailabilityClipTests {

    private static final LocalDate FIRST_DAY = LocalDate.of(2026, 11, 28);

    @Test
    void rangesBeforeTheFirstDayGoAndTheFreeWindowsAreRecomputed() {
        ObjectNode stored = (ObjectNode) Json.MAPPER.readTree("""
                {"unit_id": "u", "unavailable": [
                   {"gte": "2026-11-01", "lt": "2026-11-05"},
                   {"gte": "2026-11-20", "lt": "2026-12-02"},
                   {"gte": "2026-12-10", "lt": "2026-12-12"}],
                 "free_windows": [{"start": "1970-01-01", "end": "2026-11-01", "nights": 20668}],
                 "updated_at": "x"}""");

        StayDocuments.clipAvailability(stored, FIRST_DAY);

        assertThat(stored.get("unavailable").toString()).isEqualTo(
                "[{\"gte\":\"2026-11-28\",\"lt\":\"2026-12-02\"},{\"gte\":\"2026-12-10\",\"lt\":\"2026-12-12\"}]");
        assertThat(stored.get("free_windows").toString()).isEqualTo("[{\"start\":\"1970-01-01\",\"end\":\"2026-11-28\",\"nights\":20785},"
                + "{\"start\":\"2026-12-02\",\"end\":\"2026-12-10\",\"nights\":8},"
                + "{\"start\":\"2026-12-12\",\"end\":\"9999-12-31\",\"nights\":100000}]");
        assertThat(stored.get("unit_id").asString()).isEqualTo("u");
        assertThat(stored.get("updated_at").asString()).isEqualTo("x");
    }

    @Test
    void nothingLeftMeansNoFreeWindowsAndAnEmptyList() {
        ObjectNode stored = (ObjectNode) Json.MAPPER.readTree("""
                {"unavailable": [{"gte": "2026-11-01", "lt": "2026-11-05"}],
                 "free_windows": [{"start": "1970-01-01", "end": "2026-11-01", "nights": 20668}]}""");

        StayDocuments.clipAvailability(stored, FIRST_DAY);

        assertThat(stored.get("unavailable").toString()).isEqualTo("[]");
        assertThat(stored.has("free_windows")).isFalse();
    }

    @Test
    void fewPlacesRangesAreClippedTooAndGoWhenNoneIsLeft() {
        ObjectNode stored = (ObjectNode) Json.MAPPER.readTree("""
                {"unavailable": [], "few_places": [
                   {"start": "2026-11-01", "end": "2026-11-03", "free": 1},
                   {"start": "2026-11-25", "end": "2026-11-30", "free": 2},
                   {"start": "2026-12-01", "end": "2026-12-04", "free": 1}]}""");

        StayDocuments.clipAvailability(stored, FIRST_DAY);

        assertThat(stored.get("few_places").toString()).isEqualTo("[{\"start\":\"2026-11-28\",\"end\":\"2026-11-30\",\"free\":2},"
                + "{\"start\":\"2026-12-01\",\"end\":\"2026-12-04\",\"free\":1}]");

        ObjectNode aged = (ObjectNode) Json.MAPPER.readTree("""
                {"unavailable": [], "few_places": [{"start": "2026-11-01", "end": "2026-11-03", "free": 1}]}""");
        StayDocuments.clipAvailability(aged, FIRST_DAY);
        assertThat(aged.has("few_places")).isFalse();
    }

    /**
     * A group of g is held up by unavailable dates and by dates with fewer than g places left: one
     * set of windows per band of group sizes, recomputed from the clipped ranges.
     */
    @Test
    void groupWindowsHaveABandPerFreeValueFromTheClippedRanges() {
        ObjectNode stored = (ObjectNode) Json.MAPPER.readTree("""
                {"capacity": 4, "unavailable": [{"gte": "2026-12-10", "lt": "2026-12-12"}], "few_places": [
                   {"start": "2026-11-20", "end": "2026-11-29", "free": 2},
                   {"start": "2026-12-01", "end": "2026-12-03", "free": 1},
                   {"start": "2026-12-05", "end": "2026-12-06", "free": 3}],
                 "group_windows": [{"min_guests": 2, "max_guests": 4, "start": "1970-01-01", "end": "2026-11-20", "nights": 20777}]}""");

        StayDocuments.clipAvailability(stored, FIRST_DAY);

        java.util.List<String> windows = new java.util.ArrayList<>();
        stored.get("group_windows").forEach(w -> windows.add(w.get("min_guests").asInt() + "-" + w.get("max_guests").asInt() + " "
                + w.get("start").asString() + ".." + w.get("end").asString() + " " + w.get("nights").asInt()));
        assertThat(windows).containsExactly(
                "2-2 1970-01-01..2026-12-01 20788", "2-2 2026-12-03..2026-12-10 7", "2-2 2026-12-12..9999-12-31 100000",
                "3-3 1970-01-01..2026-11-28 20785", "3-3 2026-11-29..2026-12-01 2", "3-3 2026-12-03..2026-12-10 7",
                "3-3 2026-12-12..9999-12-31 100000",
                "4-4 1970-01-01..2026-11-28 20785", "4-4 2026-11-29..2026-12-01 2", "4-4 2026-12-03..2026-12-05 2",
                "4-4 2026-12-06..2026-12-10 4", "4-4 2026-12-12..9999-12-31 100000");

        ObjectNode aged = (ObjectNode) Json.MAPPER.readTree("""
                {"capacity": 4, "unavailable": [], "few_places": [{"start": "2026-11-01", "end": "2026-11-03", "free": 1}],
                 "group_windows": [{"min_guests": 2, "max_guests": 4, "start": "1970-01-01", "end": "2026-11-01", "nights": 20758}]}""");
        StayDocuments.clipAvailability(aged, FIRST_DAY);
        assertThat(aged.has("group_windows")).as("no places taken any more: the unit's free_windows serve every group").isFalse();
    }

    /** Bands stop at the largest group the unit takes: capacity, and max_guests below it. */
    @Test
    void groupWindowsStopAtMaxGuests() {
        ObjectNode stored = (ObjectNode) Json.MAPPER.readTree("""
                {"capacity": 6, "max_guests": 3, "unavailable": [], "few_places": [
                   {"start": "2026-12-01", "end": "2026-12-03", "free": 1},
                   {"start": "2026-12-05", "end": "2026-12-06", "free": 4}]}""");

        StayDocuments.clipAvailability(stored, FIRST_DAY);

        java.util.Set<String> bands = new java.util.TreeSet<>();
        stored.get("group_windows").forEach(w -> bands.add(w.get("min_guests").asInt() + "-" + w.get("max_guests").asInt()));
        assertThat(bands).as("4 places left blocks no group of up to 3").containsExactly("2-3");

        ObjectNode single = (ObjectNode) Json.MAPPER.readTree("""
                {"capacity": 8, "max_guests": 1, "unavailable": [], "few_places": [{"start": "2026-12-01", "end": "2026-12-03", "free": 1}]}""");
        StayDocuments.clipAvailability(single, FIRST_DAY);
        assertThat(single.has("group_windows")).as("a bed booked one guest at a time").isFalse();
    }

    /**
     * A busy dorm over two years could need more windows than Elasticsearch takes nested documents:
     * the smallest groups' bands are kept within the budget, the largest left out (not offered).
     */
    @Test
    void groupWindowsKeepTheSmallestGroupsWithinTheBudget() {
        StringBuilder few = new StringBuilder();
        LocalDate day = FIRST_DAY;
        for (int i = 0; i < 734; i += 2, day = day.plusDays(2)) {
            // One place left every other day for two years (about 350 windows for every group), then
            // 2 to 18 left on one day each: 18 bands of group sizes.
            int free = i < 700 ? 1 : 2 + (i - 700) / 2;
            few.append(few.isEmpty() ? "" : ",").append("{\"start\": \"").append(day).append("\", \"end\": \"")
                    .append(day.plusDays(1)).append("\", \"free\": ").append(free).append('}');
        }
        ObjectNode stored = (ObjectNode) Json.MAPPER.readTree(
                "{\"capacity\": 20, \"max_guests\": 20, \"unavailable\": [], \"few_places\": [" + few + "]}");

        StayDocuments.clipAvailability(stored, FIRST_DAY);

        java.util.List<Integer> mins = new java.util.ArrayList<>();
        stored.get("group_windows").forEach(w -> mins.add(w.get("min_guests").asInt()));
        assertThat(mins.size()).isBetween(StayDocuments.MAX_GROUP_WINDOWS - 400, StayDocuments.MAX_GROUP_WINDOWS);
        assertThat(mins).isSorted().startsWith(2);
        assertThat(mins.get(mins.size() - 1)).as("the largest groups' bands left out").isLessThan(20);
    }
}
