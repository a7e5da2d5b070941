package io.nomadstays.payments;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;

/**
 * Stripe did not do what we asked. Infrastructure, not a business outcome: callers turn
 * {@link Kind#UNAVAILABLE} and {@link Kind#NOT_CONFIGURED} into a retryable user error and let
 * {@link Kind#REFUSED} (a request Stripe will never accept: a bug or a bad key) surface as an
 * internal error. The message carries Stripe's request id, never a key.
 */
public final class PaymentProviderException extends RuntimeException {

    public enum Kind {
        /** Timeouts, connection errors, 429 and 5xx: the same call may succeed later. */
        UNAVAILABLE,
        /** No secret key is configured on this server. */
        NOT_CONFIGURED,
        /** Stripe answered 4xx: retrying the same call will not help. */
        REFUSED,
        /** The idempotency key was used before with other parameters: the client reused its own key for another request. */
        IDEMPOTENCY_CONFLICT
    }

    private final Kind kind;

    public PaymentProviderException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public boolean retryable() {
        return kind == Kind.UNAVAILABLE;
    }

    static PaymentProviderException from(String what, StripeException e) {
        Integer status = e.getStatusCode();
        boolean retryable = e instanceof ApiConnectionException || e instanceof RateLimitException
                || status == null || status >= 500 || status == 409 || status == 429;
        String message = what + " failed: " + e.getClass().getSimpleName() + (status == null ? "" : " (HTTP " + status + ")")
                + (e.getRequestId() == null ? "" : ", request " + e.getRequestId()) + (e.getCode() == null ? "" : ", code " + e.getCode());
        Kind kind = e instanceof com.stripe.exception.IdempotencyException ? Kind.IDEMPOTENCY_CONFLICT
                : retryable ? Kind.UNAVAILABLE : Kind.REFUSED;
        return new PaymentProviderException(kind, message, e);
    }
}
