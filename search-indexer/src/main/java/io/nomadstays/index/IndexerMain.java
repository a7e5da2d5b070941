package io.nomadstays.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The indexer as its own process: {@code java -jar search-indexer/target/search-indexer.jar [command]}.
 * Configuration comes from the same environment variables as .local/services.env
 * (docs/search-indexing.md lists them).
 */
public final class IndexerMain {

    static final String USAGE = """
            Usage: java -jar search-indexer.jar [command]
              run                    index outbox events until stopped (the default)
              reindex [--fresh]      build a new index from PostgreSQL, swap the alias, delete old indices;
                                     resumes a crashed run unless --fresh
              check [--repair]       compare PostgreSQL with the index; --repair re-indexes the differences
              refresh-rates <file>   load an exchange-rates file and re-index units of changed currencies
            Environment: NOMAD_PG_HOST, NOMAD_PG_PORT, NOMAD_PG_USER, NOMAD_PG_PASSWORD, NOMAD_PG_DATABASE,
              NOMAD_ES_URL, NOMAD_ES_API_KEY, NOMAD_SEARCH_ALIAS, NOMAD_SEARCH_DEFINITION, NOMAD_SEARCH_THREADS,
              NOMAD_SEARCH_BATCH_SIZE, NOMAD_SEARCH_REINDEX_BATCH_SIZE, NOMAD_SEARCH_REINDEX_CONCURRENCY,
              NOMAD_SEARCH_KEEP_OLD_INDICES""";

    /** Exit codes. */
    static final int OK = 0;
    static final int DIFFERENCES = 1;
    static final int USAGE_ERROR = 2;
    static final int FAILED = 3;

    private IndexerMain() {
    }

    public static void main(String[] args) {
        // We log through System.Logger (java.util.logging here, SLF4J inside the api): one line per record.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s - %5$s%6$s%n");
        }
        // The progress bar library brings slf4j-api without a provider; its "no providers" warning is noise.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        System.exit(run(args, System.getenv(), System.out, true));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, boolean progressBar) {
        List<String> rest = new ArrayList<>(List.of(args));
        String command = rest.isEmpty() ? "run" : rest.remove(0);
        if (command.equals("-h") || command.equals("--help") || command.equals("help")) {
            out.println(USAGE);
            return OK;
        }
        SearchSettings settings;
        try {
            settings = settings(env);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return USAGE_ERROR;
        }
        DataSource dataSource = dataSource(env);
        ElasticsearchClient es = Elasticsearch.connect(env.getOrDefault("NOMAD_ES_URL", "http://127.0.0.1:19200"),
                env.get("NOMAD_ES_API_KEY"));
        try {
            switch (command) {
                case "run" -> {
                    return runIndexer(dataSource, es, settings, out);
                }
                case "reindex" -> {
                    boolean fresh = rest.remove("--fresh");
                    if (!rest.isEmpty()) {
                        return usage("reindex takes only --fresh, not " + rest);
                    }
                    Reindexer reindexer = new Reindexer(dataSource, es, settings);
                    reindexer.progressBar = progressBar;
                    out.println(reindexer.run(fresh));
                    return OK;
                }
                case "check" -> {
                    boolean repair = rest.remove("--repair");
                    if (!rest.isEmpty()) {
                        return usage("check takes only --repair, not " + rest);
                    }
                    ConsistencyCheck check = new ConsistencyCheck(dataSource, es, settings);
                    ConsistencyCheck.Report report = check.check();
                    out.println(report);
                    if (report.consistent() || !repair) {
                        return report.consistent() ? OK : DIFFERENCES;
                    }
                    out.println("repair: " + check.repair(report) + " units re-indexed through the outbox");
                    ConsistencyCheck.Report after = check.check();
                    out.println(after);
                    return after.consistent() ? OK : DIFFERENCES;
                }
                case "refresh-rates" -> {
                    if (rest.size() != 1) {
                        return usage("refresh-rates needs one file");
                    }
                    Path file = Path.of(rest.get(0));
                    RatesRefresh.RatesFile rates;
                    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                        rates = RatesRefresh.RatesFile.parse(reader, file.toString());
                    }
                    out.println(RatesRefresh.refresh(dataSource, rates));
                    return OK;
                }
                default -> {
                    return usage("Unknown command " + command);
                }
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println(command + ": " + e.getMessage());
            return FAILED;
        } catch (Exception e) {
            System.err.println(command + " failed: " + e);
            e.printStackTrace();
            return FAILED;
        } finally {
            try {
                es._transport().close();
            } catch (Exception ignored) {
                // Exiting anyway.
            }
        }
    }

    private static int runIndexer(DataSource dataSource, ElasticsearchClient es, SearchSettings settings, PrintStream out)
            throws InterruptedException {
        OutboxIndexer indexer = new OutboxIndexer(dataSource, es, settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            indexer.stop(Duration.ofSeconds(20));
            stopped.countDown();
        }, "search-indexer-shutdown"));
        indexer.start();
        // A status line a minute, for whoever reads the process's output.
        while (!stopped.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
            out.println(indexer.status());
        }
        return OK;
    }

    private static int usage(String message) {
        System.err.println(message);
        System.err.println(USAGE);
        return USAGE_ERROR;
    }

    static SearchSettings settings(Map<String, String> env) {
        SearchSettings d = SearchSettings.defaults();
        SearchSettings s = d.withAlias(env.getOrDefault("NOMAD_SEARCH_ALIAS", d.alias()))
                .withDefinition(env.getOrDefault("NOMAD_SEARCH_DEFINITION", d.definition()))
                .withIndexer(number(env, "NOMAD_SEARCH_THREADS", d.threads()), number(env, "NOMAD_SEARCH_BATCH_SIZE", d.batchSize()),
                        d.pollInterval());
        return s.withReindex(number(env, "NOMAD_SEARCH_REINDEX_BATCH_SIZE", d.reindexBatchSize()),
                number(env, "NOMAD_SEARCH_REINDEX_CONCURRENCY", d.reindexConcurrency()),
                number(env, "NOMAD_SEARCH_KEEP_OLD_INDICES", d.keepOldIndices()));
    }

    static DataSource dataSource(Map<String, String> env) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {env.getOrDefault("NOMAD_PG_HOST", "127.0.0.1")});
        ds.setPortNumbers(new int[] {number(env, "NOMAD_PG_PORT", 55432)});
        ds.setDatabaseName(env.getOrDefault("NOMAD_PG_DATABASE", "nomad"));
        ds.setUser(env.getOrDefault("NOMAD_PG_USER", "nomad"));
        ds.setPassword(env.getOrDefault("NOMAD_PG_PASSWORD", "nomad"));
        ds.setApplicationName("nomad-search-indexer");
        return ds;
    }

    private static int number(Map<String, String> env, String key, int fallback) {
        String value = env.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number: " + value);
        }
    }
}
