package io.nomadstays.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTests {

    @Test
    void idsMadeInTheSameMillisecondStillFollowCreationOrder() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(Ids.newId());
        }
        // Keyset pagination compares ids as PostgreSQL does: as unsigned bytes, i.e. as strings of hex digits.
        List<String> asText = ids.stream().map(UUID::toString).toList();
        assertThat(asText).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void theyAreVersion7WithTheirTimestamp() {
        long before = Instant.now().toEpochMilli();
        UUID id = Ids.newId();
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, Instant.now().toEpochMilli() + 5);
    }
}
