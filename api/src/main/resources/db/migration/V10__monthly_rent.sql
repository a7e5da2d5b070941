-- Monthly rent (docs/payments-rent.md, docs/adr/0011-rent-schedule.md): a stay longer than a month
-- pays its first month at booking and the following months on their due dates, off-session with
-- the card the first payment saved. One row per month after the first; the charges themselves are
-- `payment` rows (purpose RENT, sequence = the month).
CREATE TABLE rent_instalment (
    id                       uuid        PRIMARY KEY,
    operator_id              uuid        NOT NULL REFERENCES operator (id),
    booking_id               uuid        NOT NULL,
    -- 2 is the second month (1 is the first payment, made at booking).
    sequence                 integer     NOT NULL CHECK (sequence >= 2),
    -- The months are anchored on the move-in day; dates are local to the property, like check-in.
    period_from              date        NOT NULL,
    period_to                date        NOT NULL CHECK (period_to > period_from),
    due_on                   date        NOT NULL,
    amount                   bigint      NOT NULL CHECK (amount > 0),
    currency                 char(3)     NOT NULL REFERENCES currency (code),
    -- SCHEDULED: not charged yet (or Stripe could not be reached); PAST_DUE: a charge failed, retried
    -- at next_attempt_at (null: retries exhausted, the nomad pays with payRent); CANCELLED: the stay
    -- ended before it (cancellation, early move-out).
    status                   text        NOT NULL CHECK (status IN ('SCHEDULED', 'PAID', 'PAST_DUE', 'CANCELLED')),
    -- Charges made so far; the next one's idempotency key is booking:<id>:rent-<sequence>:<attempts + 1>.
    attempts                 integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at          timestamptz,
    stripe_payment_intent_id text        CHECK (stripe_payment_intent_id ~ '^pi_[A-Za-z0-9]+$'),
    failure_code             text        CHECK (length(failure_code) <= 100),
    failure_message          text        CHECK (length(failure_message) <= 1000),
    paid_at                  timestamptz,
    cancelled_at             timestamptz,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE (booking_id, sequence),
    FOREIGN KEY (operator_id, booking_id) REFERENCES booking (operator_id, id),
    CHECK ((status = 'PAID') = (paid_at IS NOT NULL))
);
-- The rent job reads what is due and not settled.
CREATE INDEX rent_instalment_due_idx ON rent_instalment (due_on) WHERE status IN ('SCHEDULED', 'PAST_DUE');
