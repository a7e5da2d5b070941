package io.nomadstays.operator;

import io.nomadstays.graphql.GlobalId;
import io.nomadstays.graphql.UserError;
import io.nomadstays.graphql.UserErrorCode;
import io.nomadstays.graphql.Validator;
import io.nomadstays.identity.Caller;
import io.nomadstays.identity.StaffRole;
import io.nomadstays.payments.PaymentsProperties;
import io.nomadstays.shared.Ids;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

@Controller
class OperatorController {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?");

    private final Operators operators;
    private final TransactionalOperator tx;
    private final PaymentsProperties payments;

    OperatorController(Operators operators, TransactionalOperator tx, PaymentsProperties payments) {
        this.operators = operators;
        this.tx = tx;
        this.payments = payments;
    }

    @QueryMapping
    Mono<Operator> operator(@Argument String slug) {
        if (slug.length() > 64) {
            return Mono.empty();
        }
        return operators.findBySlug(slug.toLowerCase(Locale.ROOT));
    }

    @SchemaMapping(typeName = "Operator")
    StaffRole viewerRole(Operator operator, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        return caller.roleAt(operator.uuid()).orElse(null);
    }

    @SchemaMapping(typeName = "Operator")
    Mono<List<Operators.StaffMember>> staff(Operator operator, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        if (!caller.isStaffOf(operator.uuid())) {
            return Mono.empty();
        }
        return operators.staff(operator.uuid());
    }

    record CreateOperatorInput(String slug, String name, String defaultCurrency, Integer commissionBps, String ownerUserId) {
    }

    record OperatorPayload(Operator operator, List<UserError> userErrors) {
        static OperatorPayload errors(List<UserError> errors) {
            return new OperatorPayload(null, errors);
        }
    }

    @MutationMapping
    Mono<OperatorPayload> createOperator(@Argument CreateOperatorInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        if (!caller.authenticated()) {
            return Mono.just(OperatorPayload.errors(List.of(UserError.of(UserErrorCode.UNAUTHENTICATED, "Sign in first"))));
        }
        if (!caller.platformAdmin()) {
            return Mono.just(OperatorPayload.errors(List.of(UserError.of(UserErrorCode.FORBIDDEN,
                    "Only platform admins create operators"))));
        }
        var v = new Validator();
        String slug = v.text(input.slug(), 1, 64, "input", "slug");
        if (slug != null && !SLUG.matcher(slug).matches()) {
            v.add(UserErrorCode.INVALID_FORMAT, "slug is lower-case letters, digits and inner dashes, e.g. canggu-surf-work",
                    "input", "slug");
            slug = null;
        }
        String name = v.text(input.name(), 1, 200, "input", "name");
        Integer commission = v.range(input.commissionBps(), 0, 10_000, "input", "commissionBps");
        UUID owner = input.ownerUserId() == null ? null : v.id(input.ownerUserId(), GlobalId.Type.USER, "input", "ownerUserId");
        String currency = input.defaultCurrency();
        var validated = new Operator(Ids.newId(), slug, name, currency, commission == null ? payments.defaultCommissionBps() : commission, Instant.now());
        return Mono.zip(operators.currencyExists(currency),
                        owner == null ? Mono.just(true) : operators.userExists(owner),
                        slug == null ? Mono.just(false) : operators.slugTaken(slug))
                .flatMap(checks -> {
                    if (!checks.getT1()) {
                        v.add(UserErrorCode.INVALID_CURRENCY, "'" + currency + "' is not an ISO 4217 currency", "input", "defaultCurrency");
                    }
                    if (!checks.getT2()) {
                        v.add(UserErrorCode.NOT_FOUND, "No user with this ID", "input", "ownerUserId");
                    }
                    if (checks.getT3()) {
                        v.add(UserErrorCode.ALREADY_EXISTS, "The slug '" + validated.slug() + "' is taken", "input", "slug");
                    }
                    if (v.hasErrors()) {
                        return Mono.just(OperatorPayload.errors(v.errors()));
                    }
                    Mono<Void> write = operators.insert(validated)
                            .then(owner == null ? Mono.empty() : operators.addStaff(validated.uuid(), owner, StaffRole.OWNER));
                    return write.as(tx::transactional)
                            .then(operators.findById(validated.uuid()))
                            .map(created -> new OperatorPayload(created, List.of()))
                            // Two admins racing for one slug: the unique index decides, the loser gets a user error.
                            .onErrorResume(DataIntegrityViolationException.class, e -> Mono.just(OperatorPayload.errors(List.of(
                                    UserError.of(UserErrorCode.ALREADY_EXISTS, "The slug '" + validated.slug() + "' is taken",
                                            "input", "slug")))));
                });
    }

    /** Staff memberships of the signed-in caller ({@code me}). */
    record Viewer(UUID uuid, String displayName, String email, boolean isPlatformAdmin, Map<UUID, StaffRole> roles) {
        public String id() {
            return GlobalId.encode(GlobalId.Type.USER, uuid);
        }
    }

    record Membership(UUID operatorId, StaffRole role) {
    }

    @QueryMapping
    Mono<Viewer> me(@ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        if (!caller.authenticated()) {
            return Mono.empty();
        }
        return operators.userProfile(caller.userId())
                .map(p -> new Viewer(caller.userId(), p.displayName(), p.email(), caller.platformAdmin(), caller.roles()));
    }

    @SchemaMapping(typeName = "Viewer")
    List<Membership> memberships(Viewer viewer) {
        return viewer.roles().entrySet().stream().map(e -> new Membership(e.getKey(), e.getValue())).toList();
    }

    @BatchMapping(typeName = "StaffMembership", field = "operator")
    Mono<Map<Membership, Operator>> membershipOperator(List<Membership> memberships) {
        return operators.findAllById(memberships.stream().map(Membership::operatorId).distinct().toList())
                .collectMap(Operator::uuid)
                .map(byId -> memberships.stream().collect(java.util.stream.Collectors.toMap(m -> m, m -> byId.get(m.operatorId()))));
    }
}
