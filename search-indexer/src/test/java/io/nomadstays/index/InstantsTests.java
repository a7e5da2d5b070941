package io.nomadstays.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstantsTests {

    @Test
    void writesExactlyWhatInstantToStringWrites() {
        SplittableRandom random = new SplittableRandom(20261129);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(-62_135_596_800L - 86_400 * 400L, 253_402_300_800L + 86_400 * 400L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertThat(Instants.iso(instant)).as("%d s %d ns", seconds, nanos).isEqualTo(instant.toString());
        }
    }

    @Test
    void edgesOfTheFastPathAndNull() {
        for (String text : new String[] {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999999Z", "2024-02-29T12:00:00.100Z", "+10000-01-01T00:00:00Z", "0000-12-31T23:59:59Z"}) {
            Instant instant = Instant.parse(text);
            assertThat(Instants.iso(instant)).isEqualTo(instant.toString()).isEqualTo(text);
        }
        assertThat(Instants.iso(null)).isNull();
    }

    @Test
    void readsMicrosecondsOnEitherSideOfTheEpoch() {
        assertThat(Instants.ofMicros(1_764_354_117_869_162L)).isEqualTo(Instant.parse("2025-11-28T18:21:57.869162Z"));
        assertThat(Instants.ofMicros(-1L)).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
        assertThat(Instants.ofMicros(0L)).isEqualTo(Instant.EPOCH);
    }
}
