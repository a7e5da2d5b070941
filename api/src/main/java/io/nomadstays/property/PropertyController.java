package io.nomadstays.property;

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
import io.nomadstays.shared.Ids;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
class PropertyController implements NodeLoader {

    private final Properties properties;
    private final Operators operators;
    private final Outbox outbox;
    private final TransactionalOperator tx;

    PropertyController(Properties properties, Operators operators, Outbox outbox, TransactionalOperator tx) {
        this.properties = properties;
        this.operators = operators;
        this.outbox = outbox;
        this.tx = tx;
    }

    @Override
    public GlobalId.Type type() {
        return GlobalId.Type.PROPERTY;
    }

    @Override
    public Mono<Property> load(UUID id, Caller caller) {
        return properties.findVisible(id, caller);
    }

    @QueryMapping
    Mono<Property> property(@Argument String id, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID uuid = v.id(id, GlobalId.Type.PROPERTY, "id");
        if (v.hasErrors()) {
            return Mono.error(new ApiException(v.errors().get(0).code(), v.errors().get(0).message()));
        }
        return properties.findVisible(uuid, caller);
    }

    @BatchMapping(typeName = "Property", field = "operator")
    Mono<Map<Property, Operator>> operator(List<Property> list, GraphQLContext context) {
        return Prefetched.of(context).load(Operator.class, list.stream().map(Property::operatorId).toList(),
                        ids -> operators.findAllById(ids).collectMap(Operator::uuid))
                .map(byId -> list.stream().distinct().collect(Collectors.toMap(Function.identity(), p -> byId.get(p.operatorId()))));
    }

    @SchemaMapping(typeName = "Operator")
    Mono<Connection<Property>> properties(Operator operator, @Argument Integer first, @Argument String after,
                                          @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        return properties.page(operator.uuid(), caller, PageRequest.of(first, after));
    }

    record AddressInput(String line, String city, String cityLocal, String postalCode, String countryCode) {
    }

    record GeoPointInput(Double lat, Double lon) {
    }

    record CreatePropertyInput(String operatorId, String name, String description, AddressInput address,
                               GeoPointInput location, String timeZone, List<String> amenities, String houseRules) {
    }

    record UpdatePropertyInput(String id, String name, String description, AddressInput address,
                               GeoPointInput location, String timeZone, List<String> amenities, String houseRules) {
    }

    record PropertyPayload(Property property, List<UserError> userErrors) {
        static PropertyPayload errors(List<UserError> errors) {
            return new PropertyPayload(null, errors);
        }
    }

    @MutationMapping
    Mono<PropertyPayload> createProperty(@Argument CreatePropertyInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID operatorId = v.id(input.operatorId(), GlobalId.Type.OPERATOR, "input", "operatorId");
        String name = v.text(input.name(), 1, 200, "input", "name");
        String description = v.optionalText(input.description(), 10_000, "input", "description");
        Property.Address address = address(v, input.address());
        Property.GeoPoint location = location(v, input.location());
        String zone = v.timeZone(v.required(input.timeZone(), "input", "timeZone"), "input", "timeZone");
        List<String> amenities = v.amenities(input.amenities(), "input", "amenities");
        String rules = v.optionalText(input.houseRules(), 5_000, "input", "houseRules");
        if (v.hasErrors()) {
            return Mono.just(PropertyPayload.errors(v.errors()));
        }
        var denied = Access.checkWrite(caller, operatorId, true, StaffRole.MANAGER, "this operator's properties", "input", "operatorId");
        if (denied.isPresent()) {
            return Mono.just(PropertyPayload.errors(List.of(denied.get())));
        }
        var property = new Property(Ids.newId(), operatorId, name, description == null ? "" : description, address, location,
                zone, amenities == null ? List.of() : amenities, rules == null ? "" : rules, Instant.now(), Instant.now());
        return properties.insert(property).as(tx::transactional)
                .then(properties.findById(property.uuid()))
                .map(created -> new PropertyPayload(created, List.of()));
    }

    @MutationMapping
    Mono<PropertyPayload> updateProperty(@Argument UpdatePropertyInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID id = v.id(input.id(), GlobalId.Type.PROPERTY, "input", "id");
        String name = input.name() == null ? null : v.text(input.name(), 1, 200, "input", "name");
        String description = v.optionalText(input.description(), 10_000, "input", "description");
        Property.Address address = input.address() == null ? null : address(v, input.address());
        Property.GeoPoint location = input.location() == null ? null : location(v, input.location());
        String zone = v.timeZone(input.timeZone(), "input", "timeZone");
        List<String> amenities = v.amenities(input.amenities(), "input", "amenities");
        String rules = v.optionalText(input.houseRules(), 5_000, "input", "houseRules");
        if (v.hasErrors()) {
            return Mono.just(PropertyPayload.errors(v.errors()));
        }
        return properties.findById(id)
                .flatMap(existing -> properties.isPublic(id).flatMap(isPublic -> {
                    var denied = Access.checkWrite(caller, existing.operatorId(), isPublic, StaffRole.MANAGER, "property", "input", "id");
                    if (denied.isPresent()) {
                        return Mono.just(PropertyPayload.errors(List.of(denied.get())));
                    }
                    var updated = new Property(existing.uuid(), existing.operatorId(),
                            name != null ? name : existing.name(),
                            description != null ? description : existing.description(),
                            address != null ? address : existing.address(),
                            location != null ? location : existing.location(),
                            zone != null ? zone : existing.timeZone(),
                            amenities != null ? amenities : existing.amenities(),
                            rules != null ? rules : existing.houseRules(),
                            existing.createdAt(), existing.updatedAt());
                    return properties.update(updated)
                            .then(outbox.record(existing.operatorId(), Outbox.PROPERTY, existing.uuid(), "PropertyUpdated"))
                            .as(tx::transactional)
                            .then(properties.findById(id))
                            .map(saved -> new PropertyPayload(saved, List.of()));
                }))
                .defaultIfEmpty(PropertyPayload.errors(List.of(UserError.of(UserErrorCode.NOT_FOUND, "No property with this ID", "input", "id"))));
    }

    private static Property.Address address(Validator v, AddressInput in) {
        if (v.required(in, "input", "address") == null) {
            return null;
        }
        String line = v.text(in.line(), 1, 500, "input", "address", "line");
        String city = v.text(in.city(), 1, 100, "input", "address", "city");
        String cityLocal = v.optionalText(in.cityLocal(), 100, "input", "address", "cityLocal");
        String postal = v.optionalText(in.postalCode(), 20, "input", "address", "postalCode");
        String country = v.country(v.required(in.countryCode(), "input", "address", "countryCode"), "input", "address", "countryCode");
        return new Property.Address(line, city, cityLocal, postal, country);
    }

    private static Property.GeoPoint location(Validator v, GeoPointInput in) {
        if (v.required(in, "input", "location") == null) {
            return null;
        }
        Double lat = v.range(in.lat(), -90.0, 90.0, "input", "location", "lat");
        Double lon = v.range(in.lon(), -180.0, 180.0, "input", "location", "lon");
        return lat == null || lon == null ? null : new Property.GeoPoint(lat, lon);
    }
}
