package io.nomadstays.payouts;

import io.nomadstays.payments.ConnectedAccounts;
import io.nomadstays.payments.StripeWebhooks.VerifiedEvent;
import io.nomadstays.payouts.StripeEventHandler.Outcome;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Handles verified Stripe events exactly once: the {@code stripe_event} row and the event's effect
 * commit in one transaction, so a second delivery (or a concurrent one, which waits on the
 * primary key) changes nothing. Handlers re-read the object from Stripe when order matters, so
 * late or out-of-order deliveries converge on Stripe's current state. Types we do not act on are
 * recorded as IGNORED and acknowledged.
 */
@Component
class StripeEvents {

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final PayoutAccounts accounts;
    private final ConnectedAccounts stripeAccounts;
    private final List<StripeEventHandler> handlers;

    StripeEvents(DatabaseClient db, TransactionalOperator tx, PayoutAccounts accounts, ConnectedAccounts stripeAccounts,
                 List<StripeEventHandler> handlers) {
        this.handlers = handlers;
        this.db = db;
        this.tx = tx;
        this.accounts = accounts;
        this.stripeAccounts = stripeAccounts;
    }

    Mono<Outcome> handle(VerifiedEvent event) {
        return seen(event.id()).flatMap(seen -> {
            if (seen) {
                return Mono.just(Outcome.DUPLICATE);
            }
            if (event.type().equals("account.updated")) {
                return accountUpdated(event);
            }
            return handlers.stream().filter(h -> h.handles(event.type())).findFirst()
                    .map(h -> h.handle(event, (outcome, effect) -> record(event, outcome, effect)))
                    .orElseGet(() -> record(event, Outcome.IGNORED, Mono.empty()));
        });
    }

    /**
     * The event's copy of the account may be older than one already applied: read the account from
     * Stripe (outside the transaction: no database connection waits on the network) and store that.
     */
    private Mono<Outcome> accountUpdated(VerifiedEvent event) {
        String accountId = event.objectId() != null ? event.objectId() : event.account();
        if (accountId == null) {
            return record(event, Outcome.IGNORED, Mono.empty());
        }
        return accounts.findByStripeAccount(accountId)
                .flatMap(ours -> stripeAccounts.retrieve(accountId)
                        .flatMap(current -> record(event, Outcome.HANDLED, accounts.update(current).then())))
                .switchIfEmpty(Mono.defer(() -> record(event, Outcome.IGNORED, Mono.empty())));
    }

    private Mono<Boolean> seen(String eventId) {
        return db.sql("SELECT 1 FROM stripe_event WHERE id = :id").bind("id", eventId).map(row -> true).one().defaultIfEmpty(false);
    }

    private Mono<Outcome> record(VerifiedEvent event, Outcome outcome, Mono<Void> effect) {
        return db.sql("""
                        INSERT INTO stripe_event (id, type, account, object_id, created_at, processed_at, outcome)
                        VALUES (:id, :type, :account, :object, :created, now(), :outcome)
                        ON CONFLICT (id) DO NOTHING""")
                .bind("id", event.id()).bind("type", event.type())
                .bind("account", Parameter.fromOrEmpty(event.account(), String.class))
                .bind("object", Parameter.fromOrEmpty(event.objectId(), String.class))
                .bind("created", event.created()).bind("outcome", outcome.name())
                .fetch().rowsUpdated()
                .flatMap(inserted -> inserted == 0 ? Mono.just(Outcome.DUPLICATE) : effect.thenReturn(outcome))
                .as(tx::transactional);
    }
}
