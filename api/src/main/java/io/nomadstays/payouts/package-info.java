/**
 * Operators' payouts: their Stripe Connect (Express) accounts, onboarding through Stripe's hosted
 * flow, the account state kept true by {@code account.updated} webhooks, and the Stripe webhook
 * endpoint ({@code POST /webhooks/stripe}) with its event deduplication. Stripe itself is reached
 * only through the {@code payments} module's facade. Public surface: {@link io.nomadstays.payouts.PayoutAccounts}
 * (the booking guard asks it whether an operator can take charges) and {@link io.nomadstays.payouts.PayoutAccount}.
 */
package io.nomadstays.payouts;
