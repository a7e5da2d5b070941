/**
 * The ledger: every money movement of an operator (charge, commission, refund, deposit, claim,
 * rent instalment, dispute, payout) as an append-only row of {@code ledger_entry} with the Stripe
 * object that moved it, in minor units of the currency it was charged in. Read as
 * {@code Booking.payments} and {@code Operator.balance}; written by the payments flows through
 * {@link io.nomadstays.ledger.Ledger#append}.
 */
package io.nomadstays.ledger;
