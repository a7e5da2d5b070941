package io.nomadstays.billing;

import io.nomadstays.graphql.UserError;
import io.nomadstays.graphql.UserErrorCode;
import java.util.List;

/** A deposit mutation refused for a reason the caller can act on; answered as the payload's userErrors. */
final class DepositRefusal extends RuntimeException {

    private final List<UserError> errors;

    DepositRefusal(List<UserError> errors) {
        super(errors.get(0).message(), null, false, false);
        this.errors = errors;
    }

    static DepositRefusal of(UserErrorCode code, String message, String... path) {
        return new DepositRefusal(List.of(UserError.of(code, message, path)));
    }

    List<UserError> errors() {
        return errors;
    }
}
