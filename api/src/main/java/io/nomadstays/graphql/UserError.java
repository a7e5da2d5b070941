package io.nomadstays.graphql;

import java.util.List;

/** Something the caller can fix, returned in a mutation payload's {@code userErrors}. */
public record UserError(List<String> field, UserErrorCode code, String message) {

    public static UserError of(UserErrorCode code, String message, String... path) {
        return new UserError(path.length == 0 ? null : List.of(path), code, message);
    }
}
