-- Availability and bookings (docs/bookings.md). PostgreSQL is the only judge of what is free:
-- every night (or day) a unit has sold or blocked is a row of unit_calendar, and a CHECK plus a
-- trigger on that row refuse overselling whatever the application does.

-- How each unit is booked.
ALTER TABLE unit ADD COLUMN booking_mode text NOT NULL DEFAULT 'INSTANT'
    CHECK (booking_mode IN ('INSTANT', 'REQUEST'));
ALTER TABLE unit ADD COLUMN cancellation_policy text NOT NULL DEFAULT 'MODERATE'
    CHECK (cancellation_policy IN ('FLEXIBLE', 'MODERATE', 'STRICT', 'LONG_STAY'));
-- Nights kept free after every stay (cleaning, turnover); a booking occupies them too.
ALTER TABLE unit ADD COLUMN preparation_days integer NOT NULL DEFAULT 0 CHECK (preparation_days BETWEEN 0 AND 30);
-- Request-to-book: what the operator asks the nomad (purpose of stay, occupation, ...).
ALTER TABLE unit ADD COLUMN booking_questions text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(booking_questions) <= 10);

-- One row per unit and local date (a night for rooms, a day for desks) that has any booking or
-- block; a date without a row is entirely free. capacity is the unit's, copied so that the CHECK
-- can see it (updateUnit rewrites future rows, and fails when bookings would exceed a lower one).
CREATE TABLE unit_calendar (
    unit_id      uuid    NOT NULL,
    day          date    NOT NULL,
    operator_id  uuid    NOT NULL,
    capacity     integer NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
    -- Capacity taken by requested, held, confirmed, checked-in and completed bookings.
    booked       integer NOT NULL DEFAULT 0 CHECK (booked >= 0),
    -- How many blocks (operator or imported calendar) cover the date; any block closes it.
    blocks       integer NOT NULL DEFAULT 0 CHECK (blocks >= 0),
    PRIMARY KEY (unit_id, day),
    CONSTRAINT unit_calendar_not_oversold CHECK (booked <= capacity),
    FOREIGN KEY (operator_id, unit_id) REFERENCES unit (operator_id, id)
);

-- A blocked date takes no new booking, whichever code path tries. Blocks may close dates that
-- already have bookings (the rest of a dorm, say); those bookings stay.
CREATE FUNCTION unit_calendar_refuse_blocked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.blocks > 0 AND NEW.booked > COALESCE(OLD.booked, 0) THEN
        RAISE EXCEPTION 'unit % is blocked on %', NEW.unit_id, NEW.day
            USING ERRCODE = 'check_violation', CONSTRAINT = 'unit_calendar_not_blocked';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER unit_calendar_not_blocked BEFORE INSERT OR UPDATE ON unit_calendar
    FOR EACH ROW EXECUTE FUNCTION unit_calendar_refuse_blocked();

-- Dates closed by the operator (blockDates) or by an imported external calendar (feed_id set).
CREATE TABLE unit_block (
    id            uuid        PRIMARY KEY,
    operator_id   uuid        NOT NULL,
    unit_id       uuid        NOT NULL,
    start_date    date        NOT NULL,
    end_date      date        NOT NULL,
    source        text        NOT NULL CHECK (source IN ('OPERATOR', 'FEED')),
    feed_id       uuid,
    -- The UID of the imported event, so a re-import updates instead of duplicating.
    external_uid  text        CHECK (length(external_uid) <= 1000),
    note          text        NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    created_by    uuid        REFERENCES app_user (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (end_date > start_date AND end_date - start_date <= 731),
    CHECK ((source = 'FEED') = (feed_id IS NOT NULL)),
    UNIQUE (operator_id, id),
    FOREIGN KEY (operator_id, unit_id) REFERENCES unit (operator_id, id)
);
CREATE INDEX unit_block_unit_idx ON unit_block (unit_id, start_date);

CREATE TABLE booking (
    id                   uuid        PRIMARY KEY,
    operator_id          uuid        NOT NULL,
    unit_id              uuid        NOT NULL,
    property_id          uuid        NOT NULL,
    guest_id             uuid        NOT NULL REFERENCES app_user (id),
    status               text        NOT NULL CHECK (status IN ('REQUESTED', 'HELD', 'CONFIRMED', 'CHECKED_IN', 'COMPLETED',
                                                               'CANCELLED_BY_GUEST', 'CANCELLED_BY_OPERATOR', 'DECLINED', 'EXPIRED')),
    mode                 text        NOT NULL CHECK (mode IN ('INSTANT', 'REQUEST')),
    check_in             date        NOT NULL,
    check_out            date        NOT NULL,
    -- check_out plus the unit's preparation days: the calendar rows this booking holds end here.
    occupied_until       date        NOT NULL,
    guests               integer     NOT NULL CHECK (guests BETWEEN 1 AND 100),
    -- Capacity taken: guests for beds and desks sold per person, 1 for rooms, apartments, offices.
    quantity             integer     NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    currency             char(3)     NOT NULL REFERENCES currency (code),
    total                bigint      NOT NULL CHECK (total >= 0),
    deposit              bigint      NOT NULL CHECK (deposit >= 0),
    -- The quote charged (line items) and the price list it was made from, so an extension keeps
    -- the original monthly rate and a later price change never rewrites a booking.
    quote                jsonb       NOT NULL,
    pricing              jsonb       NOT NULL,
    cancellation_policy  text        NOT NULL,
    questions            text[]      NOT NULL DEFAULT '{}',
    answers              text[]      NOT NULL DEFAULT '{}',
    hold_expires_at      timestamptz,
    request_expires_at   timestamptz,
    decline_reason       text        CHECK (length(decline_reason) <= 1000),
    cancel_reason        text        CHECK (length(cancel_reason) <= 1000),
    -- What is owed back on cancellation, in minor units of currency (the payments issue moves it).
    refund_amount        bigint      CHECK (refund_amount >= 0),
    refund_bps           integer     CHECK (refund_bps BETWEEN 0 AND 10000),
    idempotency_key      text        CHECK (length(idempotency_key) BETWEEN 1 AND 100),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    confirmed_at         timestamptz,
    cancelled_at         timestamptz,
    CHECK (check_out > check_in AND occupied_until >= check_out),
    CHECK (quantity <= guests OR quantity = 1),
    UNIQUE (operator_id, id),
    UNIQUE (guest_id, idempotency_key),
    FOREIGN KEY (operator_id, unit_id) REFERENCES unit (operator_id, id),
    FOREIGN KEY (operator_id, property_id) REFERENCES property (operator_id, id)
);
CREATE INDEX booking_guest_idx ON booking (guest_id, created_at DESC, id);
CREATE INDEX booking_operator_idx ON booking (operator_id, check_in, id);
CREATE INDEX booking_unit_idx ON booking (unit_id, check_in);
CREATE INDEX booking_hold_idx ON booking (hold_expires_at) WHERE status = 'HELD';
CREATE INDEX booking_request_idx ON booking (request_expires_at) WHERE status = 'REQUESTED';

-- Every state change of a booking, with who made it: the history both sides see.
CREATE TABLE booking_event (
    id           bigserial   PRIMARY KEY,
    booking_id   uuid        NOT NULL REFERENCES booking (id),
    operator_id  uuid        NOT NULL,
    from_status  text,
    to_status    text        NOT NULL,
    actor        text        NOT NULL CHECK (actor IN ('GUEST', 'STAFF', 'SYSTEM')),
    actor_id     uuid        REFERENCES app_user (id),
    note         text        NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX booking_event_booking_idx ON booking_event (booking_id, id);

-- Scheduled jobs (hold expiry, calendar imports, reconciliation) take a lease here, so that with
-- several api instances only one runs each job at a time.
CREATE TABLE job_lease (
    name        text        PRIMARY KEY,
    holder      text        NOT NULL,
    expires_at  timestamptz NOT NULL
);
