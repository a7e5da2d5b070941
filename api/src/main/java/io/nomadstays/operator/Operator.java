package io.nomadstays.operator;

import io.nomadstays.graphql.GlobalId;
import java.time.Instant;
import java.util.UUID;

/** A tenant. */
public record Operator(UUID uuid, String slug, String name, String defaultCurrency, int commissionBps, Instant createdAt) {

    public String id() {
        return GlobalId.encode(GlobalId.Type.OPERATOR, uuid);
    }
}
