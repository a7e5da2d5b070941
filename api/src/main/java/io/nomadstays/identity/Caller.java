package io.nomadstays.identity;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Who sends this request, resolved once per request from the JWT and the staff table. Every
 * operator-owned read and write asks it before touching a row.
 */
public record Caller(UUID userId, String subject, boolean platformAdmin, Map<UUID, StaffRole> roles) {

    public static final String CONTEXT_KEY = "caller";
    public static final Caller ANONYMOUS = new Caller(null, null, false, Map.of());

    public Caller {
        roles = Map.copyOf(roles);
    }

    public boolean authenticated() {
        return userId != null;
    }

    public Optional<StaffRole> roleAt(UUID operatorId) {
        return Optional.ofNullable(roles.get(operatorId));
    }

    public boolean isStaffOf(UUID operatorId) {
        return roles.containsKey(operatorId);
    }

    public boolean hasRole(UUID operatorId, StaffRole required) {
        StaffRole role = roles.get(operatorId);
        return role != null && role.atLeast(required);
    }
}
