package io.nomadstays.booking;

import io.nomadstays.graphql.GlobalId;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** Dates [startDate, endDate) of a unit closed by staff or by an imported calendar feed. */
public record CalendarBlock(UUID uuid, UUID operatorId, UUID unitId, LocalDate startDate, LocalDate endDate, Source source,
                            UUID feedId, String note, Instant createdAt) {

    public enum Source { OPERATOR, FEED }

    public String id() {
        return GlobalId.encode(GlobalId.Type.BLOCK, uuid);
    }
}
