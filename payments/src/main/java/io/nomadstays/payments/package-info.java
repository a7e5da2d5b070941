/**
 * Payments: Stripe Connect for operators, deposits, rent and the booking ledger.
 *
 * <p>Only the module boundary exists so far; the payments issue fills it. Stripe is reached
 * through instance clients ({@code StripeClient}), never the static {@code Stripe.apiKey}, so
 * tests can point it at WireMock.
 */
package io.nomadstays.payments;
