package io.nomadstays.booking;

import io.nomadstays.graphql.UserError;
import io.nomadstays.graphql.UserErrorCode;
import java.util.List;

/** Thrown inside a booking transaction to roll it back; answered as the payload's userErrors. */
final class Refusal extends RuntimeException {

    private final List<UserError> errors;

    Refusal(List<UserError> errors) {
        super(errors.get(0).message(), null, false, false);
        this.errors = errors;
    }

    static Refusal of(UserErrorCode code, String message, String... path) {
        return new Refusal(List.of(UserError.of(code, message, path)));
    }

    List<UserError> errors() {
        return errors;
    }
}
