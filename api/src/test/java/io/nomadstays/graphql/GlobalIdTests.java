package io.nomadstays.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class GlobalIdTests {

    @Test
    void roundTripsTypeAndUuidInTwentyThreeUrlSafeCharacters() {
        UUID uuid = UUID.randomUUID();
        String id = GlobalId.encode(GlobalId.Type.PROPERTY, uuid);
        assertThat(id).hasSize(23).matches("[A-Za-z0-9_-]+");
        assertThat(GlobalId.parse(id)).contains(new GlobalId(GlobalId.Type.PROPERTY, uuid));
    }

    @Test
    void theSameRowHasDifferentIdsPerType() {
        UUID uuid = UUID.randomUUID();
        assertThat(GlobalId.encode(GlobalId.Type.UNIT, uuid)).isNotEqualTo(GlobalId.encode(GlobalId.Type.STAY, uuid));
    }

    @Test
    void rejectsAnythingElse() {
        assertThat(GlobalId.parse(null)).isEmpty();
        assertThat(GlobalId.parse("")).isEmpty();
        assertThat(GlobalId.parse("!!!!!!!!!!!!!!!!!!!!!!!")).isEmpty();
        assertThat(GlobalId.parse(UUID.randomUUID().toString())).isEmpty();
        // a valid encoding with an unknown type byte
        assertThat(GlobalId.parse("_wAAAAAAAAAAAAAAAAAAAAA")).isEmpty();
    }
}
