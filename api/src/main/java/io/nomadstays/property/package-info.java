/** Properties: places with an address, coordinates, time zone, amenities and house rules. */
package io.nomadstays.property;
