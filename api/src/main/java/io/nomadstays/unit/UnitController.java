package io.nomadstays.unit;

import io.nomadstays.graphql.ApiException;
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
import io.nomadstays.operator.Operator;
import io.nomadstays.operator.Operators;
import io.nomadstays.outbox.Outbox;
import io.nomadstays.property.Properties;
import io.nomadstays.property.Property;
import io.nomadstays.shared.Ids;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.HashSet;
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
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

@Controller
class UnitController {

    private static final Set<GlobalId.Type> UNIT_IDS = Set.of(GlobalId.Type.UNIT, GlobalId.Type.STAY);
    private static final int MAX_DISCOUNTS = 10;

    private final Units units;
    private final Properties properties;
    private final Operators operators;
    private final Outbox outbox;
    private final TransactionalOperator tx;

    UnitController(Units units, Properties properties, Operators operators, Outbox outbox, TransactionalOperator tx) {
        this.units = units;
        this.properties = properties;
        this.operators = operators;
        this.outbox = outbox;
        this.tx = tx;
    }

    @QueryMapping
    Mono<Stay> stay(@Argument String id, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID uuid = v.id(id, UNIT_IDS, "id");
        if (v.hasErrors()) {
            return Mono.error(new ApiException(v.errors().get(0).code(), v.errors().get(0).message()));
        }
        return units.findVisible(uuid, caller).map(Stay::new);
    }

    @SchemaMapping(typeName = "Operator")
    Mono<Connection<Unit>> units(Operator operator, @Argument Integer first, @Argument String after,
                                 @Argument List<Unit.Status> status, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        return units.page("operator_id", operator.uuid(), operator.uuid(), status, caller, PageRequest.of(first, after));
    }

    @SchemaMapping(typeName = "Property")
    Mono<Connection<Unit>> units(Property property, @Argument Integer first, @Argument String after,
                                 @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        return units.page("property_id", property.uuid(), property.operatorId(), null, caller, PageRequest.of(first, after));
    }

    @BatchMapping(typeName = "Unit", field = "property")
    Mono<Map<Unit, Property>> unitProperty(List<Unit> list, GraphQLContext context) {
        return Prefetched.of(context).load(Property.class, list.stream().map(Unit::propertyId).toList(),
                        ids -> properties.findAllById(ids).collectMap(Property::uuid))
                .map(byId -> list.stream().distinct().collect(Collectors.toMap(Function.identity(), u -> byId.get(u.propertyId()))));
    }

    @BatchMapping(typeName = "Unit", field = "pricing")
    Mono<Map<Unit, UnitPricing>> pricing(List<Unit> list, GraphQLContext context) {
        return Prefetched.of(context).load(UnitPricing.class, list.stream().map(Unit::uuid).toList(), units::pricing)
                .map(byId -> list.stream().distinct().filter(u -> byId.containsKey(u.uuid()))
                        .collect(Collectors.toMap(Function.identity(), u -> byId.get(u.uuid()))));
    }

    @BatchMapping(typeName = "Stay", field = "property")
    Mono<Map<Stay, Property>> stayProperty(List<Stay> list, GraphQLContext context) {
        return Prefetched.of(context).load(Property.class, list.stream().map(s -> s.unit().propertyId()).toList(),
                        ids -> properties.findAllById(ids).collectMap(Property::uuid))
                .map(byId -> list.stream().distinct().collect(Collectors.toMap(Function.identity(), s -> byId.get(s.unit().propertyId()))));
    }

    @BatchMapping(typeName = "Stay", field = "operator")
    Mono<Map<Stay, Operator>> stayOperator(List<Stay> list, GraphQLContext context) {
        return Prefetched.of(context).load(Operator.class, list.stream().map(s -> s.unit().operatorId()).toList(),
                        ids -> operators.findAllById(ids).collectMap(Operator::uuid))
                .map(byId -> list.stream().distinct().collect(Collectors.toMap(Function.identity(), s -> byId.get(s.unit().operatorId()))));
    }

    // ---- mutations ----

    record CreateUnitInput(String propertyId, String name, String description, Unit.UnitType type, Integer capacity,
                           Integer maxGuests, Double sizeM2, Boolean furnished, Unit.Granularity bookingGranularity,
                           Integer minStay, Integer maxStay, List<String> amenities) {
    }

    record UpdateUnitInput(String id, String name, String description, Unit.UnitType type, Integer capacity,
                           Integer maxGuests, Double sizeM2, Boolean furnished, Unit.Granularity bookingGranularity,
                           Integer minStay, Integer maxStay, List<String> amenities) {
    }

    record LongStayDiscountInput(Integer minNights, Integer percentBps) {
    }

    record SetUnitPricingInput(String unitId, String currency, Long hourlyRate, Long nightlyRate, Long dailyRate,
                               Long weeklyRate, Long monthlyRate, Long cleaningFee, Long deposit,
                               List<LongStayDiscountInput> longStayDiscounts) {
    }

    record UnitIdInput(String unitId) {
    }

    record UnitPayload(Unit unit, List<UserError> userErrors) {
        static UnitPayload errors(List<UserError> errors) {
            return new UnitPayload(null, errors);
        }

        static UnitPayload error(UserErrorCode code, String message, String... path) {
            return errors(List.of(UserError.of(code, message, path)));
        }
    }

    @MutationMapping
    Mono<UnitPayload> createUnit(@Argument CreateUnitInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID propertyId = v.id(input.propertyId(), GlobalId.Type.PROPERTY, "input", "propertyId");
        String name = v.text(input.name(), 1, 200, "input", "name");
        String description = v.optionalText(input.description(), 10_000, "input", "description");
        Unit.UnitType type = v.required(input.type(), "input", "type");
        Integer capacity = v.range(input.capacity(), 1, 1000, "input", "capacity");
        Integer maxGuests = v.range(input.maxGuests(), 1, 100, "input", "maxGuests");
        BigDecimal size = size(v, input.sizeM2());
        Integer minStay = v.range(input.minStay(), 1, 10_000, "input", "minStay");
        Integer maxStay = v.range(input.maxStay(), 1, 10_000, "input", "maxStay");
        checkStayRange(v, minStay == null ? 1 : minStay, maxStay);
        List<String> amenities = v.amenities(input.amenities(), "input", "amenities");
        if (v.hasErrors()) {
            return Mono.just(UnitPayload.errors(v.errors()));
        }
        return properties.findById(propertyId)
                .flatMap(property -> properties.isPublic(propertyId).flatMap(isPublic -> {
                    var denied = Access.checkWrite(caller, property.operatorId(), isPublic, StaffRole.MANAGER,
                            "this property's units", "input", "propertyId");
                    if (denied.isPresent()) {
                        return Mono.just(UnitPayload.errors(List.of(denied.get())));
                    }
                    Unit unit = new Unit(Ids.newId(), property.operatorId(), property.uuid(), name,
                            description == null ? "" : description, type, capacity == null ? 1 : capacity,
                            maxGuests == null ? 1 : maxGuests, size, input.furnished() == null || input.furnished(),
                            input.bookingGranularity() == null ? type.defaultGranularity() : input.bookingGranularity(),
                            minStay == null ? 1 : minStay, maxStay, amenities == null ? List.of() : amenities,
                            Unit.Status.DRAFT, null, Instant.now(), Instant.now(), 1);
                    return units.insert(unit).as(tx::transactional)
                            .then(units.findById(unit.uuid()))
                            .map(created -> new UnitPayload(created, List.of()));
                }))
                .defaultIfEmpty(UnitPayload.error(UserErrorCode.NOT_FOUND, "No property with this ID", "input", "propertyId"));
    }

    @MutationMapping
    Mono<UnitPayload> updateUnit(@Argument UpdateUnitInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID id = v.id(input.id(), UNIT_IDS, "input", "id");
        String name = input.name() == null ? null : v.text(input.name(), 1, 200, "input", "name");
        String description = v.optionalText(input.description(), 10_000, "input", "description");
        Integer capacity = v.range(input.capacity(), 1, 1000, "input", "capacity");
        Integer maxGuests = v.range(input.maxGuests(), 1, 100, "input", "maxGuests");
        BigDecimal size = size(v, input.sizeM2());
        Integer minStay = v.range(input.minStay(), 1, 10_000, "input", "minStay");
        Integer maxStay = v.range(input.maxStay(), 1, 10_000, "input", "maxStay");
        List<String> amenities = v.amenities(input.amenities(), "input", "amenities");
        if (v.hasErrors()) {
            return Mono.just(UnitPayload.errors(v.errors()));
        }
        return withWritableUnit(id, caller, existing -> {
            int newMin = minStay != null ? minStay : existing.minStay();
            Integer newMax = maxStay != null ? maxStay : existing.maxStay();
            var check = new Validator();
            checkStayRange(check, newMin, newMax);
            if (check.hasErrors()) {
                return Mono.just(UnitPayload.errors(check.errors()));
            }
            Unit updated = new Unit(existing.uuid(), existing.operatorId(), existing.propertyId(),
                    name != null ? name : existing.name(),
                    description != null ? description : existing.description(),
                    input.type() != null ? input.type() : existing.type(),
                    capacity != null ? capacity : existing.capacity(),
                    maxGuests != null ? maxGuests : existing.maxGuests(),
                    size != null ? size : existing.sizeM2(),
                    input.furnished() != null ? input.furnished() : existing.furnished(),
                    input.bookingGranularity() != null ? input.bookingGranularity() : existing.bookingGranularity(),
                    newMin, newMax, amenities != null ? amenities : existing.amenities(), existing.status(),
                    existing.publishedAt(), existing.createdAt(), existing.updatedAt(), existing.version());
            Mono<UnitPayload> write = written(units.update(updated)
                    .then(outbox.record(existing.operatorId(), Outbox.UNIT, existing.uuid(), "UnitUpdated")));
            if (updated.capacity() == existing.capacity()) {
                return write;
            }
            return units.changeCalendarCapacity(existing.uuid(), updated.capacity()).flatMap(changed -> changed ? write
                    : Mono.just(UnitPayload.error(UserErrorCode.INVALID_STATE, "bookings already take more than "
                    + updated.capacity() + " places on some dates; cancel or move them first", "input", "capacity")));
        });
    }

    @MutationMapping
    Mono<UnitPayload> setUnitPricing(@Argument SetUnitPricingInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID id = v.id(input.unitId(), UNIT_IDS, "input", "unitId");
        Long hourly = v.money(input.hourlyRate(), "input", "hourlyRate");
        Long nightly = v.money(input.nightlyRate(), "input", "nightlyRate");
        Long daily = v.money(input.dailyRate(), "input", "dailyRate");
        Long weekly = v.money(input.weeklyRate(), "input", "weeklyRate");
        Long monthly = v.money(input.monthlyRate(), "input", "monthlyRate");
        Long cleaning = v.money(input.cleaningFee(), "input", "cleaningFee");
        Long deposit = v.money(input.deposit(), "input", "deposit");
        if (input.hourlyRate() == null && input.nightlyRate() == null && input.dailyRate() == null
                && input.weeklyRate() == null && input.monthlyRate() == null) {
            v.add(UserErrorCode.REQUIRED, "at least one of hourlyRate, nightlyRate, dailyRate, weeklyRate, monthlyRate is required", "input");
        }
        List<UnitPricing.LongStayDiscount> discounts = discounts(v, input.longStayDiscounts());
        String currency = input.currency();
        if (v.hasErrors()) {
            return Mono.just(UnitPayload.errors(v.errors()));
        }
        return operators.currencyExists(currency).flatMap(known -> {
            if (!known) {
                return Mono.just(UnitPayload.error(UserErrorCode.INVALID_CURRENCY,
                        "'" + currency + "' is not an ISO 4217 currency", "input", "currency"));
            }
            return withWritableUnit(id, caller, unit -> {
                var pricing = new UnitPricing(unit.uuid(), currency, hourly, nightly, daily, weekly, monthly,
                        cleaning == null ? 0 : cleaning, deposit == null ? 0 : deposit, discounts, Instant.now());
                if (unit.published() && !pricing.canPrice(unit.bookingGranularity())) {
                    return Mono.just(UnitPayload.error(UserErrorCode.INVALID_STATE, "a published unit booked by "
                            + unit.bookingGranularity() + " needs a matching rate", "input"));
                }
                return written(units.replacePricing(unit.operatorId(), pricing)
                        .then(units.touch(unit.uuid(), unit.operatorId()))
                        .then(outbox.record(unit.operatorId(), Outbox.UNIT, unit.uuid(), "UnitPriced")));
            });
        });
    }

    @MutationMapping
    Mono<UnitPayload> publishUnit(@Argument UnitIdInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID id = v.id(input.unitId(), UNIT_IDS, "input", "unitId");
        if (v.hasErrors()) {
            return Mono.just(UnitPayload.errors(v.errors()));
        }
        return withWritableUnit(id, caller, unit -> {
            if (unit.published()) {
                return Mono.<UnitPayload>empty(); // publishing twice is a no-op, so clients can retry safely
            }
            return units.isRoomOfAType(unit.uuid()).zipWith(units.pricing(List.of(unit.uuid()))).flatMap(t -> {
                if (t.getT1()) {
                    return Mono.just(UnitPayload.error(UserErrorCode.INVALID_STATE, "this unit is a room of a room type and is sold through "
                            + "its type (setRoomType with roomTypeId null makes it a unit of its own)", "input", "unitId"));
                }
                var byId = t.getT2();
                UnitPricing pricing = byId.get(unit.uuid());
                if (pricing == null || !pricing.canPrice(unit.bookingGranularity())) {
                    return Mono.just(UnitPayload.error(UserErrorCode.INVALID_STATE, "set a price list with a rate for "
                            + unit.bookingGranularity() + " bookings (setUnitPricing) before publishing", "input", "unitId"));
                }
                return written(units.setStatus(unit.uuid(), unit.operatorId(), Unit.Status.PUBLISHED)
                        .then(outbox.record(unit.operatorId(), Outbox.UNIT, unit.uuid(), "UnitPublished")));
            });
        });
    }

    @MutationMapping
    Mono<UnitPayload> unpublishUnit(@Argument UnitIdInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID id = v.id(input.unitId(), UNIT_IDS, "input", "unitId");
        if (v.hasErrors()) {
            return Mono.just(UnitPayload.errors(v.errors()));
        }
        return withWritableUnit(id, caller, unit -> {
            if (!unit.published()) {
                return Mono.empty();
            }
            return written(units.setStatus(unit.uuid(), unit.operatorId(), Unit.Status.DRAFT)
                    .then(outbox.record(unit.operatorId(), Outbox.UNIT, unit.uuid(), "UnitUnpublished")));
        });
    }

    /**
     * Loads the unit, checks the caller may change it, runs {@code change} in one transaction and
     * answers with the unit as stored. A change that emits a payload (a user error) writes nothing.
     */
    private Mono<UnitPayload> withWritableUnit(UUID id, Caller caller, Function<Unit, Mono<UnitPayload>> change) {
        return units.findById(id)
                .flatMap(unit -> {
                    var denied = Access.checkWrite(caller, unit.operatorId(), unit.published(), StaffRole.MANAGER, "unit", "input");
                    if (denied.isPresent()) {
                        return Mono.just(UnitPayload.errors(List.of(denied.get())));
                    }
                    return change.apply(unit)
                            .as(tx::transactional)
                            .switchIfEmpty(Mono.defer(() -> units.findById(id).map(saved -> new UnitPayload(saved, List.of()))));
                })
                .defaultIfEmpty(UnitPayload.error(UserErrorCode.NOT_FOUND, "No unit with this ID", "input"));
    }

    /** A write that succeeded: no refusal, so {@link #withWritableUnit} answers with the stored unit. */
    private static Mono<UnitPayload> written(Mono<Void> write) {
        return write.then(Mono.empty());
    }

    private static BigDecimal size(Validator v, Double sizeM2) {
        Double size = v.range(sizeM2, 0.1, 100_000.0, "input", "sizeM2");
        return size == null ? null : BigDecimal.valueOf(size).setScale(1, RoundingMode.HALF_UP);
    }

    private static void checkStayRange(Validator v, int minStay, Integer maxStay) {
        if (maxStay != null && maxStay < minStay) {
            v.add(UserErrorCode.OUT_OF_RANGE, "maxStay (" + maxStay + ") must be at least minStay (" + minStay + ")", "input", "maxStay");
        }
    }

    private static List<UnitPricing.LongStayDiscount> discounts(Validator v, List<LongStayDiscountInput> inputs) {
        if (inputs == null) {
            return List.of();
        }
        if (inputs.size() > MAX_DISCOUNTS) {
            v.add(UserErrorCode.TOO_LONG, "at most " + MAX_DISCOUNTS + " long-stay discounts", "input", "longStayDiscounts");
            return List.of();
        }
        var seen = new HashSet<Integer>();
        var result = new java.util.ArrayList<UnitPricing.LongStayDiscount>();
        for (int i = 0; i < inputs.size(); i++) {
            String index = String.valueOf(i);
            Integer min = v.range(inputs.get(i).minNights(), 2, 3660, "input", "longStayDiscounts", index, "minNights");
            Integer bps = v.range(inputs.get(i).percentBps(), 1, 9000, "input", "longStayDiscounts", index, "percentBps");
            if (min != null && !seen.add(min)) {
                v.add(UserErrorCode.ALREADY_EXISTS, "two discounts for " + min + " nights", "input", "longStayDiscounts", index, "minNights");
            }
            if (min != null && bps != null) {
                result.add(new UnitPricing.LongStayDiscount(min, bps));
            }
        }
        return result;
    }
}
