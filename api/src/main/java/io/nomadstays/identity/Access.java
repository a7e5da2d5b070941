package io.nomadstays.identity;

import io.nomadstays.graphql.UserError;
import io.nomadstays.graphql.UserErrorCode;
import java.util.Optional;
import java.util.UUID;

/**
 * The one rule for operator-owned writes: the caller must be staff of the owning operator with
 * at least the required role. A caller who cannot even see the object is told NOT_FOUND, so an
 * ID of another tenant's draft reveals nothing; one who can see it is told FORBIDDEN.
 */
public final class Access {

    private Access() {
    }

    public static Optional<UserError> checkWrite(Caller caller, UUID operatorId, boolean publiclyVisible,
                                                 StaffRole required, String what, String... path) {
        if (!caller.authenticated()) {
            return Optional.of(UserError.of(UserErrorCode.UNAUTHENTICATED, "Sign in to change " + what, path));
        }
        if (caller.hasRole(operatorId, required)) {
            return Optional.empty();
        }
        if (!caller.isStaffOf(operatorId) && !publiclyVisible) {
            return Optional.of(UserError.of(UserErrorCode.NOT_FOUND, "No " + what + " with this ID", path));
        }
        return Optional.of(UserError.of(UserErrorCode.FORBIDDEN,
                "Changing " + what + " needs the " + required + " role at its operator", path));
    }
}
