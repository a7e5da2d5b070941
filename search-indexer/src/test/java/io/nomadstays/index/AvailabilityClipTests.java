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
}
