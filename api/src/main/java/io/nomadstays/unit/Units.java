package io.nomadstays.unit;

import io.nomadstays.graphql.Connection;
import io.nomadstays.graphql.PageRequest;
import io.nomadstays.identity.Caller;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Units and their price lists in PostgreSQL. Everyone sees published units; staff also see their drafts. */
@Component
public class Units {

    private static final String COLUMNS = """
            u.id, u.operator_id, u.property_id, u.name, u.description, u.type, u.capacity, u.max_guests, u.size_m2,
            u.furnished, u.booking_granularity, u.min_stay, u.max_stay, u.amenities, u.status, u.published_at,
            u.created_at, u.updated_at, u.version""";
    private static final String VISIBLE = "(u.status = 'PUBLISHED' OR u.operator_id = ANY(:staffOf))";

    private final DatabaseClient db;

    public Units(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Unit> findById(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM unit u WHERE u.id = :id").bind("id", id).map(Units::map).one();
    }

    public Mono<Unit> findVisible(UUID id, Caller caller) {
        return db.sql("SELECT " + COLUMNS + " FROM unit u WHERE u.id = :id AND " + VISIBLE)
                .bind("id", id).bind("staffOf", staffOf(caller)).map(Units::map).one();
    }

    public Flux<Unit> findAllById(Collection<UUID> ids) {
        return db.sql("SELECT " + COLUMNS + " FROM unit u WHERE u.id = ANY(:ids)")
                .bind("ids", ids.toArray(UUID[]::new)).map(Units::map).all();
    }

    /** A page of units of one operator or one property, filtered to what the caller may see. */
    public Mono<Connection<Unit>> page(String ownerColumn, UUID ownerId, UUID operatorId, List<Unit.Status> statuses,
                                       Caller caller, PageRequest page) {
        boolean staff = caller.isStaffOf(operatorId);
        List<String> allowed = staff
                ? (statuses == null || statuses.isEmpty() ? List.of("DRAFT", "PUBLISHED", "ARCHIVED") : statuses.stream().map(Enum::name).toList())
                : List.of("PUBLISHED");
        String filter = "u." + ownerColumn + " = :owner AND u.status = ANY(:statuses)";
        Mono<List<Unit>> rows = db.sql("SELECT " + COLUMNS + " FROM unit u WHERE " + filter
                        + " AND (CAST(:after AS uuid) IS NULL OR u.id > :after) ORDER BY u.id LIMIT :limit")
                .bind("owner", ownerId)
                .bind("statuses", allowed.toArray(String[]::new))
                .bind("after", page.after() == null ? Parameter.empty(UUID.class) : Parameter.from(page.after()))
                .bind("limit", page.limit())
                .map(Units::map).all().collectList();
        Mono<Integer> total = db.sql("SELECT count(*) AS n FROM unit u WHERE " + filter)
                .bind("owner", ownerId)
                .bind("statuses", allowed.toArray(String[]::new))
                .map(row -> row.get("n", Long.class).intValue()).one();
        return Mono.zip(rows, total).map(t -> Connection.of(t.getT1(), page, Unit::uuid, t.getT2()));
    }

    /**
     * Copies a new capacity into the unit's calendar rows from yesterday on (the bookings package
     * keeps it there for its CHECK); false, changing nothing, when bookings there already exceed it.
     */
    Mono<Boolean> changeCalendarCapacity(UUID unitId, int capacity) {
        return db.sql("SELECT COALESCE(max(booked), 0) AS m FROM unit_calendar WHERE unit_id = :unit AND day >= current_date - 1")
                .bind("unit", unitId).map(row -> row.get("m", Integer.class)).one()
                .flatMap(booked -> booked > capacity ? Mono.just(false)
                        : db.sql("UPDATE unit_calendar SET capacity = :cap WHERE unit_id = :unit AND day >= current_date - 1")
                                .bind("cap", capacity).bind("unit", unitId).fetch().rowsUpdated().thenReturn(true));
    }

    /** Whether the unit is one of the rooms of a room type (the bookings package sets that). */
    Mono<Boolean> isRoomOfAType(UUID unitId) {
        return db.sql("SELECT room_type_id IS NOT NULL AS room FROM unit WHERE id = :id").bind("id", unitId)
                .map(row -> row.get("room", Boolean.class)).one().defaultIfEmpty(false);
    }

    Mono<Void> insert(Unit u) {
        return db.sql("""
                        INSERT INTO unit (id, operator_id, property_id, name, description, type, capacity, max_guests, size_m2,
                                          furnished, booking_granularity, min_stay, max_stay, amenities, status)
                        VALUES (:id, :operator, :property, :name, :description, :type, :capacity, :maxGuests, :size,
                                :furnished, :granularity, :minStay, :maxStay, :amenities, 'DRAFT')""")
                .bindValues(values(u)).then();
    }

    /** Writes the editable fields and bumps the version the search index orders changes by. */
    Mono<Void> update(Unit u) {
        return db.sql("""
                        UPDATE unit SET name = :name, description = :description, type = :type, capacity = :capacity,
                               max_guests = :maxGuests, size_m2 = :size, furnished = :furnished,
                               booking_granularity = :granularity, min_stay = :minStay, max_stay = :maxStay,
                               amenities = :amenities, updated_at = now(), version = version + 1
                         WHERE id = :id AND operator_id = :operator""")
                .bindValues(editable(u)).then();
    }

    Mono<Void> setStatus(UUID id, UUID operatorId, Unit.Status status) {
        return db.sql("""
                        UPDATE unit SET status = :status, updated_at = now(), version = version + 1,
                               published_at = CASE WHEN :status = 'PUBLISHED' THEN now() ELSE published_at END
                         WHERE id = :id AND operator_id = :operator""")
                .bind("status", status.name()).bind("id", id).bind("operator", operatorId).then();
    }

    Mono<Void> touch(UUID id, UUID operatorId) {
        return db.sql("UPDATE unit SET updated_at = now(), version = version + 1 WHERE id = :id AND operator_id = :operator")
                .bind("id", id).bind("operator", operatorId).then();
    }

    Mono<Void> replacePricing(UUID operatorId, UnitPricing p) {
        Mono<Void> upsert = db.sql("""
                        INSERT INTO unit_pricing (unit_id, operator_id, currency, hourly_rate, nightly_rate, daily_rate,
                                                  weekly_rate, monthly_rate, cleaning_fee, deposit, updated_at)
                        VALUES (:unit, :operator, :currency, :hourly, :nightly, :daily, :weekly, :monthly, :cleaning, :deposit, now())
                        ON CONFLICT (unit_id) DO UPDATE SET currency = EXCLUDED.currency, hourly_rate = EXCLUDED.hourly_rate,
                               nightly_rate = EXCLUDED.nightly_rate, daily_rate = EXCLUDED.daily_rate,
                               weekly_rate = EXCLUDED.weekly_rate, monthly_rate = EXCLUDED.monthly_rate,
                               cleaning_fee = EXCLUDED.cleaning_fee, deposit = EXCLUDED.deposit, updated_at = now()""")
                .bind("unit", p.unitId()).bind("operator", operatorId).bind("currency", p.currency())
                .bind("hourly", amount(p.hourly())).bind("nightly", amount(p.nightly())).bind("daily", amount(p.daily()))
                .bind("weekly", amount(p.weekly())).bind("monthly", amount(p.monthly()))
                .bind("cleaning", p.cleaning()).bind("deposit", p.depositAmount())
                .then();
        Mono<Void> clear = db.sql("DELETE FROM unit_long_stay_discount WHERE unit_id = :unit").bind("unit", p.unitId()).then();
        Flux<Void> discounts = Flux.fromIterable(p.longStayDiscounts()).concatMap(d -> db.sql("""
                        INSERT INTO unit_long_stay_discount (unit_id, operator_id, min_nights, percent_bps)
                        VALUES (:unit, :operator, :min, :bps)""")
                .bind("unit", p.unitId()).bind("operator", operatorId).bind("min", d.minNights()).bind("bps", d.percentBps())
                .then());
        return upsert.then(clear).thenMany(discounts).then();
    }

    public Mono<Map<UUID, UnitPricing>> pricing(Collection<UUID> unitIds) {
        UUID[] ids = unitIds.toArray(UUID[]::new);
        Mono<Map<UUID, List<UnitPricing.LongStayDiscount>>> discounts = db.sql(
                        "SELECT unit_id, min_nights, percent_bps FROM unit_long_stay_discount WHERE unit_id = ANY(:ids) ORDER BY min_nights")
                .bind("ids", ids)
                .map(row -> Map.entry(row.get("unit_id", UUID.class),
                        new UnitPricing.LongStayDiscount(row.get("min_nights", Integer.class), row.get("percent_bps", Integer.class))))
                .all()
                .collect(HashMap::new, (map, e) -> map.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return discounts.flatMap(byUnit -> db.sql("""
                        SELECT unit_id, currency, hourly_rate, nightly_rate, daily_rate, weekly_rate, monthly_rate,
                               cleaning_fee, deposit, updated_at FROM unit_pricing WHERE unit_id = ANY(:ids)""")
                .bind("ids", ids)
                .map(row -> {
                    UUID id = row.get("unit_id", UUID.class);
                    return new UnitPricing(id, row.get("currency", String.class).strip(), row.get("hourly_rate", Long.class),
                            row.get("nightly_rate", Long.class), row.get("daily_rate", Long.class),
                            row.get("weekly_rate", Long.class), row.get("monthly_rate", Long.class),
                            row.get("cleaning_fee", Long.class), row.get("deposit", Long.class),
                            List.copyOf(byUnit.getOrDefault(id, List.of())), row.get("updated_at", Instant.class));
                })
                .all()
                .collectMap(UnitPricing::unitId));
    }

    private static Parameter amount(Long value) {
        return value == null ? Parameter.empty(Long.class) : Parameter.from(value);
    }

    private static Map<String, Object> values(Unit u) {
        var values = new HashMap<String, Object>();
        values.put("id", u.uuid());
        values.put("operator", u.operatorId());
        values.put("property", u.propertyId());
        values.put("name", u.name());
        values.put("description", u.description());
        values.put("type", u.type().name());
        values.put("capacity", u.capacity());
        values.put("maxGuests", u.maxGuests());
        values.put("size", u.sizeM2() == null ? Parameter.empty(BigDecimal.class) : Parameter.from(u.sizeM2()));
        values.put("furnished", u.furnished());
        values.put("granularity", u.bookingGranularity().name());
        values.put("minStay", u.minStay());
        values.put("maxStay", u.maxStay() == null ? Parameter.empty(Integer.class) : Parameter.from(u.maxStay()));
        values.put("amenities", u.amenities().toArray(String[]::new));
        return values;
    }

    /** The bind values of {@link #update}: a unit never moves to another property. */
    private static Map<String, Object> editable(Unit u) {
        Map<String, Object> values = values(u);
        values.remove("property");
        return values;
    }

    static UUID[] staffOf(Caller caller) {
        return caller.roles().keySet().toArray(UUID[]::new);
    }

    static Unit map(Readable row) {
        return new Unit(
                row.get("id", UUID.class), row.get("operator_id", UUID.class), row.get("property_id", UUID.class),
                row.get("name", String.class), row.get("description", String.class),
                Unit.UnitType.valueOf(row.get("type", String.class)), row.get("capacity", Integer.class),
                row.get("max_guests", Integer.class), row.get("size_m2", BigDecimal.class), row.get("furnished", Boolean.class),
                Unit.Granularity.valueOf(row.get("booking_granularity", String.class)), row.get("min_stay", Integer.class),
                row.get("max_stay", Integer.class), List.of(row.get("amenities", String[].class)),
                Unit.Status.valueOf(row.get("status", String.class)), row.get("published_at", Instant.class),
                row.get("created_at", Instant.class), row.get("updated_at", Instant.class), row.get("version", Long.class));
    }
}
