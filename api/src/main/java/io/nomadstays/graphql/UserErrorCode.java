package io.nomadstays.graphql;

/** Mirrors the schema's {@code UserErrorCode} enum; a test keeps the two in step. */
public enum UserErrorCode {
    UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, MALFORMED_ID, WRONG_ID_TYPE, REQUIRED, TOO_LONG, OUT_OF_RANGE,
    INVALID_FORMAT, INVALID_CURRENCY, INVALID_TIME_ZONE, INVALID_COUNTRY, ALREADY_EXISTS, INVALID_STATE,
    /** The dates (or places) asked for are taken or blocked. */
    UNAVAILABLE,
    /** The unit's operator cannot take payments yet (Stripe onboarding not finished). */
    PAYMENTS_NOT_ENABLED,
    /** Stripe is down, slow or rate-limiting; nothing was changed: retry (with the same idempotencyKey). */
    PAYMENT_PROVIDER_UNAVAILABLE
}
