package io.nomadstays.ops;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The one way scheduled jobs run here: a round every interval, never two rounds of a job at once
 * (a round that overruns makes the next tick be dropped), and a failed round logged without
 * stopping the schedule. Jobs that must run on one instance only take a {@link JobLease} in their round.
 */
public final class Schedules {

    private static final Logger log = LoggerFactory.getLogger(Schedules.class);

    private Schedules() {
    }

    /** Starts {@code round} after {@code initialDelay}, then every {@code interval}; dispose the result to stop. */
    public static Disposable every(String job, Duration initialDelay, Duration interval, Supplier<Mono<?>> round) {
        return Flux.interval(initialDelay, interval)
                .onBackpressureDrop()
                .concatMap(tick -> Mono.defer(round).onErrorResume(e -> {
                    log.warn("{} failed, next run in {}: {}", job, interval, e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }
}
