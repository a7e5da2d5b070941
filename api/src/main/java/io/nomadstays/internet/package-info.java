/** Speed tests and the internet summary nomads filter by. */
package io.nomadstays.internet;
