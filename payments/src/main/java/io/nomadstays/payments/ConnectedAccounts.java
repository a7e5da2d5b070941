package io.nomadstays.payments;

import com.stripe.StripeClient;
import com.stripe.model.Account;
import com.stripe.model.AccountLink;
import com.stripe.net.RequestOptions;
import com.stripe.param.AccountCreateParams;
import com.stripe.param.AccountLinkCreateParams;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import reactor.core.publisher.Mono;

/**
 * Operators' Stripe Connect accounts, in our words. Express accounts: Stripe hosts onboarding and
 * the operator's dashboard, the platform is liable for negative balances (docs/adr/0010).
 * Every call runs on {@code boundedElastic} (stripe-java blocks) and carries an idempotency key
 * derived from our ids.
 */
public final class ConnectedAccounts {

    /** What we keep of a connected account. {@code requirementsDue}: currently and past due, sorted. */
    public record AccountState(String id, boolean chargesEnabled, boolean payoutsEnabled, boolean detailsSubmitted,
                               List<String> requirementsDue, String disabledReason) {
    }

    /** A single-use link to Stripe's hosted onboarding. */
    public record OnboardingLink(URI url, Instant expiresAt) {
    }

    private final StripeClient stripe;
    private final PaymentsProperties.Stripe settings;

    public ConnectedAccounts(StripeClient stripe, PaymentsProperties.Stripe settings) {
        this.stripe = stripe;
        this.settings = settings;
    }

    /** The key of the one account creation per operator: retries and concurrent calls get the same account. */
    public static String createKey(UUID operatorId) {
        return IdempotencyKeys.of("operator", operatorId, "create-account", 1);
    }

    /**
     * Creates the operator's Express account (once: the idempotency key is the operator's). Payouts
     * are manual: the money of a booking stays in the account's Stripe balance until the platform
     * pays it out (after check-in), so a failed move-in can still be refunded in full.
     */
    public Mono<AccountState> createExpress(UUID operatorId, String operatorSlug) {
        AccountCreateParams params = AccountCreateParams.builder()
                .setType(AccountCreateParams.Type.EXPRESS)
                .setCapabilities(AccountCreateParams.Capabilities.builder()
                        .setCardPayments(AccountCreateParams.Capabilities.CardPayments.builder().setRequested(true).build())
                        .setTransfers(AccountCreateParams.Capabilities.Transfers.builder().setRequested(true).build())
                        .build())
                .setSettings(AccountCreateParams.Settings.builder()
                        .setPayouts(AccountCreateParams.Settings.Payouts.builder()
                                .setSchedule(AccountCreateParams.Settings.Payouts.Schedule.builder()
                                        .setInterval(AccountCreateParams.Settings.Payouts.Schedule.Interval.MANUAL).build())
                                .build())
                        .build())
                .putMetadata("operator_id", operatorId.toString())
                .putMetadata("operator_slug", operatorSlug)
                .build();
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(createKey(operatorId)).build();
        return call("creating the connected account", () -> state(stripe.v1().accounts().create(params, options)));
    }

    /** The account as Stripe has it now (webhooks re-read rather than trust event order). */
    public Mono<AccountState> retrieve(String accountId) {
        return call("reading the connected account", () -> state(stripe.v1().accounts().retrieve(accountId)));
    }

    /** A fresh onboarding link; {@code idempotencyKey} from {@link IdempotencyKeys}. */
    public Mono<OnboardingLink> onboardingLink(String accountId, String idempotencyKey, URI returnUrl, URI refreshUrl) {
        AccountLinkCreateParams params = AccountLinkCreateParams.builder()
                .setAccount(accountId)
                .setType(AccountLinkCreateParams.Type.ACCOUNT_ONBOARDING)
                .setReturnUrl(returnUrl.toString())
                .setRefreshUrl(refreshUrl.toString())
                .build();
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
        return call("creating the onboarding link", () -> {
            AccountLink link = stripe.v1().accountLinks().create(params, options);
            return new OnboardingLink(URI.create(link.getUrl()), Instant.ofEpochSecond(link.getExpiresAt()));
        });
    }

    static AccountState state(Account account) {
        Account.Requirements requirements = account.getRequirements();
        List<String> due = requirements == null ? List.of() : List.copyOf(new TreeSet<>(Stream.concat(
                        Objects.requireNonNullElse(requirements.getCurrentlyDue(), List.<String>of()).stream(),
                        Objects.requireNonNullElse(requirements.getPastDue(), List.<String>of()).stream())
                .toList()));
        return new AccountState(account.getId(), Boolean.TRUE.equals(account.getChargesEnabled()),
                Boolean.TRUE.equals(account.getPayoutsEnabled()), Boolean.TRUE.equals(account.getDetailsSubmitted()), due,
                requirements == null ? null : requirements.getDisabledReason());
    }

    private <T> Mono<T> call(String what, Callable<T> call) {
        return StripeCalls.call(settings, what, call);
    }
}
