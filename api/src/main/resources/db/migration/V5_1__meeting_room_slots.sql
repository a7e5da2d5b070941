-- Meeting rooms are booked by the hour in 15-minute slots (docs/bookings.md). Slots are UTC
-- instants: every time zone's offset is a multiple of 15 minutes, so a slot aligned in UTC is
-- aligned on the property's clock too, and DST changes cannot make two slots the same.
-- (Numbered 5.1 so that it lands after V5 on databases that already have V5, before anything later.)

CREATE TABLE unit_slot (
    unit_id      uuid        NOT NULL,
    slot_start   timestamptz NOT NULL CHECK (extract(epoch FROM slot_start)::bigint % 900 = 0),
    operator_id  uuid        NOT NULL,
    capacity     integer     NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
    booked       integer     NOT NULL DEFAULT 0 CHECK (booked >= 0),
    blocks       integer     NOT NULL DEFAULT 0 CHECK (blocks >= 0),
    PRIMARY KEY (unit_id, slot_start),
    CONSTRAINT unit_slot_not_oversold CHECK (booked <= capacity),
    FOREIGN KEY (operator_id, unit_id) REFERENCES unit (operator_id, id)
);

CREATE FUNCTION unit_slot_refuse_blocked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.blocks > 0 AND NEW.booked > COALESCE(OLD.booked, 0) THEN
        RAISE EXCEPTION 'unit % is blocked at %', NEW.unit_id, NEW.slot_start
            USING ERRCODE = 'check_violation', CONSTRAINT = 'unit_slot_not_blocked';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER unit_slot_not_blocked BEFORE INSERT OR UPDATE ON unit_slot
    FOR EACH ROW EXECUTE FUNCTION unit_slot_refuse_blocked();

-- An hourly booking's instants; its check_in/check_out are then the local dates it touches
-- (check_out the day after the last one), for lists and filters, and hold no calendar rows.
ALTER TABLE booking ADD COLUMN starts_at timestamptz;
ALTER TABLE booking ADD COLUMN ends_at timestamptz;
ALTER TABLE booking ADD CONSTRAINT booking_hours CHECK ((starts_at IS NULL) = (ends_at IS NULL) AND (starts_at IS NULL OR ends_at > starts_at));

-- Room types: a unit with capacity N (say "private room, 12 of them") is booked as a type, and
-- staff assign each booking to one of its rooms later. Rooms are units whose room_type_id points at
-- the type; an assignment takes the room's own calendar rows, so two bookings can never share a
-- room on the same night either.
ALTER TABLE unit ADD COLUMN room_type_id uuid;
ALTER TABLE unit ADD CONSTRAINT unit_room_type_fk FOREIGN KEY (operator_id, room_type_id) REFERENCES unit (operator_id, id);
ALTER TABLE unit ADD CONSTRAINT unit_not_own_room_type CHECK (room_type_id IS NULL OR room_type_id <> id);
CREATE INDEX unit_room_type_idx ON unit (room_type_id) WHERE room_type_id IS NOT NULL;
ALTER TABLE booking ADD COLUMN assigned_unit_id uuid;
ALTER TABLE booking ADD CONSTRAINT booking_assigned_unit_fk FOREIGN KEY (operator_id, assigned_unit_id) REFERENCES unit (operator_id, id);
