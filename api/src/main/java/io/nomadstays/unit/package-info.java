/** Units (what is booked), their price lists, publishing, and the nomad-facing {@link io.nomadstays.unit.Stay}. */
package io.nomadstays.unit;
