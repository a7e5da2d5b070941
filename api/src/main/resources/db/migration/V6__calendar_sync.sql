-- Calendar sync with other listing sites (docs/calendar-sync.md): every unit exports an
-- iCalendar feed at a secret URL, and staff add external feeds whose events become blocks.

-- The secret in the unit's export URL: 32 bytes, base64url without padding (43 characters).
-- gen_random_uuid() draws from the server's strong random source and is built in from
-- PostgreSQL 13 on, so this needs no pgcrypto; two of them (244 random bits) hashed give 32
-- bytes. The default is volatile, so every existing row gets a token of its own, and every new
-- unit too whichever code inserts it; rotation is `SET ical_token = DEFAULT`.
ALTER TABLE unit ADD COLUMN ical_token text NOT NULL
    DEFAULT rtrim(translate(encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'base64'),
                            '+/', '-_'), '=');
ALTER TABLE unit ADD CONSTRAINT unit_ical_token_key UNIQUE (ical_token);

-- An external calendar (another listing site's export) imported into a unit's blocks. The
-- last_* columns are the feed's health as staff see it; a failed import only touches those.
CREATE TABLE calendar_feed (
    id               uuid        PRIMARY KEY,
    operator_id      uuid        NOT NULL,
    unit_id          uuid        NOT NULL,
    url              text        NOT NULL CHECK (length(url) <= 2000 AND url ~* '^https?://'),
    name             text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_by       uuid        REFERENCES app_user (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    last_attempt_at  timestamptz,
    last_success_at  timestamptz,
    -- Events that are blocks now (as of the last successful import).
    events_imported  integer     NOT NULL DEFAULT 0 CHECK (events_imported >= 0),
    -- Events of the last successful import left out (too far ahead, no dates, duplicates).
    events_skipped   integer     NOT NULL DEFAULT 0 CHECK (events_skipped >= 0),
    -- Imported blocks that cover dates already booked here: a double sale to sort out by hand.
    conflicts        integer     NOT NULL DEFAULT 0 CHECK (conflicts >= 0),
    last_warning     text        CHECK (length(last_warning) <= 2000),
    last_error       text        CHECK (length(last_error) <= 2000),
    UNIQUE (unit_id, url),
    UNIQUE (operator_id, id),
    FOREIGN KEY (operator_id, unit_id) REFERENCES unit (operator_id, id)
);
CREATE INDEX calendar_feed_unit_idx ON calendar_feed (unit_id, created_at);

-- No ON DELETE action on purpose: a feed's blocks must go through the application first, which
-- gives their dates back in unit_calendar.blocks; the key refuses a delete that skipped that.
ALTER TABLE unit_block ADD CONSTRAINT unit_block_feed_fkey
    FOREIGN KEY (operator_id, feed_id) REFERENCES calendar_feed (operator_id, id);
CREATE INDEX unit_block_feed_idx ON unit_block (feed_id) WHERE feed_id IS NOT NULL;
