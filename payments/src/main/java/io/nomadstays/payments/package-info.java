/**
 * Payments: Stripe Connect for operators, deposits, rent and the booking ledger.
 *
 * <p>Public surface: {@link io.nomadstays.payments.PaymentsProperties}, {@link io.nomadstays.payments.StripeClients},
 * {@link io.nomadstays.payments.ConnectedAccounts}, {@link io.nomadstays.payments.StripeWebhooks},
 * {@link io.nomadstays.payments.IdempotencyKeys}. Stripe is reached
 * through instance clients ({@code StripeClient}), never the static {@code Stripe.apiKey}, so
 * tests can point it at WireMock.
 */
package io.nomadstays.payments;
