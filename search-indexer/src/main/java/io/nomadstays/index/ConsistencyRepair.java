package io.nomadstays.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import javax.sql.DataSource;

/**
 * The consistency check with repair as one call, for schedulers outside this module (the api runs
 * it daily): the same code as {@code search-indexer.jar check --repair}.
 */
public final class ConsistencyRepair {

    /** What one run found and did; {@code report} is the printed check (after repair, when there was one). */
    public record Outcome(boolean consistentBefore, int repaired, boolean consistentAfter, String report) {
    }

    private ConsistencyRepair() {
    }

    public static Outcome run(DataSource dataSource, ElasticsearchClient es, SearchSettings settings) throws Exception {
        ConsistencyCheck check = new ConsistencyCheck(dataSource, es, settings);
        ConsistencyCheck.Report before = check.check();
        if (before.consistent()) {
            return new Outcome(true, 0, true, before.toString());
        }
        int repaired = check.repair(before);
        ConsistencyCheck.Report after = check.check();
        return new Outcome(false, repaired, after.consistent(), before + "\nafter repair:\n" + after);
    }
}
