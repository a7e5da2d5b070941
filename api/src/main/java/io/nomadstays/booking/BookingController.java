package io.nomadstays.booking;

import graphql.GraphQLContext;
import io.nomadstays.graphql.ApiException;
import io.nomadstays.graphql.Connection;
import io.nomadstays.graphql.GlobalId;
import io.nomadstays.graphql.NodeLoader;
import io.nomadstays.graphql.PageRequest;
import io.nomadstays.graphql.Prefetched;
import io.nomadstays.graphql.UserError;
import io.nomadstays.graphql.UserErrorCode;
import io.nomadstays.graphql.Validator;
import io.nomadstays.identity.Access;
import io.nomadstays.identity.Caller;
import io.nomadstays.identity.StaffRole;
import io.nomadstays.index.ExchangeRates;
import io.nomadstays.operator.Operator;
import io.nomadstays.operator.User;
import io.nomadstays.property.Properties;
import io.nomadstays.property.Property;
import io.nomadstays.search.DatabaseCurrencyRates;
import io.nomadstays.shared.Money;
import io.nomadstays.unit.Quote;
import io.nomadstays.unit.Stay;
import io.nomadstays.unit.Unit;
import io.nomadstays.unit.Units;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Bean;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** The booking API: quote, bookings and their state changes, calendars and blocks (schema: bookings.graphqls). */
@Controller
class BookingController {

    static final int MAX_CALENDAR_DAYS = 366;
    static final int MAX_BLOCKS_LISTED = 500;
    static final int MAX_QUESTIONS = 10;
    private static final Set<GlobalId.Type> UNIT_IDS = Set.of(GlobalId.Type.UNIT, GlobalId.Type.STAY);

    private final BookingService service;
    private final Availability availability;
    private final Units units;
    private final Properties properties;
    private final DatabaseCurrencyRates rates;
    private final DatabaseClient db;
    private final TransactionalOperator tx;

    BookingController(BookingService service, Availability availability, Units units, Properties properties,
                      DatabaseCurrencyRates rates, DatabaseClient db, TransactionalOperator tx) {
        this.service = service;
        this.availability = availability;
        this.units = units;
        this.properties = properties;
        this.rates = rates;
        this.db = db;
        this.tx = tx;
    }

    @Bean
    static NodeLoader bookingNodes(BookingService service) {
        return NodeLoader.of(GlobalId.Type.BOOKING, (id, caller) -> service.findVisible(id, caller));
    }

    @Bean
    static NodeLoader blockNodes(Availability availability) {
        return NodeLoader.of(GlobalId.Type.BLOCK, (id, caller) -> availability.find(id).filter(b -> caller.isStaffOf(b.operatorId())));
    }

    // ---- queries ----

    @QueryMapping
    Mono<Quote> quote(@Argument String unitId, @Argument LocalDate checkIn, @Argument LocalDate checkOut, @Argument Instant startsAt,
                      @Argument Instant endsAt, @Argument Integer guests, @Argument String currency,
                      @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID id = v.id(unitId, UNIT_IDS, "unitId");
        Integer g = v.range(guests == null ? 1 : guests, 1, 100, "guests");
        boolean byDates = checkIn != null && checkOut != null;
        boolean byHours = startsAt != null && endsAt != null;
        if (byDates == byHours) {
            v.add(UserErrorCode.REQUIRED, "give checkIn and checkOut, or startsAt and endsAt for units booked by the hour", "checkIn");
        }
        if (v.hasErrors()) {
            return Mono.error(ApiException.invalid(v.errors()));
        }
        ExchangeRates now = rates.current();
        if (currency != null && !now.supports(currency)) {
            return Mono.error(new ApiException(UserErrorCode.INVALID_CURRENCY, "no exchange rate for '" + currency + "'"));
        }
        return service.bookable(id)
                .filter(b -> b.unit().published() || caller.isStaffOf(b.unit().operatorId()))
                .switchIfEmpty(Mono.error(new ApiException(UserErrorCode.NOT_FOUND, "No unit with this ID")))
                .map(b -> {
                    List<UserError> errors = byDates ? service.check(b, checkIn, checkOut, g) : service.checkHours(b, startsAt, endsAt, g);
                    if (!errors.isEmpty()) {
                        throw ApiException.invalid(errors);
                    }
                    try {
                        Quote q = byDates ? service.quote(b, checkIn, checkOut, g) : service.quoteHours(b, startsAt, endsAt);
                        Money converted = currency == null ? null
                                : DatabaseCurrencyRates.convert(now, q.total().amount(), q.total().currency(), currency);
                        return converted == null ? q : q.withDisplay(converted, now.asOf());
                    } catch (Refusal r) {
                        throw ApiException.invalid(r.errors());
                    }
                });
    }

    /** Free places per 15-minute slot of a unit booked by the hour; slots of blocked days are not free. */
    @SchemaMapping(typeName = "Unit")
    Mono<List<BookingCalendar.Slot>> slots(Unit unit, @Argument Instant from, @Argument Instant to) {
        long minutes = java.time.Duration.between(from, to).toMinutes();
        if (minutes <= 0 || minutes > BookingService.MAX_HOURS * 60L || from.getEpochSecond() % 900 != 0 || to.getEpochSecond() % 900 != 0) {
            return Mono.error(ApiException.invalid(List.of(UserError.of(UserErrorCode.OUT_OF_RANGE,
                    "from and to are quarter hours, to after from and at most " + BookingService.MAX_HOURS + " hours later", "to"))));
        }
        return properties.findById(unit.propertyId()).flatMap(p -> {
            ZoneId zone = ZoneId.of(p.timeZone());
            LocalDate first = from.atZone(zone).toLocalDate();
            LocalDate last = to.minusSeconds(1).atZone(zone).toLocalDate();
            return availability.days(unit, first, last.plusDays(1))
                    .filter(BookingCalendar.Day::blocked).map(BookingCalendar.Day::date).collect(Collectors.toSet())
                    .flatMap(blocked -> availability.slots(unit, from, to)
                            .map(slot -> blocked.contains(slot.startsAt().atZone(zone).toLocalDate()) ? new BookingCalendar.Slot(slot.startsAt(), 0) : slot)
                            .collectList());
        });
    }

    @QueryMapping
    Mono<Booking> booking(@Argument String id, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID uuid = v.id(id, GlobalId.Type.BOOKING, "id");
        if (v.hasErrors()) {
            return Mono.error(ApiException.invalid(v.errors()));
        }
        return service.findVisible(uuid, caller);
    }

    @SchemaMapping(typeName = "Viewer", field = "bookings")
    Mono<Connection<Booking>> myBookings(@Argument Integer first, @Argument String after, @Argument List<BookingStatus> status,
                                         @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        return service.bookingsOfGuest(caller.userId(), status, PageRequest.of(first, after));
    }

    @SchemaMapping(typeName = "Operator", field = "bookings")
    Mono<Connection<Booking>> operatorBookings(Operator operator, @Argument Integer first, @Argument String after,
                                               @Argument List<BookingStatus> status, @Argument String unitId,
                                               @Argument LocalDate checkInFrom, @Argument LocalDate checkInTo,
                                               @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        if (!caller.isStaffOf(operator.uuid()) && !caller.platformAdmin()) {
            return Mono.error(new ApiException(UserErrorCode.FORBIDDEN, "Only the operator's staff see its bookings"));
        }
        var v = new Validator();
        UUID unit = unitId == null ? null : v.id(unitId, UNIT_IDS, "unitId");
        if (v.hasErrors()) {
            return Mono.error(ApiException.invalid(v.errors()));
        }
        return service.bookingsOfOperator(operator.uuid(), new Bookings.Filter(status, unit, checkInFrom, checkInTo), PageRequest.of(first, after));
    }

    @SchemaMapping(typeName = "Unit")
    Mono<BookingRules> bookingRules(Unit unit) {
        return service.rules(unit.uuid());
    }

    @SchemaMapping(typeName = "Unit")
    Mono<List<CalendarDayView>> calendar(Unit unit, @Argument LocalDate from, @Argument LocalDate to,
                                         @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        long days = ChronoUnit.DAYS.between(from, to);
        if (days <= 0 || days > MAX_CALENDAR_DAYS) {
            return Mono.error(ApiException.invalid(List.of(UserError.of(UserErrorCode.OUT_OF_RANGE,
                    "to must be after from and at most " + MAX_CALENDAR_DAYS + " days later", "to"))));
        }
        boolean staff = caller.isStaffOf(unit.operatorId()) || caller.platformAdmin();
        return availability.days(unit, from, to)
                .map(d -> new CalendarDayView(d.date(), d.free(), staff ? d.capacity() : null, staff ? d.booked() : null, staff ? d.blocked() : null))
                .collectList();
    }

    record CalendarDayView(LocalDate date, int free, Integer capacity, Integer booked, Boolean blocked) {
    }

    @SchemaMapping(typeName = "Unit")
    Mono<List<CalendarBlock>> blocks(Unit unit, @Argument LocalDate from, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        if (!caller.isStaffOf(unit.operatorId()) && !caller.platformAdmin()) {
            return Mono.error(new ApiException(UserErrorCode.FORBIDDEN, "Only the operator's staff see blocks"));
        }
        return properties.findById(unit.propertyId())
                .flatMap(p -> availability.blocks(unit.uuid(), from != null ? from : LocalDate.now(ZoneId.of(p.timeZone())), MAX_BLOCKS_LISTED)
                        .collectList());
    }

    @BatchMapping(typeName = "Booking", field = "unit")
    Mono<Map<Booking, Unit>> unit(List<Booking> list, GraphQLContext context) {
        return Prefetched.of(context).load(Unit.class, list.stream().map(Booking::unitId).toList(), ids -> units.findAllById(ids).collectMap(Unit::uuid))
                .map(byId -> list.stream().distinct().collect(Collectors.toMap(Function.identity(), b -> byId.get(b.unitId()))));
    }

    @BatchMapping(typeName = "Booking", field = "stay")
    Mono<Map<Booking, Stay>> stay(List<Booking> list, GraphQLContext context) {
        return unit(list, context).map(byBooking -> byBooking.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> new Stay(e.getValue()))));
    }

    @BatchMapping(typeName = "Booking", field = "property")
    Mono<Map<Booking, Property>> property(List<Booking> list, GraphQLContext context) {
        return Prefetched.of(context).load(Property.class, list.stream().map(Booking::propertyId).toList(),
                        ids -> properties.findAllById(ids).collectMap(Property::uuid))
                .map(byId -> list.stream().distinct().collect(Collectors.toMap(Function.identity(), b -> byId.get(b.propertyId()))));
    }

    @BatchMapping(typeName = "Booking", field = "guest")
    Mono<Map<Booking, User>> guest(List<Booking> list) {
        List<UUID> ids = list.stream().map(Booking::guestId).distinct().toList();
        return db.sql("SELECT id, display_name FROM app_user WHERE id = ANY(:ids)").bind("ids", ids.toArray(UUID[]::new))
                .map(row -> new User(row.get("id", UUID.class), row.get("display_name", String.class))).all()
                .collectMap(User::uuid)
                .map(byId -> list.stream().distinct().collect(Collectors.toMap(Function.identity(), b -> byId.get(b.guestId()))));
    }

    @SchemaMapping(typeName = "Booking")
    int nights(Booking booking) {
        return booking.nights();
    }

    @SchemaMapping(typeName = "Booking")
    Money total(Booking booking) {
        return booking.totalMoney();
    }

    @SchemaMapping(typeName = "Booking")
    Money deposit(Booking booking) {
        return booking.depositMoney();
    }

    @SchemaMapping(typeName = "Booking")
    Money refund(Booking booking) {
        return booking.refund();
    }

    @SchemaMapping(typeName = "Booking")
    List<Map<String, String>> answers(Booking booking) {
        List<Map<String, String>> answers = new ArrayList<>();
        for (int i = 0; i < booking.questions().size(); i++) {
            answers.add(Map.of("question", booking.questions().get(i), "answer", i < booking.answers().size() ? booking.answers().get(i) : ""));
        }
        return answers;
    }

    @SchemaMapping(typeName = "Booking")
    Mono<List<Map<String, Object>>> events(Booking booking) {
        return service.events(booking.uuid()).map(e -> {
            Map<String, Object> m = new java.util.HashMap<>();
            m.put("from", e.fromStatus());
            m.put("to", e.toStatus());
            m.put("actor", e.actor());
            m.put("note", e.note());
            m.put("at", e.at());
            return m;
        }).collectList();
    }

    // ---- mutations ----

    record CreateBookingInput(String unitId, LocalDate checkIn, LocalDate checkOut, Instant startsAt, Instant endsAt, Integer guests,
                              List<String> answers, String idempotencyKey) {
    }

    record BookingPayload(Booking booking, PaymentGateway.PaymentAction payment, List<UserError> userErrors) {
        static BookingPayload of(Booking booking) {
            return new BookingPayload(booking, null, List.of());
        }

        static BookingPayload errors(List<UserError> errors) {
            return new BookingPayload(null, null, errors);
        }
    }

    @MutationMapping
    Mono<BookingPayload> createBooking(@Argument CreateBookingInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        if (!caller.authenticated()) {
            return Mono.just(BookingPayload.errors(List.of(UserError.of(UserErrorCode.UNAUTHENTICATED, "Sign in to book", "input"))));
        }
        var v = new Validator();
        UUID unitId = v.id(input.unitId(), UNIT_IDS, "input", "unitId");
        LocalDate checkIn = input.checkIn();
        LocalDate checkOut = input.checkOut();
        if ((checkIn == null) != (checkOut == null)) {
            v.add(UserErrorCode.REQUIRED, "give both checkIn and checkOut", "input", checkIn == null ? "checkIn" : "checkOut");
        }
        if ((input.startsAt() == null) != (input.endsAt() == null)) {
            v.add(UserErrorCode.REQUIRED, "give both startsAt and endsAt", "input", input.startsAt() == null ? "startsAt" : "endsAt");
        }
        if (checkIn == null && input.startsAt() == null) {
            v.add(UserErrorCode.REQUIRED, "give checkIn and checkOut (or startsAt and endsAt for units booked by the hour)", "input", "checkIn");
        }
        Integer guests = v.range(input.guests() == null ? 1 : input.guests(), 1, 100, "input", "guests");
        List<String> answers = input.answers() == null ? List.of() : input.answers();
        if (answers.size() > MAX_QUESTIONS) {
            v.add(UserErrorCode.TOO_LONG, "at most " + MAX_QUESTIONS + " answers", "input", "answers");
        }
        for (int i = 0; i < answers.size() && i < MAX_QUESTIONS; i++) {
            v.optionalText(answers.get(i), 2000, "input", "answers", String.valueOf(i));
        }
        String key = input.idempotencyKey() == null ? null : v.text(input.idempotencyKey(), 1, 100, "input", "idempotencyKey");
        if (v.hasErrors()) {
            return Mono.just(BookingPayload.errors(v.errors()));
        }
        return answerPaid(service.create(caller, new BookingService.NewBooking(unitId, checkIn, checkOut, input.startsAt(), input.endsAt(), guests,
                answers.stream().map(String::strip).toList(), key)));
    }

    @MutationMapping
    Mono<BookingPayload> payBooking(@Argument BookingIdInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID id = bookingId(v, input.bookingId(), caller);
        if (v.hasErrors()) {
            return Mono.just(BookingPayload.errors(v.errors()));
        }
        return answerPaid(service.pay(caller, id));
    }

    private static Mono<BookingPayload> answerPaid(Mono<BookingService.Created> result) {
        return result.map(c -> new BookingPayload(c.booking(), c.payment(), List.of()))
                .onErrorResume(Refusal.class, r -> Mono.just(BookingPayload.errors(r.errors())));
    }

    record CancelBookingInput(String bookingId, String reason, String idempotencyKey) {
    }

    @MutationMapping
    Mono<BookingPayload> cancelBooking(@Argument CancelBookingInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID id = bookingId(v, input.bookingId(), caller);
        String reason = v.optionalText(input.reason(), 1000, "input", "reason");
        // Checked, not stored: the booking's state makes cancelling idempotent (a cancelled booking answers as it is) and the
        // refund's Stripe keys are the booking's own, so a retry with or without the key never refunds twice.
        if (input.idempotencyKey() != null) {
            v.text(input.idempotencyKey(), 1, 100, "input", "idempotencyKey");
        }
        if (v.hasErrors()) {
            return Mono.just(BookingPayload.errors(v.errors()));
        }
        return answer(service.cancel(caller, id, reason));
    }

    record BookingIdInput(String bookingId) {
    }

    @MutationMapping
    Mono<BookingPayload> acceptBooking(@Argument BookingIdInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID id = bookingId(v, input.bookingId(), caller);
        return v.hasErrors() ? Mono.just(BookingPayload.errors(v.errors())) : answer(service.accept(caller, id));
    }

    record DeclineBookingInput(String bookingId, String reason) {
    }

    @MutationMapping
    Mono<BookingPayload> declineBooking(@Argument DeclineBookingInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID id = bookingId(v, input.bookingId(), caller);
        String reason = v.text(input.reason(), 1, 1000, "input", "reason");
        return v.hasErrors() ? Mono.just(BookingPayload.errors(v.errors())) : answer(service.decline(caller, id, reason));
    }

    @MutationMapping
    Mono<BookingPayload> checkInBooking(@Argument BookingIdInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID id = bookingId(v, input.bookingId(), caller);
        return v.hasErrors() ? Mono.just(BookingPayload.errors(v.errors())) : answer(service.checkIn(caller, id));
    }

    @MutationMapping
    Mono<BookingPayload> completeBooking(@Argument BookingIdInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID id = bookingId(v, input.bookingId(), caller);
        return v.hasErrors() ? Mono.just(BookingPayload.errors(v.errors())) : answer(service.complete(caller, id));
    }

    record ExtendBookingInput(String bookingId, LocalDate checkOut) {
    }

    record ExtendBookingPayload(Booking booking, Quote addedQuote, List<UserError> userErrors) {
    }

    @MutationMapping
    Mono<ExtendBookingPayload> extendBooking(@Argument ExtendBookingInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID id = bookingId(v, input.bookingId(), caller);
        LocalDate checkOut = v.required(input.checkOut(), "input", "checkOut");
        if (v.hasErrors()) {
            return Mono.just(new ExtendBookingPayload(null, null, v.errors()));
        }
        return service.extend(caller, id, checkOut)
                .map(e -> new ExtendBookingPayload(e.booking(), e.added(), List.of()))
                .onErrorResume(Refusal.class, r -> Mono.just(new ExtendBookingPayload(null, null, r.errors())));
    }

    record MoveOutEarlyInput(String bookingId, LocalDate moveOutDate) {
    }

    @MutationMapping
    Mono<BookingPayload> moveOutEarly(@Argument MoveOutEarlyInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID id = bookingId(v, input.bookingId(), caller);
        LocalDate moveOut = v.required(input.moveOutDate(), "input", "moveOutDate");
        return v.hasErrors() ? Mono.just(BookingPayload.errors(v.errors())) : answer(service.moveOutEarly(caller, id, moveOut));
    }

    record BlockDatesInput(String unitId, LocalDate from, LocalDate to, String note) {
    }

    record BlockDatesPayload(CalendarBlock block, List<UserError> userErrors) {
        static BlockDatesPayload errors(List<UserError> errors) {
            return new BlockDatesPayload(null, errors);
        }
    }

    @MutationMapping
    Mono<BlockDatesPayload> blockDates(@Argument BlockDatesInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID unitId = v.id(input.unitId(), UNIT_IDS, "input", "unitId");
        LocalDate from = v.required(input.from(), "input", "from");
        LocalDate to = v.required(input.to(), "input", "to");
        String note = v.optionalText(input.note(), 500, "input", "note");
        if (from != null && to != null) {
            long days = ChronoUnit.DAYS.between(from, to);
            if (days <= 0) {
                v.add(UserErrorCode.OUT_OF_RANGE, "to must be after from", "input", "to");
            } else if (days > 731) {
                v.add(UserErrorCode.OUT_OF_RANGE, "a block covers at most 731 days", "input", "to");
            }
        }
        if (v.hasErrors()) {
            return Mono.just(BlockDatesPayload.errors(v.errors()));
        }
        return units.findById(unitId)
                .flatMap(unit -> {
                    var denied = Access.checkWrite(caller, unit.operatorId(), unit.published(), StaffRole.MANAGER, "unit", "input", "unitId");
                    if (denied.isPresent()) {
                        return Mono.just(BlockDatesPayload.errors(List.of(denied.get())));
                    }
                    return properties.findById(unit.propertyId()).flatMap(p -> {
                        LocalDate today = LocalDate.now(ZoneId.of(p.timeZone()));
                        if (to.isBefore(today) || !to.isAfter(today) || from.isAfter(today.plusDays(BookingService.MAX_DAYS_AHEAD))) {
                            return Mono.just(BlockDatesPayload.errors(List.of(UserError.of(UserErrorCode.OUT_OF_RANGE,
                                    "a block must end after today (" + today + ") and start within two years", "input", "from"))));
                        }
                        return availability.block(unit, from, to, note, caller.userId(), null, null)
                                .as(tx::transactional)
                                .map(block -> new BlockDatesPayload(block, List.of()));
                    });
                })
                .defaultIfEmpty(BlockDatesPayload.errors(List.of(UserError.of(UserErrorCode.NOT_FOUND, "No unit with this ID", "input", "unitId"))));
    }

    record UnblockDatesInput(String blockId) {
    }

    @MutationMapping
    Mono<BlockDatesPayload> unblockDates(@Argument UnblockDatesInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID id = v.id(input.blockId(), GlobalId.Type.BLOCK, "input", "blockId");
        if (v.hasErrors()) {
            return Mono.just(BlockDatesPayload.errors(v.errors()));
        }
        UserError notFound = UserError.of(UserErrorCode.NOT_FOUND, "No block with this ID", "input", "blockId");
        return availability.find(id)
                .flatMap(block -> {
                    var denied = Access.checkWrite(caller, block.operatorId(), false, StaffRole.MANAGER, "block", "input", "blockId");
                    if (denied.isPresent()) {
                        return Mono.just(BlockDatesPayload.errors(List.of(denied.get())));
                    }
                    if (block.source() == CalendarBlock.Source.FEED) {
                        return Mono.just(BlockDatesPayload.errors(List.of(UserError.of(UserErrorCode.INVALID_STATE,
                                "this block comes from an imported calendar: change it there or remove the feed", "input", "blockId"))));
                    }
                    return availability.unblock(block).as(tx::transactional)
                            .map(removed -> new BlockDatesPayload(removed, List.of()))
                            .defaultIfEmpty(BlockDatesPayload.errors(List.of(notFound)));
                })
                .defaultIfEmpty(BlockDatesPayload.errors(List.of(notFound)));
    }

    record SetBookingRulesInput(String unitId, Booking.Mode bookingMode, CancellationPolicy cancellationPolicy, Integer preparationDays,
                                List<String> bookingQuestions) {
    }

    record SetBookingRulesPayload(Unit unit, List<UserError> userErrors) {
        static SetBookingRulesPayload errors(List<UserError> errors) {
            return new SetBookingRulesPayload(null, errors);
        }
    }

    @MutationMapping
    Mono<SetBookingRulesPayload> setBookingRules(@Argument SetBookingRulesInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID unitId = v.id(input.unitId(), UNIT_IDS, "input", "unitId");
        Integer preparation = v.range(input.preparationDays(), 0, 30, "input", "preparationDays");
        List<String> questions = null;
        if (input.bookingQuestions() != null) {
            if (input.bookingQuestions().size() > MAX_QUESTIONS) {
                v.add(UserErrorCode.TOO_LONG, "at most " + MAX_QUESTIONS + " questions", "input", "bookingQuestions");
            } else {
                questions = new ArrayList<>();
                for (int i = 0; i < input.bookingQuestions().size(); i++) {
                    questions.add(v.text(input.bookingQuestions().get(i), 1, 500, "input", "bookingQuestions", String.valueOf(i)));
                }
            }
        }
        if (v.hasErrors()) {
            return Mono.just(SetBookingRulesPayload.errors(v.errors()));
        }
        List<String> newQuestions = questions;
        return units.findById(unitId)
                .flatMap(unit -> {
                    var denied = Access.checkWrite(caller, unit.operatorId(), unit.published(), StaffRole.MANAGER, "unit", "input", "unitId");
                    if (denied.isPresent()) {
                        return Mono.just(SetBookingRulesPayload.errors(List.of(denied.get())));
                    }
                    return db.sql("""
                                    UPDATE unit SET booking_mode = COALESCE(:mode, booking_mode),
                                                    cancellation_policy = COALESCE(:policy, cancellation_policy),
                                                    preparation_days = COALESCE(:preparation, preparation_days),
                                                    booking_questions = COALESCE(:questions, booking_questions),
                                                    updated_at = now()
                                     WHERE id = :id""")
                            .bind("id", unit.uuid())
                            .bind("mode", Bookings.nullable(input.bookingMode() == null ? null : input.bookingMode().name(), String.class))
                            .bind("policy", Bookings.nullable(input.cancellationPolicy() == null ? null : input.cancellationPolicy().name(), String.class))
                            .bind("preparation", Bookings.nullable(preparation, Integer.class))
                            .bind("questions", Bookings.nullable(newQuestions == null ? null : newQuestions.toArray(String[]::new), String[].class))
                            .then()
                            .then(units.findById(unit.uuid()))
                            .map(saved -> new SetBookingRulesPayload(saved, List.of()));
                })
                .defaultIfEmpty(SetBookingRulesPayload.errors(List.of(UserError.of(UserErrorCode.NOT_FOUND, "No unit with this ID", "input", "unitId"))));
    }

    record AssignBookingInput(String bookingId, String unitId) {
    }

    @MutationMapping
    Mono<BookingPayload> assignBooking(@Argument AssignBookingInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID id = bookingId(v, input.bookingId(), caller);
        UUID room = input.unitId() == null ? null : v.id(input.unitId(), UNIT_IDS, "input", "unitId");
        return v.hasErrors() ? Mono.just(BookingPayload.errors(v.errors())) : answer(service.assign(caller, id, room));
    }

    record SetRoomTypeInput(String unitId, String roomTypeId) {
    }

    /**
     * Makes a draft unit one of the rooms of a room type (a unit of the same property booked as a
     * type), or with {@code roomTypeId} null a unit of its own again. Rooms are never published:
     * they are sold through their type.
     */
    @MutationMapping
    Mono<SetBookingRulesPayload> setRoomType(@Argument SetRoomTypeInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID roomId = v.id(input.unitId(), UNIT_IDS, "input", "unitId");
        UUID typeId = input.roomTypeId() == null ? null : v.id(input.roomTypeId(), UNIT_IDS, "input", "roomTypeId");
        if (v.hasErrors()) {
            return Mono.just(SetBookingRulesPayload.errors(v.errors()));
        }
        UserError notFound = UserError.of(UserErrorCode.NOT_FOUND, "No unit with this ID", "input", "unitId");
        return units.findById(roomId).flatMap(room -> {
            var denied = Access.checkWrite(caller, room.operatorId(), room.published(), StaffRole.MANAGER, "unit", "input", "unitId");
            if (denied.isPresent()) {
                return Mono.just(SetBookingRulesPayload.errors(List.of(denied.get())));
            }
            if (room.published()) {
                return Mono.just(SetBookingRulesPayload.errors(List.of(UserError.of(UserErrorCode.INVALID_STATE,
                        "a room of a room type is sold through its type: unpublish it first", "input", "unitId"))));
            }
            Mono<List<UserError>> problems = typeId == null
                    ? db.sql("SELECT count(*) AS n FROM booking WHERE assigned_unit_id = :id AND status IN ('REQUESTED','HELD','CONFIRMED','CHECKED_IN')")
                            .bind("id", roomId).map(row -> row.get("n", Long.class)).one()
                            .map(n -> n == 0 ? List.<UserError>of() : List.of(UserError.of(UserErrorCode.INVALID_STATE,
                                    n + " bookings are assigned to this room: reassign them first", "input", "unitId")))
                    : units.findById(typeId)
                            .filter(type -> type.operatorId().equals(room.operatorId()))
                            .flatMap(type -> Mono.zip(service.roomTypeOf(type.uuid()).hasElement(),
                                            db.sql("SELECT count(*) AS n FROM unit WHERE room_type_id = :id").bind("id", room.uuid())
                                                    .map(row -> row.get("n", Long.class)).one())
                                    .map(t -> {
                                        if (type.uuid().equals(room.uuid()) || !type.propertyId().equals(room.propertyId())) {
                                            return List.of(UserError.of(UserErrorCode.INVALID_STATE, "a room type must be another unit of the same property",
                                                    "input", "roomTypeId"));
                                        }
                                        if (t.getT1() || t.getT2() > 0) {
                                            return List.of(UserError.of(UserErrorCode.INVALID_STATE, "room types do not nest: a room cannot be a room type",
                                                    "input", "roomTypeId"));
                                        }
                                        return List.<UserError>of();
                                    }))
                            .defaultIfEmpty(List.of(UserError.of(UserErrorCode.NOT_FOUND, "No unit with this ID", "input", "roomTypeId")));
            return problems.flatMap(errors -> !errors.isEmpty() ? Mono.just(SetBookingRulesPayload.errors(errors))
                    : db.sql("UPDATE unit SET room_type_id = :type, updated_at = now() WHERE id = :id")
                            .bind("id", room.uuid()).bind("type", Bookings.nullable(typeId, UUID.class)).then()
                            .then(units.findById(room.uuid()))
                            .map(saved -> new SetBookingRulesPayload(saved, List.of())));
        }).defaultIfEmpty(SetBookingRulesPayload.errors(List.of(notFound)));
    }

    @SchemaMapping(typeName = "Unit")
    Mono<Unit> roomType(Unit unit) {
        return service.roomTypeOf(unit.uuid()).flatMap(units::findById);
    }

    @SchemaMapping(typeName = "Unit")
    Mono<List<Unit>> rooms(Unit unit, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        if (!caller.isStaffOf(unit.operatorId()) && !caller.platformAdmin()) {
            return Mono.just(List.of());
        }
        return db.sql("SELECT id FROM unit WHERE room_type_id = :id ORDER BY name, id").bind("id", unit.uuid())
                .map(row -> row.get("id", UUID.class)).all().collectList()
                .flatMap(ids -> units.findAllById(ids).collectMap(Unit::uuid).map(byId -> ids.stream().map(byId::get).toList()));
    }

    @SchemaMapping(typeName = "Booking")
    Mono<Unit> assignedUnit(Booking booking) {
        return booking.assignedUnitId() == null ? Mono.empty() : units.findById(booking.assignedUnitId());
    }

    private static UUID bookingId(Validator v, String raw, Caller caller) {
        if (!caller.authenticated()) {
            v.add(UserErrorCode.UNAUTHENTICATED, "Sign in first", "input");
            return null;
        }
        return v.id(raw, GlobalId.Type.BOOKING, "input", "bookingId");
    }

    private static Mono<BookingPayload> answer(Mono<Booking> result) {
        return result.map(BookingPayload::of)
                .onErrorResume(Refusal.class, r -> Mono.just(BookingPayload.errors(r.errors())));
    }
}
