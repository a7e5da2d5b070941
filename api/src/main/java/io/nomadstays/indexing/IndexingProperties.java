package io.nomadstays.indexing;

import io.nomadstays.index.SearchSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code nomad.search.*}: how the index is named and kept (the query side has its own
 * {@code nomad.search.query.*}).
 *
 * @param alias      the alias searches read and the indexer writes through
 * @param definition the index definition: {@code classpath:search/stays-v1.json}, or {@code file:...} for a
 *                   production definition with other analysis (docs/search-indexing.md)
 * @param ratesFile  loaded into {@code exchange_rate} at start-up when the table is empty
 * @param jdbc       the indexer's own JDBC connection (the application serves requests with R2DBC);
 *                   application.yml points it at Flyway's settings
 */
@ConfigurationProperties("nomad.search")
public record IndexingProperties(@DefaultValue("stays") String alias,
                                 @DefaultValue("classpath:search/stays-v1.json") String definition,
                                 @DefaultValue("classpath:rates/exchange-rates.csv") String ratesFile,
                                 @DefaultValue Jdbc jdbc,
                                 @DefaultValue Indexer indexer,
                                 @DefaultValue Reindex reindex,
                                 @DefaultValue Consistency consistency) {

    /**
     * The scheduled consistency check with repair (the same as {@code search-indexer.jar check --repair}),
     * run by one api instance at a time under a lease.
     *
     * @param enabled      run it in this process
     * @param interval     time between runs
     * @param initialDelay first run after start-up
     */
    public record Consistency(@DefaultValue("true") boolean enabled, @DefaultValue("24h") Duration interval,
                              @DefaultValue("1h") Duration initialDelay) {
    }

    public record Jdbc(String url, String user, String password) {
    }

    /**
     * @param enabled     run the indexer in this process (turn off when it runs as its own process)
     * @param threads     indexer threads, each with its own PostgreSQL connection
     * @param batchSize   outbox events per transaction
     * @param pollInterval wait after a batch that was not full
     */
    public record Indexer(@DefaultValue("true") boolean enabled, @DefaultValue("1") int threads,
                          @DefaultValue("500") int batchSize, @DefaultValue("50ms") Duration pollInterval,
                          @DefaultValue("100ms") Duration backoffInitial, @DefaultValue("30s") Duration backoffMax,
                          @DefaultValue("1d") Duration retention, @DefaultValue("10m") Duration pruneInterval) {
    }

    public record Reindex(@DefaultValue("1000") int batchSize, @DefaultValue("2") int concurrency,
                          @DefaultValue("0") int keepOldIndices) {
    }

    SearchSettings settings() {
        return new SearchSettings(alias, definition, indexer.threads(), indexer.batchSize(), indexer.pollInterval(),
                indexer.backoffInitial(), indexer.backoffMax(), indexer.retention(), indexer.pruneInterval(),
                reindex.batchSize(), reindex.concurrency(), reindex.keepOldIndices());
    }
}
