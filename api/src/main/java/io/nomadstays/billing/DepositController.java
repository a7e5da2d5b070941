package io.nomadstays.billing;

import graphql.GraphQLContext;
import io.nomadstays.booking.Booking;
import io.nomadstays.graphql.GlobalId;
import io.nomadstays.graphql.UserError;
import io.nomadstays.graphql.UserErrorCode;
import io.nomadstays.graphql.Validator;
import io.nomadstays.identity.Access;
import io.nomadstays.identity.Caller;
import io.nomadstays.identity.StaffRole;
import io.nomadstays.shared.Money;
import io.nomadstays.unit.Unit;
import io.nomadstays.unit.Units;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** {@code Unit.depositMode}, {@code Booking.depositInfo}, {@code setDepositMode} and {@code claimDeposit}. */
@Controller
class DepositController {

    private static final Set<GlobalId.Type> UNIT_IDS = Set.of(GlobalId.Type.UNIT, GlobalId.Type.STAY);

    private final DepositService service;
    private final Deposits deposits;
    private final Units units;

    DepositController(DepositService service, Deposits deposits, Units units) {
        this.service = service;
        this.deposits = deposits;
        this.units = units;
    }

    @BatchMapping(typeName = "Unit", field = "depositMode")
    Mono<Map<Unit, Deposit.Mode>> depositMode(List<Unit> list) {
        return deposits.modesOfUnits(list.stream().map(Unit::uuid).distinct().toList()).map(modes -> {
            Map<Unit, Deposit.Mode> out = new HashMap<>();
            list.forEach(u -> out.put(u, modes.getOrDefault(u.uuid(), Deposit.Mode.CARD_ON_FILE)));
            return out;
        });
    }

    /** The guest and the operator's staff (and platform admins) see the deposit; anyone else null, like Booking.charges. */
    @BatchMapping(typeName = "Booking", field = "depositInfo")
    Mono<Map<Booking, Deposit>> depositInfo(List<Booking> list, GraphQLContext context) {
        Caller caller = context.getOrDefault(Caller.CONTEXT_KEY, Caller.ANONYMOUS);
        List<Booking> visible = list.stream().filter(b -> caller.authenticated()
                && (b.guestId().equals(caller.userId()) || caller.isStaffOf(b.operatorId()) || caller.platformAdmin())).toList();
        if (visible.isEmpty()) {
            return Mono.just(Map.of());
        }
        return service.ofBookings(visible.stream().map(Booking::uuid).distinct().toList()).map(byId -> {
            Map<Booking, Deposit> out = new HashMap<>();
            visible.forEach(b -> {
                Deposit d = byId.get(b.uuid());
                if (d != null) {
                    out.put(b, d);
                }
            });
            return out;
        });
    }

    record SetDepositModeInput(String unitId, Deposit.Mode mode) {
    }

    record SetDepositModePayload(Unit unit, List<UserError> userErrors) {
    }

    @MutationMapping
    Mono<SetDepositModePayload> setDepositMode(@Argument SetDepositModeInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID unitId = v.id(input.unitId(), UNIT_IDS, "input", "unitId");
        v.required(input.mode(), "input", "mode");
        if (v.hasErrors()) {
            return Mono.just(new SetDepositModePayload(null, v.errors()));
        }
        return units.findById(unitId)
                .flatMap(unit -> {
                    var denied = Access.checkWrite(caller, unit.operatorId(), unit.published(), StaffRole.MANAGER, "unit", "input", "unitId");
                    if (denied.isPresent()) {
                        return Mono.just(new SetDepositModePayload(null, List.of(denied.get())));
                    }
                    return service.setMode(unit.uuid(), input.mode()).then(units.findById(unit.uuid()))
                            .map(saved -> new SetDepositModePayload(saved, List.of()));
                })
                .defaultIfEmpty(new SetDepositModePayload(null, List.of(UserError.of(UserErrorCode.NOT_FOUND, "No unit with this ID", "input", "unitId"))));
    }

    record ClaimItemInput(String description, Long amount) {
    }

    record ClaimDepositInput(String bookingId, List<ClaimItemInput> items, String note) {
    }

    record ClaimDepositPayload(Booking booking, List<UserError> userErrors) {
    }

    @MutationMapping
    Mono<ClaimDepositPayload> claimDeposit(@Argument ClaimDepositInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        if (!caller.authenticated()) {
            return Mono.just(new ClaimDepositPayload(null, List.of(UserError.of(UserErrorCode.UNAUTHENTICATED, "Sign in first", "input"))));
        }
        UUID bookingId = v.id(input.bookingId(), GlobalId.Type.BOOKING, "input", "bookingId");
        String note = v.text(input.note(), 1, 1000, "input", "note");
        List<ClaimItemInput> raw = input.items() == null ? List.of() : input.items();
        if (raw.isEmpty()) {
            v.add(UserErrorCode.REQUIRED, "give 1 to " + DepositService.MAX_ITEMS + " items", "input", "items");
        } else if (raw.size() > DepositService.MAX_ITEMS) {
            v.add(UserErrorCode.TOO_LONG, "at most " + DepositService.MAX_ITEMS + " items", "input", "items");
        }
        List<String> descriptions = new ArrayList<>();
        List<Long> amounts = new ArrayList<>();
        for (int i = 0; i < raw.size() && i < DepositService.MAX_ITEMS; i++) {
            ClaimItemInput item = raw.get(i);
            descriptions.add(v.text(item.description(), 1, 200, "input", "items", String.valueOf(i), "description"));
            Long amount = v.money(item.amount(), "input", "items", String.valueOf(i), "amount");
            if (amount != null && amount < 1) {
                v.add(UserErrorCode.OUT_OF_RANGE, "an item is at least 1 (in minor units)", "input", "items", String.valueOf(i), "amount");
            }
            amounts.add(amount);
        }
        if (v.hasErrors()) {
            return Mono.just(new ClaimDepositPayload(null, v.errors()));
        }
        // Items are in the booking's currency (the deposit's); the service reads it.
        return service.claim(caller, bookingId, descriptions, amounts, note)
                .map(booking -> new ClaimDepositPayload(booking, List.of()))
                .onErrorResume(DepositRefusal.class, r -> Mono.just(new ClaimDepositPayload(null, r.errors())));
    }

    static List<Deposit.Item> items(List<String> descriptions, List<Long> amounts, String currency) {
        List<Deposit.Item> items = new ArrayList<>();
        for (int i = 0; i < descriptions.size(); i++) {
            items.add(new Deposit.Item(descriptions.get(i).strip(), Money.of(amounts.get(i), currency)));
        }
        return items;
    }
}
