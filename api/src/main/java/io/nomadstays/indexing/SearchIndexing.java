package io.nomadstays.indexing;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.nomadstays.ops.JobLease;
import io.nomadstays.ops.Schedules;
import io.nomadstays.index.ConsistencyRepair;
import io.nomadstays.index.OutboxIndexer;
import io.nomadstays.index.RatesRefresh;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The outbox indexer inside the api process: started when the application is ready (its threads
 * create the index and the alias if the alias is missing, retrying while Elasticsearch is down),
 * stopped on shutdown. Turn it off with {@code nomad.search.indexer.enabled=false} when the indexer
 * runs as its own process.
 *
 * <p>The indexer's JDBC connections come from a plain driver {@link DataSource} kept here, not a
 * bean: a DataSource bean would make Spring Boot auto-configure JDBC (and Flyway would use it)
 * beside the R2DBC pool that serves requests.
 */
@Component
class SearchIndexing implements SmartInitializingSingleton, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SearchIndexing.class);

    private final IndexingProperties properties;
    private final ResourceLoader resources;
    private final DataSource dataSource;
    private final OutboxIndexer indexer;
    private final ElasticsearchClient elasticsearch;
    private final JobLease lease;
    private Disposable consistency;
    private volatile boolean started;

    SearchIndexing(IndexingProperties properties, ElasticsearchClient elasticsearch, ResourceLoader resources, JobLease lease) {
        this.properties = properties;
        this.elasticsearch = elasticsearch;
        this.lease = lease;
        this.resources = resources;
        this.dataSource = dataSource(properties.jdbc());
        this.indexer = properties.indexer().enabled() ? new OutboxIndexer(dataSource, elasticsearch, properties.settings()) : null;
    }

    private static DataSource dataSource(IndexingProperties.Jdbc jdbc) {
        if (jdbc == null || jdbc.url() == null || jdbc.url().isBlank()) {
            throw new IllegalStateException("nomad.search.jdbc.url is not set (application.yml points it at spring.flyway.url)");
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbc.url());
        ds.setUser(jdbc.user());
        ds.setPassword(jdbc.password());
        ds.setApplicationName("nomad-api-search-indexer");
        return ds;
    }

    /** After Flyway has migrated (its initializer is a singleton too) and before requests are served. */
    @Override
    public void afterSingletonsInstantiated() {
        Resource file = resources.getResource(properties.ratesFile());
        try (Reader reader = new InputStreamReader(file.getInputStream(), StandardCharsets.UTF_8)) {
            RatesRefresh.Result loaded = RatesRefresh.loadIfEmpty(dataSource,
                    RatesRefresh.RatesFile.parse(reader, properties.ratesFile()));
            if (loaded != null) {
                log.info("Table exchange_rate was empty: loaded {}. {}", properties.ratesFile(), loaded);
            }
        } catch (Exception e) {
            // Search still works without rates (documents lack the USD fields): do not stop the application.
            log.warn("Could not load the shipped exchange rates from {}: {}", properties.ratesFile(), e.toString());
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (indexer == null) {
            log.info("Search indexer disabled in this process (nomad.search.indexer.enabled=false)");
            return;
        }
        indexer.start();
        started = true;
        var check = properties.consistency();
        if (check.enabled()) {
            // The lease outlives the run by most of an interval, so only one instance checks per interval.
            Duration ttl = check.interval().minus(check.interval().dividedBy(10));
            consistency = Schedules.every("search consistency check", check.initialDelay(), check.interval(),
                    () -> lease.acquire("search-consistency", ttl)
                            .filter(Boolean::booleanValue)
                            .flatMap(held -> Mono.fromCallable(this::checkAndRepair).subscribeOn(Schedulers.boundedElastic())));
        }
    }

    /** One scheduled check with repair; logs what it found. */
    ConsistencyRepair.Outcome checkAndRepair() throws Exception {
        ConsistencyRepair.Outcome outcome = ConsistencyRepair.run(dataSource, elasticsearch, properties.settings());
        if (outcome.consistentBefore()) {
            log.info("Search consistency check: index and PostgreSQL agree");
        } else {
            log.warn("Search consistency check: {} units re-indexed; {}\n{}", outcome.repaired(),
                    outcome.consistentAfter() ? "consistent after repair" : "STILL NOT consistent", outcome.report());
        }
        return outcome;
    }

    @Override
    public void destroy() {
        if (consistency != null) {
            consistency.dispose();
        }
        if (indexer != null) {
            indexer.stop(Duration.ofSeconds(10));
        }
    }

    String alias() {
        return properties.alias();
    }

    boolean started() {
        return started;
    }

    /** Empty when the indexer is disabled in this process. */
    Optional<OutboxIndexer.Status> status() {
        return Optional.ofNullable(indexer).map(OutboxIndexer::status);
    }
}
