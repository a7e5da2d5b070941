/**
 * Calendar sync with other listing sites (docs/calendar-sync.md): every unit's iCalendar export at
 * a secret URL, and external iCalendar feeds imported into the unit's blocks on a schedule and on
 * demand, with their health for staff.
 */
package io.nomadstays.calendarsync;
