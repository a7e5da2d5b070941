package io.nomadstays.billing;

import io.nomadstays.booking.BookingService;
import io.nomadstays.ledger.Ledger;
import io.nomadstays.ledger.LedgerEntry;
import io.nomadstays.payments.IdempotencyKeys;
import io.nomadstays.payments.PaymentIntents.IntentState;
import io.nomadstays.payments.Refunds;
import io.nomadstays.shared.Money;
import java.time.Instant;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A payment that succeeded for something no longer owed (a first payment after its hold expired, a
 * month of rent already paid or stopped) goes back whole, reversing the operator's transfer and the
 * commission. The refund is made at Stripe first; {@link #record} then writes its ledger rows and
 * the booking's history line inside the caller's transaction.
 */
@Component
class WholeRefunds {

    private final Refunds refunds;
    private final Ledger ledger;
    private final BookingService bookings;

    WholeRefunds(Refunds refunds, Ledger ledger, BookingService bookings) {
        this.refunds = refunds;
        this.ledger = ledger;
        this.bookings = bookings;
    }

    /** The Stripe refund of the whole intent, keyed {@code booking:<id>:<operation>:<attempt>}. */
    Mono<Refunds.RefundState> refund(Payment payment, IntentState state, String reason, String operation) {
        return refunds.refund(state.id(), state.amount(), state.destination() != null,
                Map.of("booking_id", payment.bookingId().toString(), "reason", reason),
                IdempotencyKeys.of("booking", payment.bookingId(), operation, payment.attempt()));
    }

    /** REFUND and FEE_REFUND rows (once per refund, whatever the replays) and a line in the booking's history. */
    Mono<Void> record(Payment payment, Refunds.RefundState refund, Instant at, String ledgerNote, String historyNote) {
        return ledger.append(payment.operatorId(), payment.bookingId(), LedgerEntry.Kind.REFUND, Money.of(-refund.amount(), payment.currency()),
                        refund.id(), at, ledgerNote)
                .then(payment.applicationFee() == 0 ? Mono.empty() : ledger.append(payment.operatorId(), payment.bookingId(),
                        LedgerEntry.Kind.FEE_REFUND, Money.of(payment.applicationFee(), payment.currency()), refund.id(), at, "commission refunded"))
                .then(bookings.note(payment.bookingId(), historyNote + " (" + refund.amount() + " " + payment.currency() + ")"));
    }
}
