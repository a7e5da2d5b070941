package io.nomadstays.graphql;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Query limits. Complexity counts each field once, multiplied by its connection's {@code first}
 * (default 20), so a nested list of lists of lists is refused before it runs.
 */
@ConfigurationProperties("nomad.graphql")
public record GraphQlLimits(@DefaultValue("12") int maxDepth, @DefaultValue("5000") int maxComplexity) {
}
