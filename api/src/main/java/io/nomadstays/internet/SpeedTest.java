package io.nomadstays.internet;

import io.nomadstays.graphql.GlobalId;
import java.time.Instant;
import java.util.UUID;

/** One measurement of a property's (or unit's) internet. */
public record SpeedTest(UUID uuid, UUID operatorId, UUID propertyId, UUID unitId, double downloadMbps, double uploadMbps,
                        Double latencyMs, Instant measuredAt, Source source) {

    public enum Source { OPERATOR, GUEST, PROBE }

    public String id() {
        return GlobalId.encode(GlobalId.Type.SPEED_TEST, uuid);
    }
}
