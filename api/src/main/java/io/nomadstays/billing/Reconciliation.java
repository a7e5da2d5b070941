package io.nomadstays.billing;

import io.nomadstays.ops.JobLease;
import io.nomadstays.ops.Schedules;
import io.nomadstays.payments.ConnectedAccounts;
import io.nomadstays.payouts.PayoutAccounts;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * So that a lost webhook cannot leave a booking wrong for long: every
 * {@code nomad.payments.reconcile-interval} (one instance, by lease) the open payments not changed
 * for {@code reconcile-after} are read again from Stripe and converge as their webhook would have
 * made them ({@link PaymentEvents#reconcile}: a succeeded first payment confirms its booking), and
 * payout accounts no {@code account.updated} reached for {@code accounts-stale-after} are read
 * again. Each object is handled on its own: one failing is logged and the others go on.
 */
@Component
class Reconciliation {

    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);
    private static final int BATCH = 100;

    /** What a round did. */
    record Round(long payments, long paymentsFailed, long accounts, long accountsFailed) {
    }

    private final Payments payments;
    private final PaymentEvents events;
    private final PayoutAccounts accounts;
    private final ConnectedAccounts stripeAccounts;
    private final JobLease lease;
    private final BillingJobsProperties settings;
    private final Clock clock = Clock.systemUTC();
    private Disposable running;

    Reconciliation(Payments payments, PaymentEvents events, PayoutAccounts accounts, ConnectedAccounts stripeAccounts, JobLease lease,
                   BillingJobsProperties settings) {
        this.payments = payments;
        this.events = events;
        this.accounts = accounts;
        this.stripeAccounts = stripeAccounts;
        this.lease = lease;
        this.settings = settings;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        running = Schedules.every("payments reconciliation", settings.reconcileInterval(), settings.reconcileInterval(),
                () -> runOnce(clock.instant()));
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (running != null) {
            running.dispose();
        }
    }

    /** One round as of {@code now}, if this instance holds the lease (empty otherwise). */
    Mono<Round> runOnce(Instant now) {
        return lease.acquire("payments-reconciliation", settings.reconcileInterval().multipliedBy(2).plusSeconds(60))
                .filter(Boolean::booleanValue)
                .flatMap(held -> reconcile(now.minus(settings.reconcileAfter()), now.minus(settings.accountsStaleAfter())));
    }

    Mono<Round> reconcile(Instant paymentsBefore, Instant accountsBefore) {
        Mono<long[]> paid = count(payments.open(paymentsBefore, BATCH)
                .concatMap(p -> events.reconcile(p).thenReturn(true).onErrorResume(e -> {
                    log.warn("reconciliation: payment {} of booking {} could not be read again: {}", p.intentId(), p.bookingId(), e.toString());
                    return Mono.just(false);
                })));
        Mono<long[]> refreshed = count(accounts.stale(accountsBefore, BATCH)
                .concatMap(a -> stripeAccounts.retrieve(a.stripeAccountId()).flatMap(accounts::update).thenReturn(true).onErrorResume(e -> {
                    log.warn("reconciliation: payout account {} could not be read again: {}", a.stripeAccountId(), e.toString());
                    return Mono.just(false);
                })));
        return paid.flatMap(p -> refreshed.map(a -> new Round(p[0], p[1], a[0], a[1])))
                .doOnNext(r -> {
                    if (r.payments() + r.accounts() > 0) {
                        log.info("reconciliation: {} open payments read again ({} failed), {} payout accounts read again ({} failed)",
                                r.payments(), r.paymentsFailed(), r.accounts(), r.accountsFailed());
                    }
                });
    }

    /** {done, failed}. */
    private static Mono<long[]> count(Flux<Boolean> outcomes) {
        return outcomes.reduce(new long[2], (n, ok) -> {
            n[0]++;
            if (!ok) {
                n[1]++;
            }
            return n;
        });
    }
}
