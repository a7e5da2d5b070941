package io.nomadstays.demo;

/** The values allowed by the CHECK on {@code unit.type}. */
enum UnitType {
    PRIVATE_ROOM, SHARED_ROOM, BED, STUDIO, APARTMENT, HOT_DESK, DEDICATED_DESK, PRIVATE_OFFICE, MEETING_ROOM;

    boolean isWorkspace() {
        return this == HOT_DESK || this == DEDICATED_DESK || this == PRIVATE_OFFICE || this == MEETING_ROOM;
    }
}
