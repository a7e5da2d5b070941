-- Payouts of rent and deposit claims (docs/payments-refunds.md, "Payout timing"): connected accounts
-- have manual payouts, so everything that lands in an operator's Stripe balance must be paid out by
-- the payout job, not only first payments. A payout belongs to one payment (FIRST_PAYMENT, RENT, or
-- a card-on-file CLAIM charge) or, for the claimed part of a COLLECTED deposit (a transfer, which
-- has no `payment` row), to the booking's deposit claim. Each is unique: never paid out twice.

ALTER TABLE payout
    ADD COLUMN purpose text NOT NULL DEFAULT 'FIRST_PAYMENT'
        CHECK (purpose IN ('FIRST_PAYMENT', 'RENT', 'CLAIM', 'CLAIM_TRANSFER'));
ALTER TABLE payout ALTER COLUMN purpose DROP DEFAULT;

ALTER TABLE payout ALTER COLUMN payment_id DROP NOT NULL;
-- deposit_claim is keyed by its booking: one claim per booking, hence one payout per claim.
ALTER TABLE payout ADD COLUMN deposit_claim_id uuid UNIQUE REFERENCES deposit_claim (booking_id);
ALTER TABLE payout ADD CONSTRAINT payout_source_check CHECK (
    CASE WHEN purpose = 'CLAIM_TRANSFER'
         THEN payment_id IS NULL AND deposit_claim_id = booking_id
         ELSE payment_id IS NOT NULL AND deposit_claim_id IS NULL END);

-- The payout job looks for succeeded payments of these purposes that have no payout yet.
DROP INDEX payment_unpaid_out_idx;
CREATE INDEX payment_unpaid_out_idx ON payment (booking_id) WHERE purpose IN ('FIRST_PAYMENT', 'RENT', 'CLAIM') AND status = 'SUCCEEDED';
