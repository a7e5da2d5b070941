package io.nomadstays.payouts;

import io.nomadstays.graphql.GlobalId;
import io.nomadstays.graphql.UserError;
import io.nomadstays.graphql.UserErrorCode;
import io.nomadstays.graphql.Validator;
import io.nomadstays.identity.Access;
import io.nomadstays.identity.Caller;
import io.nomadstays.identity.StaffRole;
import io.nomadstays.operator.Operator;
import io.nomadstays.operator.Operators;
import io.nomadstays.payments.ConnectedAccounts;
import io.nomadstays.payments.IdempotencyKeys;
import io.nomadstays.payments.PaymentProviderException;
import io.nomadstays.shared.Ids;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** Operator onboarding to Stripe Connect ({@code startPayoutOnboarding}) and {@code Operator.payoutAccount}. */
@Controller
class PayoutController {

    private static final Logger log = LoggerFactory.getLogger(PayoutController.class);
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
    static final int MAX_URL_LENGTH = 2000;

    private final Operators operators;
    private final PayoutAccounts accounts;
    private final ConnectedAccounts stripeAccounts;

    PayoutController(Operators operators, PayoutAccounts accounts, ConnectedAccounts stripeAccounts) {
        this.operators = operators;
        this.accounts = accounts;
        this.stripeAccounts = stripeAccounts;
    }

    record StartPayoutOnboardingInput(String operatorId, String returnUrl, String refreshUrl, String idempotencyKey) {
    }

    record StartPayoutOnboardingPayload(String onboardingUrl, Instant expiresAt, PayoutAccount account, List<UserError> userErrors) {
        static StartPayoutOnboardingPayload errors(List<UserError> errors) {
            return new StartPayoutOnboardingPayload(null, null, null, errors);
        }

        static StartPayoutOnboardingPayload error(UserErrorCode code, String message, String... path) {
            return errors(List.of(UserError.of(code, message, path)));
        }
    }

    /**
     * Creates the operator's Express account the first time (the idempotency key is the operator's,
     * so a retry after a timeout gets the same account) and answers a fresh onboarding link.
     */
    @MutationMapping
    Mono<StartPayoutOnboardingPayload> startPayoutOnboarding(@Argument StartPayoutOnboardingInput input,
                                                             @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        if (!caller.authenticated()) {
            return Mono.just(StartPayoutOnboardingPayload.error(UserErrorCode.UNAUTHENTICATED, "Sign in first"));
        }
        var v = new Validator();
        UUID operatorId = v.id(input.operatorId(), GlobalId.Type.OPERATOR, "input", "operatorId");
        URI returnUrl = url(v, input.returnUrl(), "returnUrl");
        URI refreshUrl = url(v, input.refreshUrl(), "refreshUrl");
        String clientKey = v.optionalText(input.idempotencyKey(), 100, "input", "idempotencyKey");
        if (v.hasErrors()) {
            return Mono.just(StartPayoutOnboardingPayload.errors(v.errors()));
        }
        return operators.findById(operatorId)
                .flatMap(operator -> Access.checkWrite(caller, operator.uuid(), false, StaffRole.OWNER, "this operator's payouts",
                                "input", "operatorId")
                        .map(error -> Mono.just(StartPayoutOnboardingPayload.errors(List.of(error))))
                        .orElseGet(() -> onboard(caller, operator, returnUrl, refreshUrl, clientKey)))
                .switchIfEmpty(Mono.fromSupplier(() -> StartPayoutOnboardingPayload.error(UserErrorCode.NOT_FOUND,
                        "No operator with this ID", "input", "operatorId")));
    }

    private Mono<StartPayoutOnboardingPayload> onboard(Caller caller, Operator operator, URI returnUrl, URI refreshUrl, String clientKey) {
        String linkKey = IdempotencyKeys.of("operator", operator.uuid(), "onboarding-link", caller.userId().toString(),
                clientKey == null || clientKey.isEmpty() ? Ids.newId().toString() : clientKey);
        // Nothing is stored before Stripe has answered with the account: no row without an account.
        return accounts.find(operator.uuid())
                .switchIfEmpty(Mono.defer(() -> stripeAccounts.createExpress(operator.uuid(), operator.slug())
                        .flatMap(created -> accounts.insertIfAbsent(operator.uuid(), created))))
                .flatMap(account -> stripeAccounts.onboardingLink(account.stripeAccountId(), linkKey, returnUrl, refreshUrl)
                        .map(link -> new StartPayoutOnboardingPayload(link.url().toString(), link.expiresAt(), account, List.of())))
                .onErrorResume(PaymentProviderException.class, e -> {
                    if (e.kind() == PaymentProviderException.Kind.REFUSED) {
                        return Mono.error(e);
                    }
                    if (e.kind() == PaymentProviderException.Kind.IDEMPOTENCY_CONFLICT) {
                        return Mono.just(StartPayoutOnboardingPayload.error(UserErrorCode.ALREADY_EXISTS,
                                "this idempotencyKey was already used for a request with other URLs; use a new key"));
                    }
                    log.warn("payout onboarding of operator {}: {}", operator.uuid(), e.getMessage());
                    return Mono.just(StartPayoutOnboardingPayload.error(UserErrorCode.PAYMENT_PROVIDER_UNAVAILABLE,
                            e.kind() == PaymentProviderException.Kind.NOT_CONFIGURED
                                    ? "Payments are not set up on this server yet"
                                    : "Stripe did not answer in time; nothing was changed on our side, try again in a moment"));
                });
    }

    /** https, or http for the developer's own machine only. */
    static URI url(Validator v, String raw, String field) {
        String text = v.text(raw, 1, MAX_URL_LENGTH, "input", field);
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            if (host.isEmpty() || uri.getUserInfo() != null) {
                v.add(UserErrorCode.INVALID_FORMAT, field + " must be an absolute URL with a host", "input", field);
                return null;
            }
            if (scheme.equals("https") || scheme.equals("http") && LOCAL_HOSTS.contains(host)) {
                return uri;
            }
            v.add(UserErrorCode.INVALID_FORMAT, field + " must be an https URL (http only for localhost)", "input", field);
            return null;
        } catch (URISyntaxException e) {
            v.add(UserErrorCode.INVALID_FORMAT, field + " is not a URL", "input", field);
            return null;
        }
    }

    /** Staff of the operator (any role); null for everyone else and before onboarding started. */
    @SchemaMapping(typeName = "Operator")
    Mono<PayoutAccount> payoutAccount(Operator operator, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        if (!caller.isStaffOf(operator.uuid())) {
            return Mono.empty();
        }
        return accounts.find(operator.uuid());
    }
}
