package io.nomadstays.billing;

import io.nomadstays.payments.PaymentIntents;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The nomad's Stripe customer: made once (the idempotency key is the user's), stored once. */
@Component
class StripeCustomers {

    private final DatabaseClient db;
    private final PaymentIntents intents;

    StripeCustomers(DatabaseClient db, PaymentIntents intents) {
        this.db = db;
        this.intents = intents;
    }

    Mono<String> of(UUID userId) {
        return find(userId).switchIfEmpty(Mono.defer(() -> intents.createCustomer(userId)
                .flatMap(customer -> db.sql("INSERT INTO stripe_customer (user_id, stripe_customer_id) VALUES (:u, :c) ON CONFLICT (user_id) DO NOTHING")
                        .bind("u", userId).bind("c", customer).then())
                .then(find(userId))));
    }

    private Mono<String> find(UUID userId) {
        return db.sql("SELECT stripe_customer_id FROM stripe_customer WHERE user_id = :u").bind("u", userId)
                .map(row -> row.get("stripe_customer_id", String.class)).one();
    }
}
