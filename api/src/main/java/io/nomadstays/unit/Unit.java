package io.nomadstays.unit;

import io.nomadstays.graphql.GlobalId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What is booked. {@code minStay}/{@code maxStay} count units of {@code bookingGranularity}. */
public record Unit(UUID uuid, UUID operatorId, UUID propertyId, String name, String description, UnitType type,
                   int capacity, int maxGuests, BigDecimal sizeM2, boolean furnished, Granularity bookingGranularity,
                   int minStay, Integer maxStay, List<String> amenities, Status status, Instant publishedAt,
                   Instant createdAt, Instant updatedAt, long version) {

    public enum UnitType {
        PRIVATE_ROOM, SHARED_ROOM, BED, STUDIO, APARTMENT, HOT_DESK, DEDICATED_DESK, PRIVATE_OFFICE, MEETING_ROOM;

        Granularity defaultGranularity() {
            return switch (this) {
                case MEETING_ROOM -> Granularity.HOUR;
                case HOT_DESK, DEDICATED_DESK -> Granularity.DAY;
                case PRIVATE_OFFICE -> Granularity.MONTH;
                default -> Granularity.NIGHT;
            };
        }

        /** Places a booking for {@code guests} takes: beds and desks are sold per person, the rest per booking. */
        public int places(int guests) {
            return switch (this) {
                case BED, SHARED_ROOM, HOT_DESK, DEDICATED_DESK -> guests;
                case PRIVATE_ROOM, STUDIO, APARTMENT, PRIVATE_OFFICE, MEETING_ROOM -> 1;
            };
        }

        /** Sold per person: a booking takes one place per guest. */
        public boolean perPerson() {
            return places(2) == 2;
        }
    }

    public enum Granularity { HOUR, NIGHT, DAY, MONTH }

    public enum Status { DRAFT, PUBLISHED, ARCHIVED }

    public String id() {
        return GlobalId.encode(GlobalId.Type.UNIT, uuid);
    }

    public String stayId() {
        return GlobalId.encode(GlobalId.Type.STAY, uuid);
    }

    public boolean published() {
        return status == Status.PUBLISHED;
    }
}
