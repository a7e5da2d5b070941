package io.nomadstays.search;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Query-side search settings.
 *
 * @param alias   the index alias searches read (the indexer writes through the same alias)
 * @param timeout how long a search may take before the caller is told to retry
 */
@ConfigurationProperties("nomad.search.query")
record SearchProperties(@DefaultValue("stays") String alias, @DefaultValue("3s") Duration timeout) {
}
