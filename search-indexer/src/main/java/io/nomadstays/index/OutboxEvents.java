package io.nomadstays.index;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Outbox events and the units they affect. Unit events (UnitPriced, UnitPublished, UnitUnpublished,
 * UnitUpdated, ExchangeRateChanged, IndexRepairRequested) name their unit; property events
 * (PropertyUpdated, SpeedTestRecorded) affect every published unit of the property.
 */
final class OutboxEvents {

    static final String UNIT = "unit";
    static final String PROPERTY = "property";

    /** Only events whose transaction, and every older one, has ended: see V4__search_indexing.sql. */
    static final String SETTLED = "txid < pg_snapshot_xmin(pg_current_snapshot())";

    private static final System.Logger log = System.getLogger(OutboxEvents.class.getName());

    private OutboxEvents() {
    }

    /** @param txid the writing transaction's id, which becomes the document version */
    record Event(long id, String aggregateType, UUID aggregateId, long txid) {
    }

    /**
     * @param versions      each affected unit with the highest txid among the events that affect it
     * @param unitsByEvent  the units each event affects (an event is done when all of them are written)
     */
    record Resolved(Map<UUID, Long> versions, Map<Long, Set<UUID>> unitsByEvent) {
    }

    /** Reads events from a query selecting {@code id, aggregate_type, aggregate_id, txid::text}. */
    static List<Event> read(PreparedStatement ps) throws SQLException {
        List<Event> events = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                events.add(new Event(rs.getLong(1), rs.getString(2), rs.getObject(3, UUID.class), Long.parseLong(rs.getString(4))));
            }
        }
        return events;
    }

    static Resolved resolve(Connection c, List<Event> events) throws SQLException {
        Set<UUID> properties = new HashSet<>();
        for (Event e : events) {
            if (PROPERTY.equals(e.aggregateType())) {
                properties.add(e.aggregateId());
            }
        }
        Map<UUID, List<UUID>> unitsOfProperty = new HashMap<>();
        if (!properties.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT property_id, id FROM unit WHERE property_id = ANY(?) AND status = 'PUBLISHED'")) {
                ps.setArray(1, c.createArrayOf("uuid", properties.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        unitsOfProperty.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(rs.getObject(2, UUID.class));
                    }
                }
            }
        }
        Map<UUID, Long> versions = new LinkedHashMap<>();
        Map<Long, Set<UUID>> unitsByEvent = new LinkedHashMap<>();
        for (Event e : events) {
            List<UUID> units;
            if (UNIT.equals(e.aggregateType())) {
                units = List.of(e.aggregateId());
            } else if (PROPERTY.equals(e.aggregateType())) {
                units = unitsOfProperty.getOrDefault(e.aggregateId(), List.of());
            } else {
                log.log(System.Logger.Level.WARNING, "Outbox event {0} has aggregate type {1}, which search ignores",
                        e.id(), e.aggregateType());
                units = List.of();
            }
            unitsByEvent.put(e.id(), Set.copyOf(units));
            for (UUID unit : units) {
                versions.merge(unit, e.txid(), Math::max);
            }
        }
        return new Resolved(versions, unitsByEvent);
    }
}
