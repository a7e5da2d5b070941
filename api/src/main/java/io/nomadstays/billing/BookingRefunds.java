package io.nomadstays.billing;

import io.nomadstays.booking.Booking;
import io.nomadstays.booking.CancellationRefunds;
import io.nomadstays.ledger.Ledger;
import io.nomadstays.ledger.LedgerEntry;
import io.nomadstays.payments.IdempotencyKeys;
import io.nomadstays.payments.PaymentIntents;
import io.nomadstays.payments.Refunds;
import io.nomadstays.payments.Refunds.RefundState;
import io.nomadstays.shared.Ids;
import io.nomadstays.shared.Money;
import io.r2dbc.spi.Readable;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Cancellation refunds through Stripe. What is owed back comes first out of the first payment,
 * then out of rent already paid, newest month first. Each payment's refund is a refund of its
 * intent with {@code reverse_transfer} and {@code refund_application_fee} (destination charges), so
 * the operator gives back its share and the platform its commission in proportion; the fee share
 * is computed as Stripe does, {@code fee * refunded / amount} rounded half up (all of it for a full
 * refund). Keys: {@code booking:<id>:cancel-refund-<payment sequence>:1}, one refund per payment
 * and booking, so a retry gets Stripe's first refund. Stripe's answer is recorded at call time:
 * no {@code charge.refunded}/{@code refund.updated} webhook is needed for the ledger.
 */
@Component
class BookingRefunds implements CancellationRefunds {

    private static final Logger log = LoggerFactory.getLogger(BookingRefunds.class);

    /** One payment's refund, made at Stripe. */
    record Made(Payment payment, RefundState refund, long feeRefund) {
    }

    record Refunded(List<Made> made) implements CancellationRefunds.Refunded {
        @Override
        public long amount() {
            return made.stream().mapToLong(m -> m.refund().amount()).sum();
        }
    }

    /** A refund as the booking shows it. */
    record BookingRefund(Money amount, String status, String stripeRefundId, Instant createdAt) {
    }

    private final Payments payments;
    private final PaymentIntents intents;
    private final Refunds refunds;
    private final Ledger ledger;
    private final DatabaseClient db;
    private final Clock clock = Clock.systemUTC();

    BookingRefunds(Payments payments, PaymentIntents intents, Refunds refunds, Ledger ledger, DatabaseClient db) {
        this.payments = payments;
        this.intents = intents;
        this.refunds = refunds;
        this.ledger = ledger;
        this.db = db;
    }

    /** What each payment gives back: the first payment first, then rent, newest month first. */
    static List<Map.Entry<Payment, Long>> plan(List<Payment> paid, long amount) {
        List<Payment> order = paid.stream()
                .filter(p -> p.status().equals("SUCCEEDED") && (p.purpose() == Payment.Purpose.FIRST_PAYMENT || p.purpose() == Payment.Purpose.RENT))
                .sorted(Comparator.comparing((Payment p) -> p.purpose() == Payment.Purpose.FIRST_PAYMENT ? 0 : 1)
                        .thenComparing(Payment::sequence, Comparator.reverseOrder()))
                .toList();
        List<Map.Entry<Payment, Long>> parts = new ArrayList<>();
        long left = amount;
        for (Payment p : order) {
            if (left <= 0) {
                break;
            }
            long part = Math.min(left, p.amount());
            parts.add(Map.entry(p, part));
            left -= part;
        }
        return parts;
    }

    /** The commission given back with a refund of {@code refunded} of a payment: in proportion, half up. */
    static long feeShare(long fee, long refunded, long amount) {
        if (refunded >= amount) {
            return fee;
        }
        BigInteger[] qr = BigInteger.valueOf(fee).multiply(BigInteger.valueOf(refunded)).divideAndRemainder(BigInteger.valueOf(amount));
        return qr[0].longValueExact() + (qr[1].shiftLeft(1).compareTo(BigInteger.valueOf(amount)) >= 0 ? 1 : 0);
    }

    @Override
    public Mono<CancellationRefunds.Refunded> refundCancellation(Booking booking, long owed) {
        long kept = Math.max(0, booking.total() - owed);
        return payments.ofBooking(booking.uuid())
                .filter(p -> p.status().equals("SUCCEEDED") && (p.purpose() == Payment.Purpose.FIRST_PAYMENT || p.purpose() == Payment.Purpose.RENT))
                .map(Payment::amount).reduce(0L, Long::sum)
                .flatMap(paid -> refund(booking, Math.max(0, paid - kept)));
    }

    @Override
    public Mono<CancellationRefunds.Refunded> refund(Booking booking, long amount) {
        if (amount <= 0) {
            return Mono.just(new Refunded(List.of()));
        }
        return payments.ofBooking(booking.uuid()).collectList()
                .flatMapMany(paid -> Flux.fromIterable(plan(paid, amount)))
                // One at a time: a failure stops before the next payment (a retry sends the same keys for those done).
                .concatMap(part -> refundPart(booking, part.getKey(), part.getValue()))
                .collectList()
                .map(Refunded::new);
    }

    private Mono<Made> refundPart(Booking booking, Payment payment, long amount) {
        // Destination charges reverse the operator's transfer; a charge kept on the platform (no account) has none.
        return intents.retrieve(payment.intentId())
                .flatMap(intent -> refunds.refund(payment.intentId(), amount, intent.destination() != null,
                        Map.of("booking_id", booking.uuid().toString(), "payment_id", payment.uuid().toString(), "reason", "cancellation"),
                        IdempotencyKeys.of("booking", booking.uuid(), "cancel-refund-" + payment.sequence(), 1)))
                .map(refund -> new Made(payment, refund, feeShare(payment.applicationFee(), refund.amount(), payment.amount())))
                .doOnNext(made -> log.info("booking {}: refunded {} {} of payment {} ({})", booking.uuid(), made.refund().amount(),
                        payment.currency(), payment.intentId(), made.refund().id()));
    }

    @Override
    public Mono<Void> record(Booking booking, CancellationRefunds.Refunded refunded) {
        Instant now = clock.instant();
        return Flux.fromIterable(((Refunded) refunded).made()).concatMap(m -> db.sql("""
                                INSERT INTO refund (id, operator_id, booking_id, payment_id, stripe_refund_id, reason, amount, fee_refund, currency, status)
                                VALUES (:id, :op, :booking, :payment, :refund, 'CANCELLATION', :amount, :fee, :currency, :status)
                                ON CONFLICT (stripe_refund_id) DO NOTHING""")
                        .bind("id", Ids.newId()).bind("op", booking.operatorId()).bind("booking", booking.uuid())
                        .bind("payment", m.payment().uuid()).bind("refund", m.refund().id()).bind("amount", m.refund().amount())
                        .bind("fee", m.feeRefund()).bind("currency", m.payment().currency()).bind("status", status(m.refund().status()))
                        .then()
                        .then(ledger.append(booking.operatorId(), booking.uuid(), LedgerEntry.Kind.REFUND,
                                Money.of(-m.refund().amount(), m.payment().currency()), m.refund().id(), now,
                                "cancellation: refund of the " + (m.payment().purpose() == Payment.Purpose.RENT ? "rent of month " + m.payment().sequence()
                                        : "first payment")))
                        .then(m.feeRefund() == 0 ? Mono.empty() : ledger.append(booking.operatorId(), booking.uuid(), LedgerEntry.Kind.FEE_REFUND,
                                Money.of(m.feeRefund(), m.payment().currency()), m.refund().id(), now, "commission refunded in proportion")))
                .then();
    }

    private static String status(String stripe) {
        return switch (stripe) {
            case "PENDING", "REQUIRES_ACTION", "SUCCEEDED", "FAILED", "CANCELED" -> stripe;
            default -> "PENDING";
        };
    }

    @Override
    public Mono<Void> release(Booking booking) {
        return payments.ofBooking(booking.uuid())
                .filter(p -> p.purpose() == Payment.Purpose.FIRST_PAYMENT && p.open())
                .concatMap(p -> intents.cancel(p.intentId(), IdempotencyKeys.of("booking", booking.uuid(), "cancel-first-payment", p.attempt()))
                        .flatMap(state -> payments.update(p, state))
                        // Best effort: an intent never confirmed never charges; one paid anyway is refunded by its webhook.
                        .onErrorResume(e -> {
                            log.warn("booking {}: could not cancel payment {}: {}", booking.uuid(), p.intentId(), e.toString());
                            return Mono.empty();
                        }))
                .then();
    }

    /** The refunds of these bookings, oldest first. */
    Mono<Map<UUID, List<BookingRefund>>> ofBookings(Collection<UUID> bookingIds) {
        return db.sql("SELECT booking_id, amount, currency, status, stripe_refund_id, created_at FROM refund WHERE booking_id = ANY(:ids)"
                        + " ORDER BY created_at, id")
                .bind("ids", bookingIds.toArray(UUID[]::new))
                .map(row -> Map.entry(row.get("booking_id", UUID.class), map(row))).all()
                .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    }

    private static BookingRefund map(Readable row) {
        return new BookingRefund(Money.of(row.get("amount", Long.class), row.get("currency", String.class).trim()), row.get("status", String.class),
                row.get("stripe_refund_id", String.class), row.get("created_at", Instant.class));
    }
}
