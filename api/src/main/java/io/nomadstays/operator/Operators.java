package io.nomadstays.operator;

import io.nomadstays.identity.StaffRole;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads and writes operators and their staff. Operators are public: name and slug are shown on every listing. */
@Component
public class Operators {

    private static final String COLUMNS = "id, slug, name, default_currency, commission_bps, created_at";

    private final DatabaseClient db;

    public Operators(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Operator> findById(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM operator WHERE id = :id").bind("id", id).map(Operators::map).one();
    }

    public Mono<Operator> findBySlug(String slug) {
        return db.sql("SELECT " + COLUMNS + " FROM operator WHERE slug = :slug").bind("slug", slug).map(Operators::map).one();
    }

    public Flux<Operator> findAllById(Collection<UUID> ids) {
        return db.sql("SELECT " + COLUMNS + " FROM operator WHERE id = ANY(:ids)")
                .bind("ids", ids.toArray(UUID[]::new))
                .map(Operators::map)
                .all();
    }

    public Mono<Boolean> currencyExists(String code) {
        return db.sql("SELECT 1 FROM currency WHERE code = :code").bind("code", code).map(r -> true).one().defaultIfEmpty(false);
    }

    public Mono<Boolean> userExists(UUID userId) {
        return db.sql("SELECT 1 FROM app_user WHERE id = :id").bind("id", userId).map(r -> true).one().defaultIfEmpty(false);
    }

    public Mono<Boolean> slugTaken(String slug) {
        return db.sql("SELECT 1 FROM operator WHERE slug = :slug").bind("slug", slug).map(r -> true).one().defaultIfEmpty(false);
    }

    Mono<Void> insert(Operator operator) {
        return db.sql("""
                        INSERT INTO operator (id, slug, name, default_currency, commission_bps)
                        VALUES (:id, :slug, :name, :currency, :commission)""")
                .bind("id", operator.uuid())
                .bind("slug", operator.slug())
                .bind("name", operator.name())
                .bind("currency", operator.defaultCurrency())
                .bind("commission", operator.commissionBps())
                .then();
    }

    Mono<Void> addStaff(UUID operatorId, UUID userId, StaffRole role) {
        return db.sql("""
                        INSERT INTO staff_membership (operator_id, user_id, role) VALUES (:operator, :user, :role)
                        ON CONFLICT (operator_id, user_id) DO UPDATE SET role = EXCLUDED.role""")
                .bind("operator", operatorId)
                .bind("user", userId)
                .bind("role", role.name())
                .then();
    }

    /** Staff of one operator with their user's display name. */
    public Mono<List<StaffMember>> staff(UUID operatorId) {
        return db.sql("""
                        SELECT u.id, u.display_name, m.role FROM staff_membership m JOIN app_user u ON u.id = m.user_id
                         WHERE m.operator_id = :operator ORDER BY m.role, u.display_name, u.id""")
                .bind("operator", operatorId)
                .map((row, meta) -> new StaffMember(new User(row.get("id", UUID.class), row.get("display_name", String.class)),
                        StaffRole.valueOf(row.get("role", String.class))))
                .all()
                .collectList();
    }

    public Mono<Profile> userProfile(UUID userId) {
        return db.sql("SELECT display_name, email FROM app_user WHERE id = :id").bind("id", userId)
                .map(row -> new Profile(row.get("display_name", String.class), row.get("email", String.class)))
                .one();
    }

    public record Profile(String displayName, String email) {
    }

    static Operator map(Readable row) {
        return new Operator(row.get("id", UUID.class), row.get("slug", String.class), row.get("name", String.class),
                row.get("default_currency", String.class), row.get("commission_bps", Integer.class),
                row.get("created_at", Instant.class));
    }

    /** Schema type OperatorStaffMember. */
    public record StaffMember(User user, StaffRole role) {
    }
}
