/** Availability calendars, quotes and bookings: the state machine, holds, expiry and cancellation policies (docs/bookings.md). */
package io.nomadstays.booking;
