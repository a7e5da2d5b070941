package io.nomadstays.payments;

import com.stripe.StripeClient;
import com.stripe.exception.CardException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeError;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PaymentIntentCancelParams;
import com.stripe.param.PaymentIntentCreateParams;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * Charging nomads, in our words: their Stripe customer, and payment intents that pay an operator's
 * connected account as destination charges with the platform's commission as application fee.
 * Card details never reach us: an on-session intent hands its client secret to Stripe.js, which
 * collects the card (and runs 3-D Secure); an off-session intent charges the card saved then.
 */
public final class PaymentIntents {

    /**
     * What to charge.
     *
     * @param destination    the operator's connected account, or null to keep the money on the platform (a collected deposit)
     * @param applicationFee the platform's commission in minor units, 0 for none
     * @param saveCard       keep the card for later off-session charges (rent, deposit claims)
     * @param paymentMethod  for off-session charges: the saved card; null for on-session
     * @param metadata       our ids ({@code booking_id}, {@code purpose}): the webhooks find their payment by them
     */
    public record Charge(long amount, String currency, String customer, String destination, long applicationFee, boolean saveCard,
                         String paymentMethod, String description, Map<String, String> metadata, String idempotencyKey) {
        public Charge {
            if (amount <= 0) {
                throw new IllegalArgumentException("a charge is positive");
            }
            if (applicationFee < 0 || applicationFee > amount) {
                throw new IllegalArgumentException("the application fee is between 0 and the amount");
            }
            Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        }
    }

    /**
     * A payment intent as Stripe has it. {@code status} is Stripe's word in upper case
     * ({@code REQUIRES_PAYMENT_METHOD}, {@code REQUIRES_ACTION}, {@code SUCCEEDED}, ...). A declined
     * off-session charge is not an exception: it answers the intent with its failure.
     */
    public record IntentState(String id, String status, long amount, String currency, String clientSecret, String customer,
                              String paymentMethod, String latestCharge, long applicationFee, String destination, String failureCode,
                              String failureMessage, Map<String, String> metadata) {
        public boolean succeeded() {
            return "SUCCEEDED".equals(status);
        }

        /** Stripe's message is for the payer; it never contains card data. */
        @Override
        public String toString() {
            return "IntentState[" + id + " " + status + " " + amount + " " + currency + (failureCode == null ? "" : " " + failureCode) + "]";
        }
    }

    private final StripeClient stripe;
    private final PaymentsProperties.Stripe settings;

    public PaymentIntents(StripeClient stripe, PaymentsProperties.Stripe settings) {
        this.stripe = stripe;
        this.settings = settings;
    }

    /** Creates the nomad's Stripe customer (once per user: the key is the user's). Answers its id. */
    public Mono<String> createCustomer(UUID userId) {
        CustomerCreateParams params = CustomerCreateParams.builder().putMetadata("user_id", userId.toString()).build();
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(IdempotencyKeys.of("user", userId, "create-customer", 1)).build();
        return StripeCalls.call(settings, "creating the customer", () -> stripe.v1().customers().create(params, options).getId());
    }

    /**
     * Creates a payment intent. On-session ({@code paymentMethod} null): answers
     * {@code REQUIRES_PAYMENT_METHOD} with the client secret for Stripe.js. Off-session: confirmed at
     * once with the saved card; a decline or a bank asking for authentication answers the intent with
     * {@code failureCode} ({@code card_declined}, {@code authentication_required}).
     */
    public Mono<IntentState> create(Charge charge) {
        PaymentIntentCreateParams.Builder params = PaymentIntentCreateParams.builder()
                .setAmount(charge.amount())
                .setCurrency(charge.currency().toLowerCase(java.util.Locale.ROOT))
                .setCustomer(charge.customer())
                .setDescription(charge.description())
                .putAllMetadata(charge.metadata());
        if (charge.destination() != null) {
            params.setTransferData(PaymentIntentCreateParams.TransferData.builder().setDestination(charge.destination()).build());
            if (charge.applicationFee() > 0) {
                params.setApplicationFeeAmount(charge.applicationFee());
            }
        }
        if (charge.paymentMethod() == null) {
            params.setAutomaticPaymentMethods(PaymentIntentCreateParams.AutomaticPaymentMethods.builder().setEnabled(true).build());
            if (charge.saveCard()) {
                params.setSetupFutureUsage(PaymentIntentCreateParams.SetupFutureUsage.OFF_SESSION);
            }
        } else {
            params.setPaymentMethod(charge.paymentMethod()).setOffSession(true).setConfirm(true);
        }
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(charge.idempotencyKey()).build();
        return StripeCalls.call(settings, "creating the payment", () -> {
            try {
                return state(stripe.v1().paymentIntents().create(params.build(), options));
            } catch (CardException e) {
                PaymentIntent declined = e.getStripeError() == null ? null : e.getStripeError().getPaymentIntent();
                if (declined == null) {
                    throw e;
                }
                return state(declined);
            }
        });
    }

    /** The intent as Stripe has it now (webhooks and the reconciliation re-read it rather than trust event order). */
    public Mono<IntentState> retrieve(String intentId) {
        return StripeCalls.call(settings, "reading the payment", () -> state(stripe.v1().paymentIntents().retrieve(intentId)));
    }

    /** Cancels an intent that was never paid (a booking that could not be stored). */
    public Mono<IntentState> cancel(String intentId, String idempotencyKey) {
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
        return StripeCalls.call(settings, "cancelling the payment", () -> {
            try {
                return state(stripe.v1().paymentIntents().cancel(intentId, PaymentIntentCancelParams.builder().build(), options));
            } catch (StripeException e) {
                // Already succeeded or cancelled: Stripe refuses; the current state tells the caller which.
                if (e.getStatusCode() != null && e.getStatusCode() == 400) {
                    return state(stripe.v1().paymentIntents().retrieve(intentId));
                }
                throw e;
            }
        });
    }

    static IntentState state(PaymentIntent pi) {
        StripeError error = pi.getLastPaymentError();
        return new IntentState(pi.getId(), pi.getStatus() == null ? "REQUIRES_PAYMENT_METHOD" : pi.getStatus().toUpperCase(java.util.Locale.ROOT),
                pi.getAmount() == null ? 0 : pi.getAmount(), pi.getCurrency() == null ? null : pi.getCurrency().toUpperCase(java.util.Locale.ROOT),
                pi.getClientSecret(), pi.getCustomer(), pi.getPaymentMethod(), pi.getLatestCharge(),
                pi.getApplicationFeeAmount() == null ? 0 : pi.getApplicationFeeAmount(),
                pi.getTransferData() == null ? null : pi.getTransferData().getDestination(),
                error == null ? null : error.getCode() != null ? error.getCode() : error.getDeclineCode(),
                error == null ? null : error.getMessage(), pi.getMetadata() == null ? Map.of() : Map.copyOf(pi.getMetadata()));
    }
}
