package io.nomadstays.payments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Idempotency keys of Stripe calls, derived from our ids: {@code nomad:<subject>:<id>:<operation>:<attempt>}.
 * The same operation on the same object in the same attempt always sends the same key, so a retry
 * (ours, stripe-java's, or a client's) gets Stripe's first answer instead of a second object. A new
 * attempt (a new payment after a decline, a new onboarding link) is a new key. Stripe keeps keys
 * for at least 24 hours; keys are at most 255 characters.
 */
public final class IdempotencyKeys {

    private static final Pattern WORD = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    private IdempotencyKeys() {
    }

    /**
     * @param subject   what the id names: {@code operator}, {@code booking}, ...
     * @param id        our id of the object
     * @param operation what is done to it: {@code create-account}, {@code first-payment}, ...
     * @param attempt   which attempt, 1 for the first
     */
    public static String of(String subject, UUID id, String operation, int attempt) {
        check(subject, "subject");
        check(operation, "operation");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1");
        }
        return "nomad:" + subject + ":" + id + ":" + operation + ":" + attempt;
    }

    /**
     * A key for an operation attempted once per client request: the attempt is a digest of the
     * client's own idempotency key (scoped by the caller), so a client retrying its request sends
     * Stripe the same key, and a new client request a new one.
     */
    public static String of(String subject, UUID id, String operation, String clientScope, String clientKey) {
        check(subject, "subject");
        check(operation, "operation");
        return "nomad:" + subject + ":" + id + ":" + operation + ":c-" + digest(clientScope + "\n" + clientKey);
    }

    private static void check(String word, String what) {
        if (!WORD.matcher(word).matches()) {
            throw new IllegalArgumentException(what + " must be a lower-case word: " + word);
        }
    }

    private static String digest(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16).toLowerCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
