package io.nomadstays.indexing;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.nomadstays.index.OutboxIndexer;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * {@code nomad.search.indexer.*} meters read from the indexer's status: processed events, written
 * documents, conflicts, failures, and the lag in seconds (alert on it: the target is a change
 * searchable within 2 s).
 */
@Component
class SearchIndexerMetrics implements MeterBinder {

    private final SearchIndexing indexing;

    SearchIndexerMetrics(SearchIndexing indexing) {
        this.indexing = indexing;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "nomad.search.indexer.events", "Outbox events processed", OutboxIndexer.Status::eventsProcessed);
        counter(registry, "nomad.search.indexer.documents.indexed", "Documents written", OutboxIndexer.Status::documentsIndexed);
        counter(registry, "nomad.search.indexer.documents.deleted", "Documents deleted", OutboxIndexer.Status::documentsDeleted);
        counter(registry, "nomad.search.indexer.conflicts", "Writes refused because a newer document was there",
                OutboxIndexer.Status::versionConflicts);
        counter(registry, "nomad.search.indexer.failures", "Failed batches and refused documents", OutboxIndexer.Status::failures);
        Gauge.builder("nomad.search.indexer.retrying", indexing, i -> i.status().map(s -> (double) s.retryingEvents()).orElse(0.0))
                .description("Pending events whose document was refused, waiting for a retry").register(registry);
        Gauge.builder("nomad.search.indexer.lag", indexing, i -> i.status().map(s -> s.lag().toMillis() / 1000.0).orElse(0.0))
                .description("Age of the oldest pending outbox event").baseUnit("seconds").register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description,
                         java.util.function.ToLongFunction<OutboxIndexer.Status> value) {
        ToDoubleFunction<SearchIndexing> read = i -> i.status().map(value::applyAsLong).orElse(0L);
        FunctionCounter.builder(name, indexing, read).description(description).register(registry);
    }
}
