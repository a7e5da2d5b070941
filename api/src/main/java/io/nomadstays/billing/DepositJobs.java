package io.nomadstays.billing;

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
 * Collects due deposits and releases expired ones every {@code nomad.payments.deposits.job-interval},
 * on the one api instance that holds the lease. Both steps are safe to run twice: a Stripe call
 * repeats with the same idempotency key and the recording step only applies to a deposit still
 * in the state it was read in.
 */
@Component
class DepositJobs {

    private static final Logger log = LoggerFactory.getLogger(DepositJobs.class);
    private static final int BATCH = 100;

    private final DepositService service;
    private final JobLease lease;
    private final DepositProperties settings;
    private Disposable running;

    DepositJobs(DepositService service, JobLease lease, DepositProperties settings) {
        this.service = service;
        this.lease = lease;
        this.settings = settings;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        running = Schedules.every("deposit jobs", settings.jobInterval(), settings.jobInterval(), this::runOnce);
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (running != null) {
            running.dispose();
        }
    }

    /** One round: a batch of collections, then a batch of releases (the rest waits for the next round). */
    Mono<Void> runOnce() {
        Duration ttl = settings.jobInterval().multipliedBy(3).plusSeconds(60);
        return lease.acquire("deposit-jobs", ttl).flatMap(held -> !held ? Mono.empty()
                : service.collectDue(BATCH).doOnNext(n -> log(n, "collection attempts of deposits"))
                .then(service.releaseDue(BATCH)).doOnNext(n -> log(n, "deposits released"))
                .then());
    }

    private static void log(long n, String what) {
        if (n > 0) {
            log.info("{} {}", n, what);
        }
    }
}
