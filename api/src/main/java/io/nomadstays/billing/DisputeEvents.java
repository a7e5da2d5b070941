package io.nomadstays.billing;

import io.nomadstays.booking.BookingService;
import io.nomadstays.ledger.Ledger;
import io.nomadstays.ledger.LedgerEntry;
import io.nomadstays.payments.Disputes;
import io.nomadstays.payments.Disputes.DisputeState;
import io.nomadstays.payments.StripeWebhooks.VerifiedEvent;
import io.nomadstays.payouts.StripeEventHandler;
import io.nomadstays.shared.Money;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code charge.dispute.created} and {@code charge.dispute.closed}: a nomad's bank took a payment
 * back. The dispute is read again from Stripe (events may come late or out of order) and our
 * records converge on it: a DISPUTE row (-amount) once the dispute exists, a DISPUTE_WON row
 * (+amount) once it is won, each once per dispute (the ledger is unique per Stripe object and
 * kind), and a line in the booking's history that the nomad and the operator both see.
 */
@Component
class DisputeEvents implements StripeEventHandler {

    private final Disputes disputes;
    private final Payments payments;
    private final BookingService bookings;
    private final Ledger ledger;
    private final Clock clock = Clock.systemUTC();

    DisputeEvents(Disputes disputes, Payments payments, BookingService bookings, Ledger ledger) {
        this.disputes = disputes;
        this.payments = payments;
        this.bookings = bookings;
        this.ledger = ledger;
    }

    @Override
    public boolean handles(String type) {
        return type.equals("charge.dispute.created") || type.equals("charge.dispute.closed");
    }

    @Override
    public Mono<Outcome> handle(VerifiedEvent event, Recorder recorder) {
        if (!"dispute".equals(event.objectType()) || event.objectId() == null) {
            return recorder.record(Outcome.IGNORED, Mono.empty());
        }
        return disputes.retrieve(event.objectId())
                .flatMap(dispute -> payment(dispute).flatMap(payment -> recorder.record(Outcome.HANDLED,
                        converge(payment, dispute, event.type().equals("charge.dispute.closed")))))
                .switchIfEmpty(Mono.defer(() -> recorder.record(Outcome.IGNORED, Mono.empty())));
    }

    private Mono<Payment> payment(DisputeState dispute) {
        Mono<Payment> byCharge = dispute.charge() == null ? Mono.empty() : Mono.defer(() -> payments.findByCharge(dispute.charge()));
        return dispute.paymentIntent() == null ? byCharge : payments.findByIntent(dispute.paymentIntent()).switchIfEmpty(byCharge);
    }

    private Mono<Void> converge(Payment payment, DisputeState dispute, boolean closedEvent) {
        Instant now = clock.instant();
        String currency = Objects.requireNonNullElse(dispute.currency(), payment.currency());
        String amount = dispute.amount() + " " + currency;
        Mono<Void> opened = ledger.append(payment.operatorId(), payment.bookingId(), LedgerEntry.Kind.DISPUTE, Money.of(-dispute.amount(), currency),
                        dispute.id(), now, "disputed by the nomad's bank (" + dispute.reason() + ")")
                .flatMap(recorded -> recorded ? bookings.note(payment.bookingId(), "the nomad's bank disputed " + amount + " of the "
                        + purpose(payment) + " (reason: " + dispute.reason() + "); Stripe holds the amount until the bank decides") : Mono.empty());
        Mono<Void> closed;
        if (dispute.won()) {
            closed = ledger.append(payment.operatorId(), payment.bookingId(), LedgerEntry.Kind.DISPUTE_WON, Money.of(dispute.amount(), currency),
                            dispute.id(), now, "dispute won")
                    .flatMap(recorded -> recorded ? bookings.note(payment.bookingId(), "the dispute of " + amount + " was decided for the operator: "
                            + "the payment stands") : Mono.empty());
        } else if (dispute.lost() && closedEvent) {
            // No ledger row to deduplicate on (the DISPUTE row stands): said once, by the closing event (the Recorder dedups it).
            closed = bookings.note(payment.bookingId(), "the dispute of " + amount + " was decided for the nomad: the bank keeps the amount");
        } else {
            closed = Mono.empty();
        }
        return opened.then(closed);
    }

    private static String purpose(Payment payment) {
        return switch (payment.purpose()) {
            case FIRST_PAYMENT -> "first payment";
            case RENT -> "rent of month " + payment.sequence();
            case DEPOSIT -> "deposit";
            case CLAIM -> "deposit claim";
        };
    }
}
