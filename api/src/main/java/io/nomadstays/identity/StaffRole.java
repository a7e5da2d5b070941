package io.nomadstays.identity;

/** Staff roles, most powerful first. */
public enum StaffRole {
    OWNER, MANAGER, VIEWER;

    /** True when this role may do what {@code required} may do. */
    public boolean atLeast(StaffRole required) {
        return ordinal() <= required.ordinal();
    }
}
