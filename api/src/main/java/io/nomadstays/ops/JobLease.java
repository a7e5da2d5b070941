package io.nomadstays.ops;

import java.time.Duration;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A lease in PostgreSQL per scheduled job, so that with any number of api instances one runs each
 * job at a time; a holder that dies loses the lease when it expires.
 */
@Component
public class JobLease {

    private final DatabaseClient db;
    private final String holder = "api-" + UUID.randomUUID();

    public JobLease(DatabaseClient db) {
        this.db = db;
    }

    /** True when this instance holds (or just took, or renewed) the lease on {@code job} for {@code ttl}. */
    public Mono<Boolean> acquire(String job, Duration ttl) {
        return db.sql("""
                        INSERT INTO job_lease (name, holder, expires_at) VALUES (:name, :holder, now() + make_interval(secs => :secs))
                        ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
                         WHERE job_lease.holder = EXCLUDED.holder OR job_lease.expires_at < now()
                        RETURNING holder""")
                .bind("name", job).bind("holder", holder).bind("secs", (double) ttl.toMillis() / 1000)
                .map(row -> row.get("holder", String.class)).one()
                .map(holder::equals)
                .defaultIfEmpty(false);
    }
}
