/**
 * Charging bookings through Stripe: the first payment at booking (a destination charge to the
 * operator with the platform's commission), the payment intents' webhooks, and the schedule that
 * splits a long stay into monthly instalments. Stripe itself is behind the {@code payments} module.
 */
package io.nomadstays.billing;
