package io.nomadstays.billing;

import io.nomadstays.booking.Booking;
import io.nomadstays.booking.PaymentGateway;
import io.nomadstays.payments.IdempotencyKeys;
import io.nomadstays.payments.PaymentIntents;
import io.nomadstays.payments.PaymentIntents.IntentState;
import io.nomadstays.payouts.PayoutAccounts;
import io.nomadstays.payouts.PayoutAccount;
import io.nomadstays.shared.Ids;
import io.nomadstays.shared.Money;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The first payment of a booking: first month's rent (or the whole stay when it is at most a month)
 * with the one-off fees, as a destination charge to the operator's connected account with the
 * operator's commission as application fee, saving the nomad's card for rent and deposit claims.
 * The idempotency key is the booking's ({@code booking:<id>:first-payment:<attempt>}), so a retried
 * createBooking (same client key, same booking id) gets the same intent.
 */
@Component
class FirstPayments implements PaymentGateway {

    record Started(Payment payment, PaymentAction action, String customer) implements PaymentGateway.Started {
    }

    private final PaymentIntents intents;
    private final StripeCustomers customers;
    private final PayoutAccounts accounts;
    private final Payments payments;
    private final DatabaseClient db;
    private final TransactionalOperator tx;

    FirstPayments(PaymentIntents intents, StripeCustomers customers, PayoutAccounts accounts, Payments payments, DatabaseClient db,
                  TransactionalOperator tx) {
        this.intents = intents;
        this.customers = customers;
        this.accounts = accounts;
        this.payments = payments;
        this.db = db;
        this.tx = tx;
    }

    static long firstAmount(Booking booking) {
        return RentSchedule.split(booking.total(), booking.quote(), booking.checkIn(), booking.checkOut(), booking.hourly()).get(0).amount();
    }

    @Override
    public Mono<PaymentGateway.Started> start(Booking booking) {
        return start(booking, 1).cast(PaymentGateway.Started.class);
    }

    private Mono<Started> start(Booking booking, int attempt) {
        long amount = firstAmount(booking);
        return Mono.zip(customers.of(booking.guestId()), accounts.find(booking.operatorId()).map(Optional::of).defaultIfEmpty(Optional.empty()),
                        commissionBps(booking))
                .flatMap(t -> {
                    String destination = t.getT2().map(PayoutAccount::stripeAccountId).orElse(null);
                    long fee = destination == null ? 0 : RentSchedule.commission(amount, t.getT3());
                    PaymentIntents.Charge charge = new PaymentIntents.Charge(amount, booking.currency(), t.getT1(), destination, fee, true, null,
                            "Booking " + booking.id() + ": " + booking.checkIn() + " to " + booking.checkOut(),
                            Map.of("booking_id", booking.uuid().toString(), "purpose", "first_payment", "attempt", String.valueOf(attempt)),
                            IdempotencyKeys.of("booking", booking.uuid(), "first-payment", attempt));
                    return intents.create(charge).map(state -> started(booking, attempt, fee, state, t.getT1()));
                });
    }

    private static Started started(Booking booking, int attempt, long fee, IntentState state, String customer) {
        Instant now = Instant.now();
        Payment payment = new Payment(Ids.newId(), booking.operatorId(), booking.uuid(), state.id(), Payment.Purpose.FIRST_PAYMENT, 1, attempt,
                state.amount(), booking.currency(), fee, state.status(), state.latestCharge(), state.failureCode(), state.failureMessage(), now, now);
        return new Started(payment, action(state, booking.currency()), customer);
    }

    static PaymentAction action(IntentState state, String currency) {
        return new PaymentAction(state.id(), state.status(), state.succeeded() ? null : state.clientSecret(), Money.of(state.amount(), currency));
    }

    private Mono<Integer> commissionBps(Booking booking) {
        return db.sql("SELECT commission_bps FROM operator WHERE id = :id").bind("id", booking.operatorId())
                .map(row -> row.get("commission_bps", Integer.class)).one();
    }

    @Override
    public Mono<Void> record(Booking booking, PaymentGateway.Started started) {
        Started s = (Started) started;
        return payments.insert(s.payment())
                .then(db.sql("UPDATE booking SET stripe_customer_id = :c WHERE id = :id").bind("c", s.customer()).bind("id", booking.uuid()).then());
    }

    @Override
    public Mono<Void> abandon(Booking booking, PaymentGateway.Started started) {
        Started s = (Started) started;
        return intents.cancel(s.payment().intentId(), IdempotencyKeys.of("booking", booking.uuid(), "cancel-first-payment", s.payment().attempt()))
                .then();
    }

    @Override
    public Mono<PaymentAction> pay(Booking booking) {
        return payments.latest(booking.uuid(), Payment.Purpose.FIRST_PAYMENT, 1)
                .flatMap(last -> last.status().equals("CANCELED")
                        ? startAndRecord(booking, last.attempt() + 1)
                        : intents.retrieve(last.intentId()).map(state -> action(state, booking.currency())))
                .switchIfEmpty(Mono.defer(() -> startAndRecord(booking, 1)));
    }

    private Mono<PaymentAction> startAndRecord(Booking booking, int attempt) {
        // Two concurrent calls make the same intent (same key); the second insert finds the first's row.
        return start(booking, attempt).flatMap(s -> record(booking, s).as(tx::transactional)
                .onErrorResume(org.springframework.dao.DataIntegrityViolationException.class, e -> Mono.empty())
                .thenReturn(s.action()));
    }
}
