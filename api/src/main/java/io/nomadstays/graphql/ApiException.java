package io.nomadstays.graphql;

/**
 * A refusal of a query (not a mutation: those answer with userErrors), turned into a GraphQL
 * error whose {@code extensions.code} is {@link #code()}. Never carries internal detail.
 */
public class ApiException extends RuntimeException {

    private final String code;

    public ApiException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ApiException(UserErrorCode code, String message) {
        this(code.name(), message);
    }

    public String code() {
        return code;
    }
}
