package io.nomadstays.graphql;

import java.util.List;

/**
 * A refusal of a query (mutations answer with userErrors instead), turned into GraphQL errors
 * whose {@code extensions} carry a stable {@code code} and, for input problems, the {@code field}
 * path. Never carries internal detail.
 */
public class ApiException extends RuntimeException {

    private final String code;
    private final List<UserError> errors;

    public ApiException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
        this.errors = List.of();
    }

    public ApiException(UserErrorCode code, String message) {
        this(code.name(), message);
    }

    private ApiException(List<UserError> errors) {
        super(errors.get(0).message(), null, false, false);
        this.code = errors.get(0).code().name();
        this.errors = List.copyOf(errors);
    }

    /** Every problem of an input at once; each becomes one GraphQL error. */
    public static ApiException invalid(List<UserError> errors) {
        return new ApiException(errors);
    }

    public String code() {
        return code;
    }

    /** The input problems, empty for a single refusal. */
    public List<UserError> errors() {
        return errors;
    }
}
