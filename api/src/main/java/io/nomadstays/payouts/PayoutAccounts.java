package io.nomadstays.payouts;

import io.nomadstays.payments.ConnectedAccounts.AccountState;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Reads and writes {@code payout_account}: one Stripe account per operator. Whether it can take
 * charges decides whether the operator's units can be booked, and so whether search shows them: a
 * write that changes it records an {@code OperatorPaymentsChanged} outbox event per property of the
 * operator in the same statement (the indexer rewrites their units' documents).
 */
@Component
public class PayoutAccounts {

    private static final String COLUMNS = """
            operator_id, stripe_account_id, charges_enabled, payouts_enabled, details_submitted, requirements_due,
            disabled_reason, updated_at""";

    private final DatabaseClient db;

    PayoutAccounts(DatabaseClient db) {
        this.db = db;
    }

    public Mono<PayoutAccount> find(UUID operatorId) {
        return db.sql("SELECT " + COLUMNS + " FROM payout_account WHERE operator_id = :op")
                .bind("op", operatorId).map(PayoutAccounts::map).one();
    }

    /** Whether units of the operator can be booked: a Stripe account that can take charges. */
    public Mono<Boolean> canTakeCharges(UUID operatorId) {
        return find(operatorId).map(PayoutAccount::chargesEnabled).defaultIfEmpty(false);
    }

    Mono<PayoutAccount> findByStripeAccount(String stripeAccountId) {
        return db.sql("SELECT " + COLUMNS + " FROM payout_account WHERE stripe_account_id = :acct")
                .bind("acct", stripeAccountId).map(PayoutAccounts::map).one();
    }

    /**
     * Stores the operator's new account unless one is stored already (two owners racing: the same
     * account, Stripe answered both with the same idempotency key); answers the stored one.
     */
    Mono<PayoutAccount> insertIfAbsent(UUID operatorId, AccountState state) {
        return db.sql("""
                        WITH inserted AS (
                          INSERT INTO payout_account (operator_id, stripe_account_id, charges_enabled, payouts_enabled, details_submitted,
                                                      requirements_due, disabled_reason)
                          VALUES (:op, :acct, :charges, :payouts, :details, :due, :reason)
                          ON CONFLICT (operator_id) DO NOTHING
                          RETURNING operator_id, charges_enabled)
                        INSERT INTO outbox_event (operator_id, aggregate_type, aggregate_id, event_type)
                        SELECT p.operator_id, 'property', p.id, 'OperatorPaymentsChanged'
                          FROM property p JOIN inserted i ON i.operator_id = p.operator_id
                         WHERE i.charges_enabled""")
                .bind("op", operatorId).bind("acct", state.id())
                .bind("charges", state.chargesEnabled()).bind("payouts", state.payoutsEnabled()).bind("details", state.detailsSubmitted())
                .bind("due", state.requirementsDue().toArray(String[]::new))
                .bind("reason", org.springframework.r2dbc.core.Parameter.fromOrEmpty(state.disabledReason(), String.class))
                .then()
                .then(find(operatorId));
    }

    /** Accounts no webhook updated since {@code before}, least recently updated first (the reconciliation re-reads them). */
    public reactor.core.publisher.Flux<PayoutAccount> stale(Instant before, int limit) {
        return db.sql("SELECT " + COLUMNS + " FROM payout_account WHERE updated_at < :before ORDER BY updated_at LIMIT :limit")
                .bind("before", before).bind("limit", limit).map(PayoutAccounts::map).all();
    }

    /** Copies Stripe's current state of the account; 0 when the account is not one of ours. */
    public Mono<Long> update(AccountState state) {
        // The CTEs see the row as it was before the statement: "before" is the old state.
        return db.sql("""
                        WITH before AS (SELECT operator_id, charges_enabled FROM payout_account WHERE stripe_account_id = :acct),
                        updated AS (
                          UPDATE payout_account SET charges_enabled = :charges, payouts_enabled = :payouts, details_submitted = :details,
                                 requirements_due = :due, disabled_reason = :reason, updated_at = now()
                           WHERE stripe_account_id = :acct
                          RETURNING operator_id, charges_enabled),
                        changed AS (
                          SELECT u.operator_id FROM updated u JOIN before b USING (operator_id)
                           WHERE u.charges_enabled IS DISTINCT FROM b.charges_enabled),
                        events AS (
                          INSERT INTO outbox_event (operator_id, aggregate_type, aggregate_id, event_type)
                          SELECT p.operator_id, 'property', p.id, 'OperatorPaymentsChanged'
                            FROM property p JOIN changed c ON c.operator_id = p.operator_id)
                        SELECT count(*) AS updated FROM updated""")
                .bind("acct", state.id())
                .bind("charges", state.chargesEnabled()).bind("payouts", state.payoutsEnabled()).bind("details", state.detailsSubmitted())
                .bind("due", state.requirementsDue().toArray(String[]::new))
                .bind("reason", org.springframework.r2dbc.core.Parameter.fromOrEmpty(state.disabledReason(), String.class))
                .map(row -> row.get("updated", Long.class)).one();
    }

    private static PayoutAccount map(Readable row) {
        String[] due = row.get("requirements_due", String[].class);
        return new PayoutAccount(row.get("operator_id", UUID.class), row.get("stripe_account_id", String.class),
                Boolean.TRUE.equals(row.get("charges_enabled", Boolean.class)), Boolean.TRUE.equals(row.get("payouts_enabled", Boolean.class)),
                Boolean.TRUE.equals(row.get("details_submitted", Boolean.class)), due == null ? List.of() : List.of(due),
                row.get("disabled_reason", String.class), row.get("updated_at", Instant.class));
    }
}
