/** Small values shared by every feature: identifiers and money. */
package io.nomadstays.shared;
