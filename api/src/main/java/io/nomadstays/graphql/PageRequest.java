package io.nomadstays.graphql;

import java.util.UUID;

/**
 * A validated {@code first}/{@code after} pair. Keyset pagination by id: UUIDv7 ids are
 * creation-ordered, so pages stay stable while rows are added.
 */
public record PageRequest(int first, UUID after) {

    public static final int DEFAULT_PAGE_SIZE = 20;
    public static final int MAX_PAGE_SIZE = 100;

    public static PageRequest of(Integer first, String after) {
        int size = first == null ? DEFAULT_PAGE_SIZE : first;
        if (size < 0 || size > MAX_PAGE_SIZE) {
            throw new ApiException(UserErrorCode.OUT_OF_RANGE,
                    "'first' must be between 0 and " + MAX_PAGE_SIZE + ", got " + size);
        }
        return new PageRequest(size, after == null ? null : Connection.decodeCursor(after));
    }

    /** Rows to fetch: one more than asked, to learn whether a next page exists. */
    public int limit() {
        return first + 1;
    }
}
