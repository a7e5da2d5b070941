package io.nomadstays.outbox;

import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The transactional outbox: a write that changes what search shows records an event here in
 * the same transaction, so the search index can never miss a change (search-indexer consumes it).
 * Event types are past-tense facts: UnitPublished, UnitPriced, PropertyUpdated, ...
 */
@Component
public class Outbox {

    public static final String UNIT = "unit";
    public static final String PROPERTY = "property";

    private final DatabaseClient db;

    public Outbox(DatabaseClient db) {
        this.db = db;
    }

    /** Must run inside the caller's transaction. */
    public Mono<Void> record(UUID operatorId, String aggregateType, UUID aggregateId, String eventType) {
        return db.sql("""
                        INSERT INTO outbox_event (operator_id, aggregate_type, aggregate_id, event_type)
                        VALUES (:operator, :type, :id, :event)""")
                .bind("operator", operatorId)
                .bind("type", aggregateType)
                .bind("id", aggregateId)
                .bind("event", eventType)
                .then();
    }
}
