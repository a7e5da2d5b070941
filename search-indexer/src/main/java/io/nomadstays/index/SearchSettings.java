package io.nomadstays.index;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the index is named and kept: the api binds them from {@code nomad.search.*}, the standalone
 * indexer from {@code NOMAD_SEARCH_*} environment variables (docs/search-indexing.md).
 *
 * @param alias              the alias the application reads and writes through; concrete indices are
 *                           named {@code <alias>-<version>-<yyyyMMddHHmmss>}
 * @param definition         the index definition (settings and mappings): {@code classpath:...} or
 *                           {@code file:...}; its name carries the version ({@code stays-v1.json} = v1)
 * @param threads            indexer threads in this process (each with its own PostgreSQL connection)
 * @param batchSize          outbox events claimed per transaction
 * @param pollInterval       wait after a batch that was not full
 * @param backoffInitial     first wait after a failure; doubles up to {@code backoffMax}
 * @param retention          processed outbox events older than this are deleted
 * @param pruneInterval      how often one indexer thread prunes
 * @param reindexBatchSize   units read and bulk-indexed per request by a full reindex
 * @param reindexConcurrency bulk requests a full reindex keeps in flight
 * @param keepOldIndices     old concrete indices kept after a reindex swapped the alias
 */
public record SearchSettings(String alias, String definition, int threads, int batchSize, Duration pollInterval,
                             Duration backoffInitial, Duration backoffMax, Duration retention, Duration pruneInterval,
                             int reindexBatchSize, int reindexConcurrency, int keepOldIndices) {

    public static final String DEFAULT_ALIAS = "stays";
    public static final String DEFAULT_DEFINITION = "classpath:search/stays-v1.json";

    /** Elasticsearch index and alias names: lower case, no wildcards or separators. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,200}");

    public SearchSettings {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(definition, "definition");
        if (!NAME.matcher(alias).matches()) {
            throw new IllegalArgumentException("Alias must be lower-case letters, digits, '-' or '_': " + alias);
        }
        positive("threads", threads);
        positive("batchSize", batchSize);
        positive("reindexBatchSize", reindexBatchSize);
        positive("reindexConcurrency", reindexConcurrency);
        if (keepOldIndices < 0) {
            throw new IllegalArgumentException("keepOldIndices must not be negative");
        }
        for (Duration d : new Duration[] {pollInterval, backoffInitial, backoffMax, retention, pruneInterval}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("Durations must be set and not negative");
            }
        }
    }

    public static SearchSettings defaults() {
        return new SearchSettings(DEFAULT_ALIAS, DEFAULT_DEFINITION, 1, 500, Duration.ofMillis(50), Duration.ofMillis(100),
                Duration.ofSeconds(30), Duration.ofDays(1), Duration.ofMinutes(10), 1000, 2, 0);
    }

    public SearchSettings withAlias(String alias) {
        return new SearchSettings(alias, definition, threads, batchSize, pollInterval, backoffInitial, backoffMax, retention,
                pruneInterval, reindexBatchSize, reindexConcurrency, keepOldIndices);
    }

    public SearchSettings withDefinition(String definition) {
        return new SearchSettings(alias, definition, threads, batchSize, pollInterval, backoffInitial, backoffMax, retention,
                pruneInterval, reindexBatchSize, reindexConcurrency, keepOldIndices);
    }

    public SearchSettings withIndexer(int threads, int batchSize, Duration pollInterval) {
        return new SearchSettings(alias, definition, threads, batchSize, pollInterval, backoffInitial, backoffMax, retention,
                pruneInterval, reindexBatchSize, reindexConcurrency, keepOldIndices);
    }

    public SearchSettings withBackoff(Duration initial, Duration max) {
        return new SearchSettings(alias, definition, threads, batchSize, pollInterval, initial, max, retention,
                pruneInterval, reindexBatchSize, reindexConcurrency, keepOldIndices);
    }

    public SearchSettings withRetention(Duration retention, Duration pruneInterval) {
        return new SearchSettings(alias, definition, threads, batchSize, pollInterval, backoffInitial, backoffMax, retention,
                pruneInterval, reindexBatchSize, reindexConcurrency, keepOldIndices);
    }

    public SearchSettings withReindex(int batchSize, int concurrency, int keepOldIndices) {
        return new SearchSettings(alias, definition, threads, this.batchSize, pollInterval, backoffInitial, backoffMax, retention,
                pruneInterval, batchSize, concurrency, keepOldIndices);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1: " + value);
        }
    }
}
