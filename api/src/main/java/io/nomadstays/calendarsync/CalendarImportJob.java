package io.nomadstays.calendarsync;

import io.nomadstays.ops.JobLease;
import io.nomadstays.ops.Schedules;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Imports every feed each {@code nomad.calendar-sync.import-interval}, one feed at a time, on the
 * one api instance that holds the "calendar-import" lease. Each feed has a time limit, and its
 * failure, whatever it is, is recorded on that feed and the run goes on with the next.
 */
@Component
class CalendarImportJob {

    private static final Logger log = LoggerFactory.getLogger(CalendarImportJob.class);
    static final String LEASE = "calendar-import";

    private final CalendarFeeds feeds;
    private final FeedImporter importer;
    private final JobLease lease;
    private final CalendarSyncProperties settings;
    private Disposable running;

    CalendarImportJob(CalendarFeeds feeds, FeedImporter importer, JobLease lease, CalendarSyncProperties settings) {
        this.feeds = feeds;
        this.importer = importer;
        this.lease = lease;
        this.settings = settings;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (!settings.importEnabled()) {
            return;
        }
        running = Schedules.every("calendar import", settings.importInterval(), settings.importInterval(), this::runOnce);
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (running != null) {
            running.dispose();
        }
    }

    /** One round over all feeds; answers how many were attempted (0 when another instance holds the lease). */
    Mono<Long> runOnce() {
        Duration perFeed = settings.perFeedTimeout();
        // The lease is renewed before each feed for one feed's time, so a dead holder frees it soon.
        Duration ttl = perFeed.plusMinutes(1);
        // The ids first: a cursor left open would hold a connection for the whole run.
        return feeds.allByLastAttempt().collectList().flatMapMany(Flux::fromIterable)
                .concatMap(id -> lease.acquire(LEASE, ttl).flatMap(held -> !held ? Mono.just(false)
                        : importer.sync(id)
                                .timeout(perFeed)
                                .onErrorResume(e -> {
                                    String error = e instanceof TimeoutException
                                            ? "the import took longer than " + perFeed.toSeconds() + " s and was stopped"
                                            : "the import failed (" + e.getClass().getSimpleName() + ")";
                                    log.warn("calendar feed {}: {}", id, error, e);
                                    return importer.recordFailure(id, error).onErrorResume(ignored -> Mono.empty()).then(Mono.empty());
                                })
                                .thenReturn(true)))
                .takeWhile(held -> held)
                .count();
    }
}
