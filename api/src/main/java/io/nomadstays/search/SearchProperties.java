package io.nomadstays.search;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Query-side search settings; the alias searched is {@code nomad.search.alias}, the one the indexer
 * writes through (io.nomadstays.indexing.IndexingProperties).
 *
 * @param timeout how long a search may take before the caller is told to retry
 */
@ConfigurationProperties("nomad.search.query")
record SearchProperties(@DefaultValue("3s") Duration timeout) {
}
