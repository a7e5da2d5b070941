package io.nomadstays.calendarsync;

import io.nomadstays.graphql.GlobalId;
import java.time.Instant;
import java.util.UUID;

/** An external iCalendar feed imported into a unit's blocks, with the health of its last imports. */
public record CalendarFeed(UUID uuid, UUID operatorId, UUID unitId, String url, String name, Instant createdAt,
                           Instant lastAttemptAt, Instant lastSuccessAt, int eventsImported, int eventsSkipped,
                           int conflicts, String lastWarning, String lastError) {

    public String id() {
        return GlobalId.encode(GlobalId.Type.CALENDAR_FEED, uuid);
    }
}
