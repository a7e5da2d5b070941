/**
 * Identity and tenancy: the JWT resource server, the development token issuer and the
 * {@link io.nomadstays.identity.Caller} that every operator-owned read and write checks.
 */
package io.nomadstays.identity;
