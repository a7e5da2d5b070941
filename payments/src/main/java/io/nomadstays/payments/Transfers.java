package io.nomadstays.payments;

import com.stripe.StripeClient;
import com.stripe.model.Transfer;
import com.stripe.net.RequestOptions;
import com.stripe.param.TransferCreateParams;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Transfers of money the platform holds to an operator's connected account: the part of a
 * collected deposit an operator claims. {@code source_transaction} ties the transfer to the charge
 * that brought the money in, so Stripe transfers it even before that charge's funds are available.
 */
public final class Transfers {

    /** A transfer as Stripe has it. */
    public record TransferState(String id, long amount, String currency, String destination, String sourceTransaction) {
    }

    private final StripeClient stripe;
    private final PaymentsProperties.Stripe settings;

    public Transfers(StripeClient stripe, PaymentsProperties.Stripe settings) {
        this.stripe = stripe;
        this.settings = settings;
    }

    /**
     * Transfers {@code amount} to {@code destination} out of the charge {@code sourceCharge} (ch_...).
     */
    public Mono<TransferState> create(long amount, String currency, String destination, String sourceCharge, Map<String, String> metadata,
                                      String idempotencyKey) {
        if (amount <= 0) {
            throw new IllegalArgumentException("a transfer is positive");
        }
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        TransferCreateParams params = TransferCreateParams.builder().setAmount(amount).setCurrency(currency.toLowerCase(Locale.ROOT))
                .setDestination(destination).setSourceTransaction(sourceCharge).putAllMetadata(metadata).build();
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
        return StripeCalls.call(settings, "transferring to the operator", () -> state(stripe.v1().transfers().create(params, options)));
    }

    static TransferState state(Transfer transfer) {
        return new TransferState(transfer.getId(), transfer.getAmount() == null ? 0 : transfer.getAmount(),
                transfer.getCurrency() == null ? null : transfer.getCurrency().toUpperCase(Locale.ROOT), transfer.getDestination(),
                transfer.getSourceTransaction());
    }
}
