package io.nomadstays.calendarsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which events of a feed become blocks, and what is reported about the rest. */
class ImportPlanTests {

    private static final LocalDate TODAY = LocalDate.of(2030, 6, 1);

    static IcsParser.Event event(String uid, LocalDate start, LocalDate end) {
        return new IcsParser.Event(uid, start, end, false, null, null);
    }

    static ImportPlan plan(IcsParser.Event... events) throws Exception {
        return ImportPlan.of(new IcsParser.Calendar(null, List.of(events)), TODAY, 2000);
    }

    @Test
    void pastAndCancelledEventsAreLeftOutSilently() throws Exception {
        var plan = plan(event("past", TODAY.minusDays(10), TODAY),
                new IcsParser.Event("cancelled", TODAY, TODAY.plusDays(2), true, null, null),
                event("ongoing", TODAY.minusDays(2), TODAY.plusDays(1)));
        assertThat(plan.blocks()).containsOnlyKeys("ongoing");
        assertThat(plan.blocks().get("ongoing")).isEqualTo(new ImportPlan.Range(TODAY.minusDays(2), TODAY.plusDays(1)));
        assertThat(plan.skipped()).isZero();
        assertThat(plan.warning()).isNull();
    }

    @Test
    void eventsBeyondTheHorizonAreSkippedAndEndlessOnesCut() throws Exception {
        LocalDate horizon = TODAY.plusDays(731);
        var plan = plan(event("century", TODAY.plusYears(100), TODAY.plusYears(100).plusDays(3)),
                event("endless", TODAY.plusDays(5), TODAY.plusYears(100)),
                event("long-ago", TODAY.minusYears(5), TODAY.plusDays(30)),
                event("fine", TODAY.plusDays(1), TODAY.plusDays(2)));
        assertThat(plan.blocks()).containsOnlyKeys("endless", "long-ago", "fine");
        assertThat(plan.blocks().get("endless")).isEqualTo(new ImportPlan.Range(TODAY.plusDays(5), horizon));
        // A block spans at most 731 days: one that began years ago starts today.
        assertThat(plan.blocks().get("long-ago")).isEqualTo(new ImportPlan.Range(TODAY, TODAY.plusDays(30)));
        assertThat(plan.skipped()).isEqualTo(1);
        assertThat(plan.clipped()).isEqualTo(1);
        assertThat(plan.warning()).contains("1 skipped: starting more than two years ahead").contains("1 cut at " + horizon);
    }

    @Test
    void undatedEventsAndDuplicatesAreCounted() throws Exception {
        var plan = plan(new IcsParser.Event("bad", null, null, false, null, "DTSTART 'soon' is not a DATE or DATE-TIME"),
                event("twice", TODAY.plusDays(1), TODAY.plusDays(3)), event("twice", TODAY.plusDays(7), TODAY.plusDays(9)));
        assertThat(plan.blocks().get("twice")).isEqualTo(new ImportPlan.Range(TODAY.plusDays(1), TODAY.plusDays(3)));
        assertThat(plan.skipped()).isEqualTo(2);
        assertThat(plan.warning()).contains("no usable dates (DTSTART 'soon'").contains("the same UID twice");
    }

    @Test
    void tooManyEventsRefuseTheWholeImport() {
        List<IcsParser.Event> events = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            events.add(event("e" + i, TODAY.plusDays(i), TODAY.plusDays(i + 1)));
        }
        assertThatThrownBy(() -> ImportPlan.of(new IcsParser.Calendar(null, events), TODAY, 10))
                .isInstanceOf(ImportPlan.TooManyEvents.class).hasMessageContaining("11 events");
    }
}
