package io.nomadstays.property;

import io.nomadstays.graphql.Connection;
import io.nomadstays.graphql.PageRequest;
import io.nomadstays.identity.Caller;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Properties in PostgreSQL. Visibility: staff of the operator see all its properties; everyone
 * else sees a property only while it has a published unit.
 */
@Component
public class Properties {

    private static final String COLUMNS = """
            p.id, p.operator_id, p.name, p.description, p.address_line, p.city, p.city_local, p.postal_code,
            p.country_code, p.latitude, p.longitude, p.time_zone, p.amenities, p.house_rules, p.created_at, p.updated_at""";
    private static final String PUBLIC = "EXISTS (SELECT 1 FROM unit u WHERE u.property_id = p.id AND u.status = 'PUBLISHED')";
    private static final String VISIBLE = "(p.operator_id = ANY(:staffOf) OR " + PUBLIC + ")";

    private final DatabaseClient db;

    public Properties(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Property> findById(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM property p WHERE p.id = :id").bind("id", id).map(Properties::map).one();
    }

    public Mono<Property> findVisible(UUID id, Caller caller) {
        return db.sql("SELECT " + COLUMNS + " FROM property p WHERE p.id = :id AND " + VISIBLE)
                .bind("id", id)
                .bind("staffOf", staffOf(caller))
                .map(Properties::map)
                .one();
    }

    public Mono<Boolean> isPublic(UUID id) {
        return db.sql("SELECT " + PUBLIC + " AS visible FROM property p WHERE p.id = :id").bind("id", id)
                .map(row -> row.get("visible", Boolean.class)).one().defaultIfEmpty(false);
    }

    public Flux<Property> findAllById(Collection<UUID> ids) {
        return db.sql("SELECT " + COLUMNS + " FROM property p WHERE p.id = ANY(:ids)")
                .bind("ids", ids.toArray(UUID[]::new))
                .map(Properties::map)
                .all();
    }

    /** One page of an operator's properties that the caller may see, in creation order. */
    public Mono<Connection<Property>> page(UUID operatorId, Caller caller, PageRequest page) {
        boolean staff = caller.isStaffOf(operatorId);
        String filter = "p.operator_id = :operator" + (staff ? "" : " AND " + PUBLIC);
        Mono<List<Property>> rows = db.sql("SELECT " + COLUMNS + " FROM property p WHERE " + filter
                        + " AND (CAST(:after AS uuid) IS NULL OR p.id > :after) ORDER BY p.id LIMIT :limit")
                .bind("operator", operatorId)
                .bind("after", page.after() == null ? Parameter.empty(UUID.class) : Parameter.from(page.after()))
                .bind("limit", page.limit())
                .map(Properties::map)
                .all()
                .collectList();
        Mono<Integer> total = db.sql("SELECT count(*) AS n FROM property p WHERE " + filter)
                .bind("operator", operatorId)
                .map(row -> row.get("n", Long.class).intValue())
                .one();
        return Mono.zip(rows, total).map(t -> Connection.of(t.getT1(), page, Property::uuid, t.getT2()));
    }

    Mono<Void> insert(Property p) {
        return db.sql("""
                        INSERT INTO property (id, operator_id, name, description, address_line, city, city_local, postal_code,
                                              country_code, latitude, longitude, time_zone, amenities, house_rules)
                        VALUES (:id, :operator, :name, :description, :line, :city, :cityLocal, :postalCode,
                                :country, :lat, :lon, :zone, :amenities, :rules)""")
                .bindValues(values(p))
                .then();
    }

    Mono<Void> update(Property p) {
        return db.sql("""
                        UPDATE property SET name = :name, description = :description, address_line = :line, city = :city,
                               city_local = :cityLocal, postal_code = :postalCode, country_code = :country,
                               latitude = :lat, longitude = :lon, time_zone = :zone, amenities = :amenities,
                               house_rules = :rules, updated_at = now()
                         WHERE id = :id AND operator_id = :operator""")
                .bindValues(values(p))
                .then();
    }

    private static java.util.Map<String, Object> values(Property p) {
        var values = new java.util.HashMap<String, Object>();
        values.put("id", p.uuid());
        values.put("operator", p.operatorId());
        values.put("name", p.name());
        values.put("description", p.description());
        values.put("line", p.address().line());
        values.put("city", p.address().city());
        values.put("cityLocal", nullable(p.address().cityLocal()));
        values.put("postalCode", nullable(p.address().postalCode()));
        values.put("country", p.address().countryCode());
        values.put("lat", p.location().lat());
        values.put("lon", p.location().lon());
        values.put("zone", p.timeZone());
        values.put("amenities", p.amenities().toArray(String[]::new));
        values.put("rules", p.houseRules());
        return values;
    }

    private static Parameter nullable(String value) {
        return value == null || value.isEmpty() ? Parameter.empty(String.class) : Parameter.from(value);
    }

    static UUID[] staffOf(Caller caller) {
        return caller.roles().keySet().toArray(UUID[]::new);
    }

    static Property map(Readable row) {
        return new Property(
                row.get("id", UUID.class),
                row.get("operator_id", UUID.class),
                row.get("name", String.class),
                row.get("description", String.class),
                new Property.Address(row.get("address_line", String.class), row.get("city", String.class),
                        row.get("city_local", String.class), row.get("postal_code", String.class),
                        row.get("country_code", String.class)),
                new Property.GeoPoint(row.get("latitude", Double.class), row.get("longitude", Double.class)),
                row.get("time_zone", String.class),
                List.of(row.get("amenities", String[].class)),
                row.get("house_rules", String.class),
                row.get("created_at", Instant.class),
                row.get("updated_at", Instant.class));
    }
}
