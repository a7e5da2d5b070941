package io.nomadstays.demo;

import io.nomadstays.shared.Ids;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic UUIDv7s for demo rows, so that a second run finds the rows of the first one.
 * The timestamps lie in the past, away from ids that the application makes with {@link Ids#newId()}.
 */
final class DemoIds {

    /** 2023-06-01T00:00Z: every hand-written demo row. */
    static final long SEED_EPOCH_MILLIS = 1_685_577_600_000L;
    /** 2024-01-01T00:00Z: synthetic row number n has timestamp base + n, so ids follow generation order. */
    static final long SYNTHETIC_EPOCH_MILLIS = 1_704_067_200_000L;

    /** The 12 random-A bits tell apart rows of different tables that share a timestamp. */
    enum Kind {
        UNIT(0x0A1), PROPERTY(0x0B2), SPEED_TEST(0x0C0);

        private final int tag;

        Kind(int tag) {
            this.tag = tag;
        }
    }

    private DemoIds() {
    }

    /** The same id for the same key on every run: the key names the row, e.g. "unit:fangyu/dali/studio". */
    static UUID named(String key) {
        UUID hash = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
        return Ids.at(SEED_EPOCH_MILLIS, hash.getMostSignificantBits(), hash.getLeastSignificantBits());
    }

    /** Synthetic row {@code index} of a kind; {@code ordinal} tells apart several rows of one index (speed tests). */
    static UUID synthetic(Kind kind, long index, int ordinal) {
        if (index < 0 || ordinal < 0 || ordinal > 0x0F) {
            throw new IllegalArgumentException("index " + index + ", ordinal " + ordinal);
        }
        return Ids.at(SYNTHETIC_EPOCH_MILLIS + index, kind.tag + ordinal, SplitMix.mix(index));
    }

    /** SplitMix64's finaliser: a cheap, well-spread 64-bit hash used for ids and per-row random seeds. */
    static final class SplitMix {
        private SplitMix() {
        }

        static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
