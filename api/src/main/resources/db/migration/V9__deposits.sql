-- Deposits (docs/payments-deposits.md): how each unit takes its deposit, the mode copied onto each
-- booking, the deposit's state per booking, and staff's claims against it.

-- CARD_ON_FILE (the default): nothing is charged; a claim after check-out charges the card saved by
-- the first payment. COLLECTED: the deposit is charged at booking, kept by the platform, refunded
-- after check-out (less any claim).
ALTER TABLE unit
    ADD COLUMN deposit_mode text NOT NULL DEFAULT 'CARD_ON_FILE' CHECK (deposit_mode IN ('CARD_ON_FILE', 'COLLECTED'));

-- Copied from the unit when the booking is stored: changing the unit's mode never rewrites a booking.
ALTER TABLE booking
    ADD COLUMN deposit_mode text NOT NULL DEFAULT 'CARD_ON_FILE' CHECK (deposit_mode IN ('CARD_ON_FILE', 'COLLECTED'));

-- What happened to a booking's deposit. No row: nothing yet (ON_FILE for card on file, PENDING
-- for a deposit to collect). The amount is the booking's (booking.deposit), never stored twice.
CREATE TABLE booking_deposit (
    booking_id               uuid        PRIMARY KEY,
    operator_id              uuid        NOT NULL,
    status                   text        NOT NULL CHECK (status IN ('PENDING', 'HELD', 'FAILED', 'ON_FILE', 'CLAIMED', 'RELEASED')),
    -- Collection attempts so far (COLLECTED): each attempt is a new payment intent and idempotency key.
    attempts                 integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at          timestamptz,
    stripe_payment_intent_id text        CHECK (stripe_payment_intent_id ~ '^pi_[A-Za-z0-9]+$'),
    stripe_charge_id         text        CHECK (stripe_charge_id ~ '^(ch|py)_[A-Za-z0-9]+$'),
    failure_code             text        CHECK (length(failure_code) <= 100),
    failure_message          text        CHECK (length(failure_message) <= 1000),
    released_at              timestamptz,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (operator_id, booking_id) REFERENCES booking (operator_id, id)
);
-- The collection job looks for deposits to (re)try.
CREATE INDEX booking_deposit_retry_idx ON booking_deposit (next_attempt_at) WHERE status IN ('PENDING', 'FAILED');

-- One claim per booking, filed by staff between check-out and the automatic release. It never
-- exceeds the booking's deposit (checked by the API, which knows the deposit).
CREATE TABLE deposit_claim (
    booking_id       uuid        PRIMARY KEY,
    operator_id      uuid        NOT NULL,
    total            bigint      NOT NULL CHECK (total > 0),
    currency         char(3)     NOT NULL REFERENCES currency (code),
    note             text        NOT NULL CHECK (length(note) BETWEEN 1 AND 1000),
    -- PAID: the money reached the operator. FAILED: the card on file was declined (both sides see it).
    status           text        NOT NULL CHECK (status IN ('PAID', 'FAILED')),
    failure_code     text        CHECK (length(failure_code) <= 100),
    failure_message  text        CHECK (length(failure_message) <= 1000),
    -- The charge's payment intent (card on file) or the transfer (collected deposit).
    stripe_object_id text        CHECK (length(stripe_object_id) <= 255),
    -- The rest of a collected deposit given back to the nomad.
    stripe_refund_id text        CHECK (stripe_refund_id ~ '^re_[A-Za-z0-9]+$'),
    created_by       uuid        NOT NULL REFERENCES app_user (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (operator_id, booking_id) REFERENCES booking (operator_id, id)
);

CREATE TABLE deposit_claim_item (
    booking_id  uuid    NOT NULL REFERENCES deposit_claim (booking_id),
    position    integer NOT NULL CHECK (position BETWEEN 0 AND 19),
    description text    NOT NULL CHECK (length(description) BETWEEN 1 AND 200),
    amount      bigint  NOT NULL CHECK (amount > 0),
    PRIMARY KEY (booking_id, position)
);
