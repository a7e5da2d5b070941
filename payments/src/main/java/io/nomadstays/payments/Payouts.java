package io.nomadstays.payments;

import com.stripe.StripeClient;
import com.stripe.model.Payout;
import com.stripe.net.RequestOptions;
import com.stripe.param.PayoutCreateParams;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Payouts from an operator's connected account to its bank. Connected accounts are created with
 * manual payouts ({@link ConnectedAccounts#createExpress}), so nothing leaves their Stripe balance
 * until the platform says so; the call is made on the connected account ({@code Stripe-Account}).
 */
public final class Payouts {

    /** A payout as Stripe has it; {@code status} upper case (PENDING, IN_TRANSIT, PAID, FAILED, CANCELED). */
    public record PayoutState(String id, long amount, String currency, String status) {
    }

    private final StripeClient stripe;
    private final PaymentsProperties.Stripe settings;

    public Payouts(StripeClient stripe, PaymentsProperties.Stripe settings) {
        this.stripe = stripe;
        this.settings = settings;
    }

    /**
     * Pays {@code amount} of the connected account's available balance out to its bank. Stripe
     * refuses (REFUSED, code {@code balance_insufficient}) while the charge's funds are not available yet.
     */
    public Mono<PayoutState> create(String connectedAccount, long amount, String currency, Map<String, String> metadata, String idempotencyKey) {
        if (amount <= 0) {
            throw new IllegalArgumentException("a payout is positive");
        }
        PayoutCreateParams params = PayoutCreateParams.builder().setAmount(amount).setCurrency(currency.toLowerCase(Locale.ROOT))
                .putAllMetadata(metadata).build();
        RequestOptions options = RequestOptions.builder().setStripeAccount(connectedAccount).setIdempotencyKey(idempotencyKey).build();
        return StripeCalls.call(settings, "paying out to the operator", () -> state(stripe.v1().payouts().create(params, options)));
    }

    static PayoutState state(Payout payout) {
        return new PayoutState(payout.getId(), payout.getAmount() == null ? 0 : payout.getAmount(),
                payout.getCurrency() == null ? null : payout.getCurrency().toUpperCase(Locale.ROOT),
                payout.getStatus() == null ? "PENDING" : payout.getStatus().toUpperCase(Locale.ROOT));
    }
}
