package io.nomadstays.billing;

import io.nomadstays.booking.Booking;
import io.nomadstays.booking.CancellationPolicy;
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
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
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
 *
 * <p>An early move-out gives back part of what was paid for the nights given up, {@code [moveOut,
 * check-out)}: each paid instalment (the first payment's rent, without its one-off fees, and each
 * paid month) counts pro rata by its nights in that range; the policy's share of that sum is
 * refunded newest instalment first. Keys: {@code booking:<id>:move-out-refund-<payment
 * sequence>:<n>}, n = move-out refunds of that payment stored so far + 1: a retry whose commit was
 * lost sends the same key, a later second move-out a new one.
 */
@Component
class BookingRefunds implements CancellationRefunds {

    private static final Logger log = LoggerFactory.getLogger(BookingRefunds.class);

    /** One payment's refund, made at Stripe. */
    record Made(Payment payment, RefundState refund, long feeRefund) {
    }

    /** {@code reason}: the {@code refund.reason}, CANCELLATION or MOVE_OUT. */
    record Refunded(List<Made> made, String reason) implements CancellationRefunds.Refunded {
        @Override
        public long amount() {
            return made.stream().mapToLong(m -> m.refund().amount()).sum();
        }
    }

    /** A refund as the booking shows it. */
    record BookingRefund(Money amount, String status, String stripeRefundId, Instant createdAt) {
    }

    /** What a paid instalment paid for the nights given up by a move-out. */
    record NightsPaid(Payment payment, LocalDate from, LocalDate to, long amount) {
    }

    private final Payments payments;
    private final RentInstalments months;
    private final PaymentIntents intents;
    private final Refunds refunds;
    private final Ledger ledger;
    private final DatabaseClient db;
    private final Clock clock = Clock.systemUTC();

    BookingRefunds(Payments payments, RentInstalments months, PaymentIntents intents, Refunds refunds, Ledger ledger, DatabaseClient db) {
        this.payments = payments;
        this.months = months;
        this.intents = intents;
        this.refunds = refunds;
        this.ledger = ledger;
        this.db = db;
    }

    /** What each payment gives back: the first payment first, then rent, newest month first. */
    static List<Map.Entry<Payment, Long>> plan(List<Payment> paid, long amount) {
        return plan(paid, Map.of(), amount);
    }

    /** The same, each payment giving back at most what earlier refunds ({@code refunded}, by payment) left of it. */
    static List<Map.Entry<Payment, Long>> plan(List<Payment> paid, Map<UUID, Long> refunded, long amount) {
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
            long part = Math.min(left, p.amount() - refunded.getOrDefault(p.uuid(), 0L));
            if (part <= 0) {
                continue;
            }
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
        // Net of what earlier refunds (an early move-out) gave back: the total is already net of those too.
        return Mono.zip(payments.ofBooking(booking.uuid())
                                .filter(p -> p.status().equals("SUCCEEDED")
                                        && (p.purpose() == Payment.Purpose.FIRST_PAYMENT || p.purpose() == Payment.Purpose.RENT))
                                .collectList(),
                        refundedSoFar(booking.uuid()))
                .flatMap(t -> {
                    long paid = t.getT1().stream().mapToLong(p -> p.amount() - t.getT2().amounts().getOrDefault(p.uuid(), 0L)).sum();
                    return refund(booking, Math.max(0, paid - kept));
                });
    }

    @Override
    public Mono<CancellationRefunds.Refunded> refund(Booking booking, long amount) {
        if (amount <= 0) {
            return Mono.just(new Refunded(List.of(), "CANCELLATION"));
        }
        return Mono.zip(payments.ofBooking(booking.uuid()).collectList(), refundedSoFar(booking.uuid()))
                .flatMapMany(t -> Flux.fromIterable(plan(t.getT1(), t.getT2().amounts(), amount)))
                // One at a time: a failure stops before the next payment (a retry sends the same keys for those done).
                .concatMap(part -> refundPart(booking, part.getKey(), part.getValue(), "cancel-refund-" + part.getKey().sequence(), 1, "cancellation"))
                .collectList()
                .map(made -> new Refunded(made, "CANCELLATION"));
    }

    /**
     * What each paid instalment paid for the nights {@code [moveOut, checkOut)}, newest first: its
     * rent (the first payment's without the one-off fees {@code fees}) times its nights in that range
     * over its period's nights, rounded half up, at most what earlier refunds left of the payment.
     */
    static List<NightsPaid> nightsPaid(RentSchedule.Instalment first, long fees, List<Payment> paid, List<RentInstalment> months,
                                       Map<UUID, Long> refunded, LocalDate moveOut, LocalDate checkOut) {
        List<NightsPaid> parts = new ArrayList<>();
        paid.stream().filter(p -> p.purpose() == Payment.Purpose.FIRST_PAYMENT && p.status().equals("SUCCEEDED")).findFirst()
                .ifPresent(p -> parts.add(share(p, Math.max(0, p.amount() - fees), first.from(), first.to(), refunded, moveOut, checkOut)));
        for (RentInstalment month : months) {
            if (month.status() != RentInstalment.Status.PAID || month.intentId() == null) {
                continue;
            }
            paid.stream().filter(p -> p.purpose() == Payment.Purpose.RENT && p.status().equals("SUCCEEDED") && p.intentId().equals(month.intentId()))
                    .findFirst()
                    .ifPresent(p -> parts.add(share(p, p.amount(), month.from(), month.to(), refunded, moveOut, checkOut)));
        }
        return parts.stream().filter(n -> n.amount() > 0).sorted(Comparator.comparing(NightsPaid::from).reversed()).toList();
    }

    private static NightsPaid share(Payment p, long rent, LocalDate from, LocalDate to, Map<UUID, Long> refunded, LocalDate moveOut,
                                    LocalDate checkOut) {
        long period = ChronoUnit.DAYS.between(from, to);
        LocalDate start = from.isAfter(moveOut) ? from : moveOut;
        LocalDate end = to.isBefore(checkOut) ? to : checkOut;
        long overlap = Math.max(0, ChronoUnit.DAYS.between(start, end));
        if (period <= 0 || overlap == 0) {
            return new NightsPaid(p, from, to, 0);
        }
        BigInteger[] qr = BigInteger.valueOf(rent).multiply(BigInteger.valueOf(overlap)).divideAndRemainder(BigInteger.valueOf(period));
        long amount = qr[0].longValueExact() + (qr[1].shiftLeft(1).compareTo(BigInteger.valueOf(period)) >= 0 ? 1 : 0);
        return new NightsPaid(p, from, to, Math.min(amount, p.amount() - refunded.getOrDefault(p.uuid(), 0L)));
    }

    @Override
    public Mono<CancellationRefunds.MoveOut> refundMoveOut(Booking booking, LocalDate moveOut,
                                                           BiFunction<Long, Integer, CancellationPolicy.Refund> owed) {
        int nights = (int) ChronoUnit.DAYS.between(moveOut, booking.checkOut());
        RentSchedule.Instalment first = RentSchedule.split(booking.total(), booking.quote(), booking.checkIn(), booking.checkOut(), booking.hourly())
                .get(0);
        long fees = booking.quote().lines().stream().filter(l -> l.kind() == io.nomadstays.unit.Quote.Kind.CLEANING_FEE)
                .mapToLong(l -> l.amount().amount()).sum();
        return Mono.zip(payments.ofBooking(booking.uuid()).collectList(), months.ofBooking(booking.uuid()).collectList(), refundedSoFar(booking.uuid()))
                .flatMap(t -> {
                    List<NightsPaid> shares = nightsPaid(first, fees, t.getT1(), t.getT2(), t.getT3().amounts(), moveOut, booking.checkOut());
                    long paid = shares.stream().mapToLong(NightsPaid::amount).sum();
                    CancellationPolicy.Refund refund = owed.apply(paid, nights);
                    List<Map.Entry<NightsPaid, Long>> parts = new ArrayList<>();
                    long left = Math.min(refund.amount(), paid);
                    for (NightsPaid share : shares) {
                        if (left <= 0) {
                            break;
                        }
                        long part = Math.min(left, share.amount());
                        parts.add(Map.entry(share, part));
                        left -= part;
                    }
                    return Flux.fromIterable(parts)
                            // One at a time, like a cancellation's: a failure stops before the next payment.
                            .concatMap(part -> {
                                Payment p = part.getKey().payment();
                                return refundPart(booking, p, part.getValue(), "move-out-refund-" + p.sequence(),
                                        t.getT3().moveOuts().getOrDefault(p.uuid(), 0) + 1, "move_out");
                            })
                            .collectList()
                            .map(made -> new CancellationRefunds.MoveOut(paid, nights, refund, new Refunded(made, "MOVE_OUT")));
                });
    }

    /** What was refunded of each payment so far, and how many of those refunds were move-outs'. */
    record RefundedSoFar(Map<UUID, Long> amounts, Map<UUID, Integer> moveOuts) {
    }

    private Mono<RefundedSoFar> refundedSoFar(UUID bookingId) {
        return db.sql("""
                        SELECT payment_id, sum(amount) AS amount, count(*) FILTER (WHERE reason = 'MOVE_OUT') AS move_outs
                          FROM refund WHERE booking_id = :b GROUP BY payment_id""")
                .bind("b", bookingId)
                .map(row -> new Object[] {row.get("payment_id", UUID.class), row.get("amount", Number.class).longValue(),
                        row.get("move_outs", Number.class).intValue()})
                .all().collectList()
                .map(rows -> new RefundedSoFar(rows.stream().collect(Collectors.toMap(r -> (UUID) r[0], r -> (Long) r[1])),
                        rows.stream().collect(Collectors.toMap(r -> (UUID) r[0], r -> (Integer) r[2]))));
    }

    private Mono<Made> refundPart(Booking booking, Payment payment, long amount, String operation, int attempt, String reason) {
        // Destination charges reverse the operator's transfer; a charge kept on the platform (no account) has none.
        return intents.retrieve(payment.intentId())
                .flatMap(intent -> refunds.refund(payment.intentId(), amount, intent.destination() != null,
                        Map.of("booking_id", booking.uuid().toString(), "payment_id", payment.uuid().toString(), "reason", reason),
                        IdempotencyKeys.of("booking", booking.uuid(), operation, attempt)))
                .map(refund -> new Made(payment, refund, feeShare(payment.applicationFee(), refund.amount(), payment.amount())))
                .doOnNext(made -> log.info("booking {}: refunded {} {} of payment {} ({})", booking.uuid(), made.refund().amount(),
                        payment.currency(), payment.intentId(), made.refund().id()));
    }

    @Override
    public Mono<Void> record(Booking booking, CancellationRefunds.Refunded refunded) {
        Instant now = clock.instant();
        String reason = ((Refunded) refunded).reason();
        String why = reason.equals("MOVE_OUT") ? "early move-out" : "cancellation";
        return Flux.fromIterable(((Refunded) refunded).made()).concatMap(m -> db.sql("""
                                INSERT INTO refund (id, operator_id, booking_id, payment_id, stripe_refund_id, reason, amount, fee_refund, currency, status)
                                VALUES (:id, :op, :booking, :payment, :refund, :reason, :amount, :fee, :currency, :status)
                                ON CONFLICT (stripe_refund_id) DO NOTHING""")
                        .bind("id", Ids.newId()).bind("op", booking.operatorId()).bind("booking", booking.uuid())
                        .bind("payment", m.payment().uuid()).bind("refund", m.refund().id()).bind("reason", reason).bind("amount", m.refund().amount())
                        .bind("fee", m.feeRefund()).bind("currency", m.payment().currency()).bind("status", status(m.refund().status()))
                        .then()
                        .then(ledger.append(booking.operatorId(), booking.uuid(), LedgerEntry.Kind.REFUND,
                                Money.of(-m.refund().amount(), m.payment().currency()), m.refund().id(), now,
                                why + ": refund of the " + (m.payment().purpose() == Payment.Purpose.RENT ? "rent of month " + m.payment().sequence()
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
