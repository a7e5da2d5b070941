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
 * Charges the rent that is due, every {@code nomad.payments.rent.job-interval}, on the one api instance that
 * holds the lease (two instances charging the same month would still send Stripe the same key).
 */
@Component
class RentJobs {

    private static final Logger log = LoggerFactory.getLogger(RentJobs.class);
    private static final int BATCH = 200;

    private final Rent rent;
    private final JobLease lease;
    private final RentProperties settings;
    private Disposable running;

    RentJobs(Rent rent, JobLease lease, RentProperties settings) {
        this.rent = rent;
        this.lease = lease;
        this.settings = settings;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        running = Schedules.every("rent job", settings.jobInterval(), settings.jobInterval(), this::runOnce);
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (running != null) {
            running.dispose();
        }
    }

    /**
     * One round: up to a batch of due months. Not drained in a loop: a month Stripe could not take
     * stays due and must not be retried at once; the rest waits for the next round.
     */
    Mono<Void> runOnce() {
        Duration ttl = settings.jobInterval().multipliedBy(2).plusMinutes(5);
        return lease.acquire("rent-jobs", ttl).flatMap(held -> !held ? Mono.<Void>empty() : rent.chargeDue(BATCH)
                .doOnNext(n -> {
                    if (n > 0) {
                        log.info("{} rent charges made", n);
                    }
                })
                .then());
    }
}
