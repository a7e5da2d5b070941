package io.nomadstays.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StayDisplayTests {

    @Test
    void readsInstantsExactlyAsInstantParseDoes() {
        Random random = new Random(20261128);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L),
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1_000;
                        default -> random.nextInt(1_000_000_000);
                    });
            String text = instant.toString();
            assertThat(StayDisplay.instant(text)).as(text).isEqualTo(Instant.parse(text)).isEqualTo(instant);
        }
        for (String text : new String[] {"2026-11-28T18:21:57Z", "2026-11-28T18:21:57.8Z", "2024-02-29T00:00:00.000000001Z",
                "2026-11-28T18:21:57.869162Z", "2026-11-28T18:21:57.123456789Z", "2026-11-28T23:59:60Z",
                "2026-11-28T18:21:57+01:00", "+12026-11-28T18:21:57Z", "2026-11-28t18:21:57z", "2026-11-28T24:00:00Z",
                "2026-11-28T18:21:57.Z", "2026-11-28T18:21:57.1234567890Z", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-11-28T18:60:00Z", "2026-11-28T18:21:5xZ", "2026-11-28 18:21:57Z", "2026-00-10T00:00:00Z"}) {
            Instant expected;
            try {
                expected = Instant.parse(text);
            } catch (DateTimeParseException e) {
                assertThatThrownBy(() -> StayDisplay.instant(text)).as(text).isInstanceOf(DateTimeParseException.class);
                continue;
            }
            assertThat(StayDisplay.instant(text)).as(text).isEqualTo(expected);
        }
    }

    @Test
    void refusesWhatInstantParseRefuses() {
        for (String text : new String[] {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-28T18:60:00Z",
                "2026-11-28T18:21:5xZ", "2026-11-28 18:21:57Z"}) {
            assertThatThrownBy(() -> StayDisplay.instant(text)).as(text).isInstanceOf(DateTimeParseException.class);
        }
        assertThat(StayDisplay.instant(null)).isNull();
    }
}
