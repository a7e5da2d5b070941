package io.nomadstays.identity;

import io.nomadstays.shared.Ids;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Turns a validated JWT into a {@link Caller}: the user row (created on first sight, so a nomad
 * needs no sign-up call) and the caller's staff roles, in one query on the common path.
 */
@Component
public class Callers {

    private final DatabaseClient db;

    public Callers(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Caller> resolve(Jwt jwt) {
        String subject = jwt.getSubject();
        if (subject == null || subject.isBlank() || subject.length() > 255) {
            return Mono.just(Caller.ANONYMOUS);
        }
        return load(subject).switchIfEmpty(Mono.defer(() -> register(jwt).then(load(subject))));
    }

    private Mono<Caller> load(String subject) {
        return db.sql("""
                        SELECT u.id, u.platform_admin, m.operator_id, m.role
                          FROM app_user u LEFT JOIN staff_membership m ON m.user_id = u.id
                         WHERE u.subject = :subject""")
                .bind("subject", subject)
                .map((row, meta) -> new Object[] {row.get("id", UUID.class), row.get("platform_admin", Boolean.class),
                        row.get("operator_id", UUID.class), row.get("role", String.class)})
                .all()
                .collectList()
                .flatMap(rows -> {
                    if (rows.isEmpty()) {
                        return Mono.empty();
                    }
                    Map<UUID, StaffRole> roles = new HashMap<>();
                    for (Object[] r : rows) {
                        if (r[2] != null) {
                            roles.put((UUID) r[2], StaffRole.valueOf((String) r[3]));
                        }
                    }
                    Object[] first = rows.get(0);
                    return Mono.just(new Caller((UUID) first[0], subject, (Boolean) first[1], roles));
                });
    }

    private Mono<Void> register(Jwt jwt) {
        return db.sql("""
                        INSERT INTO app_user (id, subject, display_name, email)
                        VALUES (:id, :subject, :name, :email)
                        ON CONFLICT (subject) DO NOTHING""")
                .bind("id", Ids.newId())
                .bind("subject", jwt.getSubject())
                .bind("name", claim(jwt, "name", 200))
                .bind("email", claim(jwt, "email", 320))
                .then();
    }

    private static Object claim(Jwt jwt, String name, int maxLength) {
        String value = jwt.getClaimAsString(name);
        if (value == null || value.isBlank()) {
            // DatabaseClient needs the type of a null parameter.
            return org.springframework.r2dbc.core.Parameter.empty(String.class);
        }
        return value.length() > maxLength ? value.substring(0, maxLength) : value;
    }
}
