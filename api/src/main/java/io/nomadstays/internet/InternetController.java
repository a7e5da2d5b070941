package io.nomadstays.internet;

import io.nomadstays.graphql.Connection;
import io.nomadstays.graphql.GlobalId;
import io.nomadstays.graphql.NodeLoader;
import io.nomadstays.graphql.PageRequest;
import io.nomadstays.graphql.Prefetched;
import graphql.GraphQLContext;
import io.nomadstays.graphql.UserError;
import io.nomadstays.graphql.UserErrorCode;
import io.nomadstays.graphql.Validator;
import io.nomadstays.identity.Access;
import io.nomadstays.identity.Caller;
import io.nomadstays.identity.StaffRole;
import io.nomadstays.outbox.Outbox;
import io.nomadstays.property.Properties;
import io.nomadstays.property.Property;
import io.nomadstays.shared.Ids;
import io.nomadstays.unit.Unit;
import io.nomadstays.unit.Units;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

@Controller
class InternetController implements NodeLoader {

    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Duration OLDEST = Duration.ofDays(366);

    private final SpeedTests speedTests;
    private final Properties properties;
    private final Units units;
    private final Outbox outbox;
    private final TransactionalOperator tx;

    InternetController(SpeedTests speedTests, Properties properties, Units units, Outbox outbox, TransactionalOperator tx) {
        this.speedTests = speedTests;
        this.properties = properties;
        this.units = units;
        this.outbox = outbox;
        this.tx = tx;
    }

    @Override
    public GlobalId.Type type() {
        return GlobalId.Type.SPEED_TEST;
    }

    @Override
    public Mono<SpeedTest> load(UUID id, Caller caller) {
        return speedTests.findById(id).filterWhen(t -> properties.findVisible(t.propertyId(), caller).hasElement());
    }

    @BatchMapping(typeName = "Property", field = "internet")
    Mono<Map<Property, InternetSummary>> internet(List<Property> list, GraphQLContext context) {
        return Prefetched.of(context).load(InternetSummary.class, list.stream().map(Property::uuid).toList(), speedTests::summaries)
                .map(byId -> list.stream().distinct().filter(p -> byId.containsKey(p.uuid()))
                        .collect(Collectors.toMap(Function.identity(), p -> byId.get(p.uuid()))));
    }

    @SchemaMapping(typeName = "Property")
    Mono<Connection<SpeedTest>> speedTests(Property property, @Argument Integer first, @Argument String after) {
        return speedTests.page(property.uuid(), PageRequest.of(first, after));
    }

    @SchemaMapping(typeName = "SpeedTest")
    Mono<Property> property(SpeedTest test) {
        return properties.findById(test.propertyId());
    }

    @SchemaMapping(typeName = "SpeedTest")
    Mono<Unit> unit(SpeedTest test, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        return test.unitId() == null ? Mono.empty() : units.findVisible(test.unitId(), caller);
    }

    record RecordSpeedTestInput(String propertyId, String unitId, Double downloadMbps, Double uploadMbps, Double latencyMs,
                                Instant measuredAt, SpeedTest.Source source) {
    }

    record SubmitSpeedTestInput(String propertyId, String unitId, Double downloadMbps, Double uploadMbps, Double latencyMs,
                                Instant measuredAt) {
    }

    record SpeedTestPayload(SpeedTest speedTest, Property property, List<UserError> userErrors) {
        static SpeedTestPayload error(UserErrorCode code, String message, String... path) {
            return new SpeedTestPayload(null, null, List.of(UserError.of(code, message, path)));
        }
    }

    /** Staff record OPERATOR tests; platform admins record PROBE results. */
    @MutationMapping
    Mono<SpeedTestPayload> recordSpeedTest(@Argument RecordSpeedTestInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        SpeedTest.Source source = input.source() == null ? SpeedTest.Source.OPERATOR : input.source();
        if (source == SpeedTest.Source.GUEST) {
            return Mono.just(SpeedTestPayload.error(UserErrorCode.FORBIDDEN, "guests report tests with submitSpeedTest", "input", "source"));
        }
        return save(new Measurement(input.propertyId(), input.unitId(), input.downloadMbps(), input.uploadMbps(),
                input.latencyMs(), input.measuredAt()), source, caller);
    }

    /** Any signed-in user reports a test at a listed property. */
    @MutationMapping
    Mono<SpeedTestPayload> submitSpeedTest(@Argument SubmitSpeedTestInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        return save(new Measurement(input.propertyId(), input.unitId(), input.downloadMbps(), input.uploadMbps(),
                input.latencyMs(), input.measuredAt()), SpeedTest.Source.GUEST, caller);
    }

    private record Measurement(String propertyId, String unitId, Double downloadMbps, Double uploadMbps, Double latencyMs,
                               Instant measuredAt) {
    }

    private Mono<SpeedTestPayload> save(Measurement in, SpeedTest.Source source, Caller caller) {
        var v = new Validator();
        UUID propertyId = v.id(in.propertyId(), GlobalId.Type.PROPERTY, "input", "propertyId");
        UUID unitId = in.unitId() == null ? null : v.id(in.unitId(), Set.of(GlobalId.Type.UNIT, GlobalId.Type.STAY), "input", "unitId");
        Double down = v.range(v.required(in.downloadMbps(), "input", "downloadMbps"), 0.0, 100_000.0, "input", "downloadMbps");
        Double up = v.range(v.required(in.uploadMbps(), "input", "uploadMbps"), 0.0, 100_000.0, "input", "uploadMbps");
        Double latency = v.range(in.latencyMs(), 0.0, 100_000.0, "input", "latencyMs");
        Instant now = Instant.now();
        Instant measuredAt = in.measuredAt() == null ? now : in.measuredAt();
        if (measuredAt.isAfter(now.plus(CLOCK_SKEW)) || measuredAt.isBefore(now.minus(OLDEST))) {
            v.add(UserErrorCode.OUT_OF_RANGE, "measuredAt must be within the last year and not in the future", "input", "measuredAt");
        }
        if (!caller.authenticated()) {
            v.add(UserErrorCode.UNAUTHENTICATED, "Sign in to report a speed test");
        }
        if (v.hasErrors()) {
            return Mono.just(new SpeedTestPayload(null, null, v.errors()));
        }
        return properties.findById(propertyId).flatMap(property -> properties.isPublic(propertyId).flatMap(isPublic -> {
            var denied = switch (source) {
                case OPERATOR -> Access.checkWrite(caller, property.operatorId(), isPublic, StaffRole.MANAGER, "this property's speed tests",
                        "input", "propertyId");
                case PROBE -> caller.platformAdmin() ? java.util.Optional.<UserError>empty()
                        : java.util.Optional.of(UserError.of(UserErrorCode.FORBIDDEN, "only platform probes record PROBE tests", "input", "source"));
                case GUEST -> isPublic || caller.isStaffOf(property.operatorId()) ? java.util.Optional.<UserError>empty()
                        : java.util.Optional.of(UserError.of(UserErrorCode.NOT_FOUND, "No property with this ID", "input", "propertyId"));
            };
            if (denied.isPresent()) {
                return Mono.just(new SpeedTestPayload(null, null, List.of(denied.get())));
            }
            Mono<Boolean> unitMatches = unitId == null ? Mono.just(true)
                    : units.findById(unitId).map(u -> u.propertyId().equals(propertyId)).defaultIfEmpty(false);
            return unitMatches.flatMap(matches -> {
                if (!matches) {
                    return Mono.just(SpeedTestPayload.error(UserErrorCode.NOT_FOUND, "No unit with this ID in this property", "input", "unitId"));
                }
                var test = new SpeedTest(Ids.newId(), property.operatorId(), propertyId, unitId, down, up, latency, measuredAt, source);
                return speedTests.insert(test, caller.userId())
                        .then(outbox.record(property.operatorId(), Outbox.PROPERTY, propertyId, "SpeedTestRecorded"))
                        .as(tx::transactional)
                        .then(Mono.zip(speedTests.findById(test.uuid()), properties.findById(propertyId)))
                        .map(t -> new SpeedTestPayload(t.getT1(), t.getT2(), List.of()));
            });
        })).defaultIfEmpty(SpeedTestPayload.error(UserErrorCode.NOT_FOUND, "No property with this ID", "input", "propertyId"));
    }
}
