package io.nomadstays.operator;

import io.nomadstays.graphql.GlobalId;
import java.util.UUID;

/** The public face of a user: an id and a display name. */
public record User(UUID uuid, String displayName) {

    public String id() {
        return GlobalId.encode(GlobalId.Type.USER, uuid);
    }
}
