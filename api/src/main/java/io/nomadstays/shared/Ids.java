package io.nomadstays.shared;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * UUIDv7 identifiers: 48 bits of Unix milliseconds, then random bits. Time-ordered ids keep
 * B-tree inserts local and make keyset pagination by id follow creation order (docs/adr/0005).
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static UUID newId() {
        return at(Instant.now().toEpochMilli(), RANDOM.nextLong(), RANDOM.nextLong());
    }

    /**
     * A UUIDv7 with the given millisecond timestamp and low bits. Used by data generators that
     * need the same id for the same input on every run (so they can resume).
     */
    public static UUID at(long epochMillis, long randA, long randB) {
        long msb = (epochMillis << 16) | 0x7000L | (randA & 0x0FFFL);
        long lsb = (randB & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
