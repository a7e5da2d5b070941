package io.nomadstays.indexing;

import io.nomadstays.index.OutboxIndexer;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code searchIndexer} health component: DOWN while the last attempt failed (Elasticsearch or
 * PostgreSQL unreachable, a document refused), with the error, the lag (age of the oldest pending
 * outbox event) and the events waiting to retry a refused document. Boot's own
 * {@code elasticsearch} component reports the cluster itself.
 */
@Component
class SearchIndexerHealthIndicator implements HealthIndicator {

    private final SearchIndexing indexing;

    SearchIndexerHealthIndicator(SearchIndexing indexing) {
        this.indexing = indexing;
    }

    @Override
    public Health health() {
        Optional<OutboxIndexer.Status> current = indexing.status();
        if (current.isEmpty()) {
            return Health.unknown().withDetail("enabled", false).withDetail("alias", indexing.alias()).build();
        }
        if (!indexing.started()) {
            return Health.unknown().withDetail("enabled", true).withDetail("state", "starting").build();
        }
        OutboxIndexer.Status s = current.get();
        Health.Builder health = s.running() && s.healthy() ? Health.up() : Health.down();
        health.withDetail("alias", indexing.alias())
                .withDetail("threads", s.threads())
                .withDetail("running", s.running())
                .withDetail("lagMillis", s.lag().toMillis())
                .withDetail("retryingEvents", s.retryingEvents())
                .withDetail("eventsProcessed", s.eventsProcessed())
                .withDetail("documentsIndexed", s.documentsIndexed())
                .withDetail("documentsDeleted", s.documentsDeleted())
                .withDetail("versionConflicts", s.versionConflicts())
                .withDetail("failures", s.failures());
        if (s.lastSuccessAt() != null) {
            health.withDetail("lastSuccessAt", s.lastSuccessAt().toString());
        }
        if (s.lastError() != null) {
            health.withDetail("lastError", s.lastError()).withDetail("lastErrorAt", s.lastErrorAt().toString());
        }
        return health.build();
    }
}
