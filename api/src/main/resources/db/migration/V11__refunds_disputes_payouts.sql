-- Refunds of a booking's payments (cancellations), and payouts of the first payment to the
-- operator's bank after check-in. The ledger explains the money; these tables say which payment
-- a refund or payout belongs to (the payout is the first payment less its commission and refunds).

CREATE TABLE refund (
    id               uuid        PRIMARY KEY,
    operator_id      uuid        NOT NULL REFERENCES operator (id),
    booking_id       uuid        NOT NULL,
    payment_id       uuid        NOT NULL REFERENCES payment (id),
    stripe_refund_id text        NOT NULL UNIQUE CHECK (stripe_refund_id ~ '^(re|pyr)_[A-Za-z0-9]+$'),
    -- CANCELLATION: a booking cancelled under its policy (or by the operator).
    reason           text        NOT NULL CHECK (reason IN ('CANCELLATION')),
    amount           bigint      NOT NULL CHECK (amount > 0),
    -- The share of the payment's commission given back with it (Stripe: in proportion to the amount).
    fee_refund       bigint      NOT NULL DEFAULT 0 CHECK (fee_refund >= 0 AND fee_refund <= amount),
    currency         char(3)     NOT NULL REFERENCES currency (code),
    status           text        NOT NULL CHECK (status IN ('PENDING', 'REQUIRES_ACTION', 'SUCCEEDED', 'FAILED', 'CANCELED')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (operator_id, booking_id) REFERENCES booking (operator_id, id)
);
CREATE INDEX refund_booking_idx ON refund (booking_id);
CREATE INDEX refund_payment_idx ON refund (payment_id);

CREATE TABLE payout (
    id                uuid        PRIMARY KEY,
    operator_id       uuid        NOT NULL REFERENCES operator (id),
    booking_id        uuid        NOT NULL,
    -- One payout per payment: the job never pays the same money out twice.
    payment_id        uuid        NOT NULL UNIQUE REFERENCES payment (id),
    -- Null when nothing was left to pay out (refunded in full): no Stripe payout was made.
    stripe_payout_id  text        UNIQUE CHECK (stripe_payout_id ~ '^po_[A-Za-z0-9]+$'),
    stripe_account_id text        NOT NULL CHECK (stripe_account_id ~ '^acct_[A-Za-z0-9]+$'),
    amount            bigint      NOT NULL CHECK (amount >= 0),
    currency          char(3)     NOT NULL REFERENCES currency (code),
    status            text        NOT NULL CHECK (length(status) <= 40),
    created_at        timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (operator_id, booking_id) REFERENCES booking (operator_id, id),
    CHECK ((stripe_payout_id IS NULL) = (amount = 0))
);
CREATE INDEX payout_booking_idx ON payout (booking_id);

-- The payout job looks for first payments that succeeded and have no payout yet.
CREATE INDEX payment_unpaid_out_idx ON payment (booking_id) WHERE purpose = 'FIRST_PAYMENT' AND status = 'SUCCEEDED';
-- The reconciliation re-reads payout accounts not updated for a while.
CREATE INDEX payout_account_updated_idx ON payout_account (updated_at);
-- Disputes arrive with a charge id (and not always the intent's).
CREATE INDEX payment_charge_idx ON payment (stripe_charge_id) WHERE stripe_charge_id IS NOT NULL;
