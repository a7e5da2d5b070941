-- Payments foundation (docs/payments.md, docs/adr/0010): operators' Stripe Connect accounts, the
-- webhook events already handled (dedup), the append-only ledger and the booking's payment intents.
-- Amounts are signed minor units of a currency of the currency table, never converted.

-- One Stripe Express account per operator, as last read from Stripe.
CREATE TABLE payout_account (
    operator_id       uuid        PRIMARY KEY REFERENCES operator (id),
    stripe_account_id text        NOT NULL UNIQUE CHECK (stripe_account_id ~ '^acct_[A-Za-z0-9]+$'),
    charges_enabled   boolean     NOT NULL DEFAULT false,
    payouts_enabled   boolean     NOT NULL DEFAULT false,
    details_submitted boolean     NOT NULL DEFAULT false,
    requirements_due  text[]      NOT NULL DEFAULT '{}',
    disabled_reason   text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Every Stripe event handled, inserted in the same transaction as its effect: a second delivery
-- of the same event id finds its row and changes nothing.
CREATE TABLE stripe_event (
    id           text        PRIMARY KEY CHECK (id ~ '^evt_[A-Za-z0-9_]+$'),
    type         text        NOT NULL CHECK (length(type) <= 100),
    account      text,
    object_id    text,
    created_at   timestamptz NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz,
    -- HANDLED: its effect is committed with this row; IGNORED: a type we do not act on (yet).
    outcome      text        NOT NULL CHECK (outcome IN ('HANDLED', 'IGNORED'))
);
CREATE INDEX stripe_event_received_idx ON stripe_event (received_at);

-- The booking's Stripe payment intents (first payment, deposit, ...). No client secret is stored:
-- it is handed to the frontend once and can be read again from Stripe.
CREATE TABLE payment (
    id                       uuid        PRIMARY KEY,
    operator_id              uuid        NOT NULL REFERENCES operator (id),
    booking_id               uuid        NOT NULL,
    stripe_payment_intent_id text        UNIQUE CHECK (stripe_payment_intent_id ~ '^pi_[A-Za-z0-9]+$'),
    purpose                  text        NOT NULL CHECK (purpose IN ('FIRST_PAYMENT', 'DEPOSIT', 'RENT', 'CLAIM')),
    attempt                  integer     NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    amount                   bigint      NOT NULL CHECK (amount > 0),
    currency                 char(3)     NOT NULL REFERENCES currency (code),
    application_fee          bigint      NOT NULL DEFAULT 0 CHECK (application_fee >= 0 AND application_fee <= amount),
    status                   text        NOT NULL CHECK (status IN ('REQUIRES_PAYMENT_METHOD', 'REQUIRES_CONFIRMATION',
                                                   'REQUIRES_ACTION', 'PROCESSING', 'REQUIRES_CAPTURE', 'SUCCEEDED', 'CANCELED')),
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE (operator_id, id),
    UNIQUE (booking_id, purpose, attempt),
    FOREIGN KEY (operator_id, booking_id) REFERENCES booking (operator_id, id)
);

-- Every money movement of an operator, signed as it changes what the operator is owed (+ credits
-- the operator, - debits it), with the Stripe object that moved it. Append-only: corrections are
-- new rows (a REFUND against a CHARGE), never updates; the trigger below refuses UPDATE and DELETE.
CREATE TABLE ledger_entry (
    id               uuid        PRIMARY KEY,
    operator_id      uuid        NOT NULL REFERENCES operator (id),
    booking_id       uuid,
    kind             text        NOT NULL CHECK (kind IN ('CHARGE', 'APPLICATION_FEE', 'REFUND', 'FEE_REFUND', 'DEPOSIT_HOLD',
                                                          'DEPOSIT_CLAIM', 'DEPOSIT_RELEASE', 'RENT', 'DISPUTE', 'DISPUTE_WON', 'PAYOUT')),
    amount           bigint      NOT NULL,
    currency         char(3)     NOT NULL REFERENCES currency (code),
    stripe_object_id text        CHECK (length(stripe_object_id) <= 255),
    occurred_at      timestamptz NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    note             text        CHECK (length(note) <= 1000),
    FOREIGN KEY (operator_id, booking_id) REFERENCES booking (operator_id, id),
    -- One row per Stripe object and kind: a webhook delivered twice cannot record a movement twice.
    UNIQUE (stripe_object_id, kind)
);
CREATE INDEX ledger_entry_operator_idx ON ledger_entry (operator_id, occurred_at);
CREATE INDEX ledger_entry_booking_idx ON ledger_entry (booking_id, occurred_at) WHERE booking_id IS NOT NULL;

CREATE FUNCTION ledger_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger_entry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER ledger_entry_no_update_or_delete BEFORE UPDATE OR DELETE ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_append_only();
