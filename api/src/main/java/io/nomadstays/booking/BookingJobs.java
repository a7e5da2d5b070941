package io.nomadstays.booking;

import io.nomadstays.ops.JobLease;
import io.nomadstays.ops.Schedules;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Expires holds and requests whose time is up and completes finished stays, every
 * {@code nomad.bookings.job-interval}, on the one api instance that holds the lease. Each batch
 * also skips rows another transaction has locked, so a lease that changes hands mid-run is harmless.
 */
@Component
class BookingJobs {

    private static final Logger log = LoggerFactory.getLogger(BookingJobs.class);
    private static final int BATCH = 200;

    private final BookingService service;
    private final JobLease lease;
    private final BookingProperties settings;
    private Disposable running;

    BookingJobs(BookingService service, JobLease lease, BookingProperties settings) {
        this.service = service;
        this.lease = lease;
        this.settings = settings;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        running = Schedules.every("booking jobs", settings.jobInterval(), settings.jobInterval(), this::runOnce);
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (running != null) {
            running.dispose();
        }
    }

    /** One round: expiries then completions, batch by batch, while holding the lease. */
    Mono<Void> runOnce() {
        Duration ttl = settings.jobInterval().multipliedBy(6).plusSeconds(30);
        return lease.acquire("booking-jobs", ttl).flatMap(held -> {
            if (!held) {
                return Mono.empty();
            }
            Mono<Long> expire = service.expireBatch(BATCH);
            Mono<Long> complete = service.completeFinished(BATCH);
            return drain(expire, "expired").then(drain(complete, "completed"));
        });
    }

    private static Mono<Void> drain(Mono<Long> batch, String what) {
        return batch.expand(n -> n >= BATCH ? batch : Mono.empty())
                .reduce(0L, Long::sum)
                .doOnNext(n -> {
                    if (n > 0) {
                        log.info("{} {} bookings", what, n);
                    }
                })
                .then();
    }
}
