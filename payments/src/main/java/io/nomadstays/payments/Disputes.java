package io.nomadstays.payments;

import com.stripe.StripeClient;
import com.stripe.model.Dispute;
import java.util.Locale;
import reactor.core.publisher.Mono;

/** Disputes (chargebacks) of our charges, read from Stripe: the webhooks re-read them rather than trust event order. */
public final class Disputes {

    /**
     * A dispute as Stripe has it. {@code status} upper case: WARNING_NEEDS_RESPONSE, NEEDS_RESPONSE,
     * UNDER_REVIEW, WON, LOST, ... {@code paymentIntent} may be null (older charges): then {@code charge}.
     */
    public record DisputeState(String id, String charge, String paymentIntent, long amount, String currency, String status, String reason) {
        public boolean won() {
            return "WON".equals(status);
        }

        public boolean lost() {
            return "LOST".equals(status);
        }
    }

    private final StripeClient stripe;
    private final PaymentsProperties.Stripe settings;

    public Disputes(StripeClient stripe, PaymentsProperties.Stripe settings) {
        this.stripe = stripe;
        this.settings = settings;
    }

    public Mono<DisputeState> retrieve(String disputeId) {
        return StripeCalls.call(settings, "reading the dispute", () -> state(stripe.v1().disputes().retrieve(disputeId)));
    }

    static DisputeState state(Dispute d) {
        return new DisputeState(d.getId(), d.getCharge(), d.getPaymentIntent(), d.getAmount() == null ? 0 : d.getAmount(),
                d.getCurrency() == null ? null : d.getCurrency().toUpperCase(Locale.ROOT),
                d.getStatus() == null ? "NEEDS_RESPONSE" : d.getStatus().toUpperCase(Locale.ROOT), d.getReason());
    }
}
