package io.nomadstays.search;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Query-side search settings; the alias searched is {@code nomad.search.alias}, the one the indexer
 * writes through (io.nomadstays.indexing.IndexingProperties).
 *
 * @param timeout how long a search may take, waiting at the gate included, before the caller is told
 *                to retry
 * @param gate    how many searches may be at Elasticsearch or building their answer at once, the others
 *                waiting their turn (default: 4 per processor; 0: no limit; {@link SearchGate})
 */
@ConfigurationProperties("nomad.search.query")
record SearchProperties(@DefaultValue("3s") Duration timeout, Integer gate) {
}
