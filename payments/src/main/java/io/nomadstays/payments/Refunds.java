package io.nomadstays.payments;

import com.stripe.StripeClient;
import com.stripe.model.Refund;
import com.stripe.net.RequestOptions;
import com.stripe.param.RefundCreateParams;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Refunds of payment intents. A refund of a destination charge reverses the transfer to the
 * operator and refunds the platform's application fee in proportion to the amount refunded
 * ({@code reverse_transfer}, {@code refund_application_fee}), so the operator and the platform
 * give back their shares.
 */
public final class Refunds {

    /** A refund as Stripe has it; {@code status} upper case (SUCCEEDED, PENDING, FAILED, ...). */
    public record RefundState(String id, String paymentIntent, long amount, String currency, String status) {
    }

    private final StripeClient stripe;
    private final PaymentsProperties.Stripe settings;

    public Refunds(StripeClient stripe, PaymentsProperties.Stripe settings) {
        this.stripe = stripe;
        this.settings = settings;
    }

    /**
     * Refunds {@code amount} of the intent. {@code destinationCharge}: reverse the operator's
     * transfer and the application fee in proportion (false for money kept on the platform, such
     * as a collected deposit).
     */
    public Mono<RefundState> refund(String paymentIntentId, long amount, boolean destinationCharge, Map<String, String> metadata,
                                    String idempotencyKey) {
        RefundCreateParams.Builder params = RefundCreateParams.builder().setPaymentIntent(paymentIntentId).setAmount(amount)
                .putAllMetadata(metadata);
        if (destinationCharge) {
            params.setReverseTransfer(true).setRefundApplicationFee(true);
        }
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
        return StripeCalls.call(settings, "refunding the payment", () -> state(stripe.v1().refunds().create(params.build(), options)));
    }

    static RefundState state(Refund refund) {
        return new RefundState(refund.getId(), refund.getPaymentIntent(), refund.getAmount() == null ? 0 : refund.getAmount(),
                refund.getCurrency() == null ? null : refund.getCurrency().toUpperCase(Locale.ROOT),
                refund.getStatus() == null ? "PENDING" : refund.getStatus().toUpperCase(Locale.ROOT));
    }
}
