package io.nomadstays.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.parser.Parser;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RememberedLimitTests {

    private final RememberedLimit limit = new RememberedLimit(new MaxQueryDepthInstrumentation(12), Set.of("first"));

    @Test
    void anOperationIsRememberedOnlyWhenVariablesCannotChangeItsLimits() {
        assertThat(independent("query($f: StaySearchInput!) { searchStays(filter: $f, first: 20) { totalCount } }")).isTrue();
        assertThat(independent("query($n: Int) { searchStays(filter: {}, first: $n) { totalCount } }")).isFalse();
        assertThat(independent("query($x: Boolean!) { searchStays(filter: {}) { facets @include(if: $x) { unitTypes { count } } } }")).isFalse();
        assertThat(independent("query($x: Boolean!) { ...f } fragment f on Query { me @skip(if: $x) { id } }")).isFalse();
        assertThat(independent("query { searchStays(filter: {}) { facets @include(if: true) { unitTypes { count } } } }")).isTrue();
    }

    private boolean independent(String query) {
        return limit.independentOfVariables(Parser.parse(query));
    }
}
