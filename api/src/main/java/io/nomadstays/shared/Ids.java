package io.nomadstays.shared;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * UUIDv7 identifiers: 48 bits of Unix milliseconds, then random bits. Time-ordered ids keep
 * B-tree inserts local and make keyset pagination by id follow creation order (docs/adr/0005).
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** The last (milliseconds << 12 | counter) handed out: ids of one process never go backwards (RFC 9562, 6.2 method 1). */
    private static final AtomicLong LAST = new AtomicLong();

    private Ids() {
    }

    /**
     * A new id, greater than every id this process made before: within one millisecond the 12
     * bits after the timestamp count up (from a random start below 1024), so rows created in the
     * same millisecond still page in creation order.
     */
    public static UUID newId() {
        long now = Instant.now().toEpochMilli() << 12;
        long next = LAST.updateAndGet(last -> last >= now ? last + 1 : now | RANDOM.nextInt(1024));
        return at(next >>> 12, next & 0x0FFFL, RANDOM.nextLong());
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
