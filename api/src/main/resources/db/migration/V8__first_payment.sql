-- The first payment of a booking (docs/payments.md): the nomad's Stripe customer, the card saved
-- for later off-session charges, and what Stripe said about each payment intent.

-- One Stripe customer per nomad, created on their first payment.
CREATE TABLE stripe_customer (
    user_id            uuid        PRIMARY KEY REFERENCES app_user (id),
    stripe_customer_id text        NOT NULL UNIQUE CHECK (stripe_customer_id ~ '^cus_[A-Za-z0-9]+$'),
    created_at         timestamptz NOT NULL DEFAULT now()
);

-- The card the first payment saved (setup_future_usage=off_session): rent and deposit claims
-- charge it off-session. Only Stripe's ids, never card data.
ALTER TABLE booking
    ADD COLUMN stripe_customer_id text CHECK (stripe_customer_id ~ '^cus_[A-Za-z0-9]+$'),
    ADD COLUMN payment_method_id  text CHECK (payment_method_id ~ '^pm_[A-Za-z0-9_]+$');

-- A payment is one intent of one purpose; `sequence` numbers repeated purposes (rent month 1, 2,
-- ...) and `attempt` new intents for the same thing after one was abandoned.
ALTER TABLE payment
    ADD COLUMN sequence         integer NOT NULL DEFAULT 1 CHECK (sequence >= 1),
    ADD COLUMN stripe_charge_id text CHECK (stripe_charge_id ~ '^(ch|py)_[A-Za-z0-9]+$'),
    ADD COLUMN failure_code     text CHECK (length(failure_code) <= 100),
    ADD COLUMN failure_message  text CHECK (length(failure_message) <= 1000),
    DROP CONSTRAINT payment_booking_id_purpose_attempt_key,
    ADD CONSTRAINT payment_booking_purpose_sequence_attempt_key UNIQUE (booking_id, purpose, sequence, attempt);
CREATE INDEX payment_booking_idx ON payment (booking_id);
-- The reconciliation job reads the intents that are not final yet.
CREATE INDEX payment_open_idx ON payment (updated_at) WHERE status NOT IN ('SUCCEEDED', 'CANCELED');

-- The booking id a client's idempotency key stands for, kept before Stripe is called: a retried
-- createBooking whose first attempt never stored its booking (Stripe timed out) gets the same
-- booking id, hence the same Stripe idempotency key and the same payment intent.
CREATE TABLE booking_request (
    guest_id        uuid        NOT NULL REFERENCES app_user (id),
    idempotency_key text        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 100),
    booking_id      uuid        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (guest_id, idempotency_key)
);
