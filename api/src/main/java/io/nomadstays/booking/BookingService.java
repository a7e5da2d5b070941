package io.nomadstays.booking;

import io.nomadstays.graphql.UserError;
import io.nomadstays.graphql.UserErrorCode;
import io.nomadstays.identity.Caller;
import io.nomadstays.identity.StaffRole;
import io.nomadstays.outbox.Outbox;
import io.nomadstays.payments.PaymentProviderException;
import io.nomadstays.payments.PaymentsProperties;
import io.nomadstays.payouts.PayoutAccounts;
import io.nomadstays.property.Properties;
import io.nomadstays.property.Property;
import io.nomadstays.shared.Ids;
import io.nomadstays.unit.Quote;
import io.nomadstays.unit.Quotes;
import io.nomadstays.unit.Unit;
import io.nomadstays.unit.UnitPricing;
import io.nomadstays.unit.Units;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Everything that changes a booking. Each operation is one transaction: the booking row, the
 * calendar rows it holds, its history event and the search outbox event commit together or not
 * at all. A {@link Refusal} thrown inside rolls everything back and becomes the payload's errors.
 */
@Service
public class BookingService {

    static final int MAX_DAYS_AHEAD = 731;
    static final int MAX_NIGHTS = 366;
    static final int MAX_EXTENDED_NIGHTS = 732;

    /** A request to book, validated by the controller. */
    record NewBooking(UUID unitId, LocalDate checkIn, LocalDate checkOut, Instant startsAt, Instant endsAt, int guests, List<String> answers,
                      String idempotencyKey) {
    }

    static final int MAX_HOURS = 7 * 24;
    static final long SLOT_SECONDS = 900;

    /** A unit with what booking it needs. */
    record Bookable(Unit unit, Property property, UnitPricing pricing, BookingRules rules) {
        ZoneId zone() {
            return ZoneId.of(property.timeZone());
        }
    }

    private final Bookings bookings;
    private final BookingCalendar calendar;
    private final Units units;
    private final Properties properties;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final DatabaseClient db;
    private final BookingProperties settings;
    private final PayoutAccounts payoutAccounts;
    private final PaymentsProperties payments;
    private final PaymentGateway gateway;
    private final RentPlan rent;
    private final CancellationRefunds refunds;
    private final Clock clock;

    BookingService(Bookings bookings, BookingCalendar calendar, Units units, Properties properties, Outbox outbox,
                   TransactionalOperator tx, DatabaseClient db, BookingProperties settings, PayoutAccounts payoutAccounts,
                   PaymentsProperties payments, PaymentGateway gateway, RentPlan rent, CancellationRefunds refunds) {
        this.gateway = gateway;
        this.rent = rent;
        this.refunds = refunds;
        this.bookings = bookings;
        this.calendar = calendar;
        this.units = units;
        this.properties = properties;
        this.outbox = outbox;
        this.tx = tx;
        this.db = db;
        this.settings = settings;
        this.payoutAccounts = payoutAccounts;
        this.payments = payments;
        this.clock = Clock.systemUTC();
    }

    // ---- reading ----

    Mono<Booking> find(UUID id) {
        return bookings.findById(id);
    }

    /** For the payments flow (webhooks, jobs): the booking, without a caller. */
    public Mono<Booking> findForPayment(UUID id) {
        return bookings.findById(id);
    }

    /** Adds a line to the booking's history without changing its status (payments: a declined card, a late payment). */
    public Mono<Void> note(UUID id, String note) {
        return bookings.findById(id).flatMap(b -> bookings.event(b, b.status(), b.status(), "SYSTEM", null, note));
    }

    /** The booking if the caller is its guest, staff of its operator, or a platform admin. */
    Mono<Booking> findVisible(UUID id, Caller caller) {
        return bookings.findById(id).filter(b -> canSee(b, caller));
    }

    static boolean canSee(Booking b, Caller caller) {
        return caller.authenticated() && (b.guestId().equals(caller.userId()) || caller.isStaffOf(b.operatorId()) || caller.platformAdmin());
    }

    Mono<BookingRules> rules(UUID unitId) {
        return db.sql("SELECT booking_mode, cancellation_policy, preparation_days, booking_questions FROM unit WHERE id = :id")
                .bind("id", unitId)
                .map(row -> new BookingRules(unitId, Booking.Mode.valueOf(row.get("booking_mode", String.class)),
                        CancellationPolicy.valueOf(row.get("cancellation_policy", String.class)),
                        row.get("preparation_days", Integer.class), List.of(row.get("booking_questions", String[].class))))
                .one();
    }

    Mono<Bookable> bookable(UUID unitId) {
        return units.findById(unitId).flatMap(unit -> Mono.zip(properties.findById(unit.propertyId()),
                        units.pricing(List.of(unitId)).map(m -> java.util.Optional.ofNullable(m.get(unitId))), rules(unitId))
                .map(t -> new Bookable(unit, t.getT1(), t.getT2().orElse(null), t.getT3())));
    }

    /**
     * Everything a stay must satisfy to be quoted or booked except availability: published unit
     * with a price, dates in the future of the property's zone, stay limits, guests and capacity.
     */
    List<UserError> check(Bookable b, LocalDate checkIn, LocalDate checkOut, int guests, String... path) {
        List<UserError> errors = new ArrayList<>();
        Unit unit = b.unit();
        if (!unit.published()) {
            errors.add(UserError.of(UserErrorCode.INVALID_STATE, "this unit is not published, so it cannot be booked", path(path, "unitId")));
            return errors;
        }
        if (unit.bookingGranularity() == Unit.Granularity.HOUR) {
            errors.add(UserError.of(UserErrorCode.REQUIRED, "this unit is booked by the hour: give startsAt and endsAt instead of dates",
                    path(path, "startsAt")));
            return errors;
        }
        LocalDate today = LocalDate.now(clock.withZone(b.zone()));
        long nights = ChronoUnit.DAYS.between(checkIn, checkOut);
        if (nights <= 0) {
            errors.add(UserError.of(UserErrorCode.OUT_OF_RANGE, "checkOut must be after checkIn", path(path, "checkOut")));
            return errors;
        }
        if (checkIn.isBefore(today)) {
            errors.add(UserError.of(UserErrorCode.OUT_OF_RANGE, "checkIn " + checkIn + " is in the past (today is " + today
                    + " in " + b.zone() + ")", path(path, "checkIn")));
        } else if (checkIn.isAfter(today.plusDays(MAX_DAYS_AHEAD))) {
            errors.add(UserError.of(UserErrorCode.OUT_OF_RANGE, "checkIn must be within two years", path(path, "checkIn")));
        }
        if (nights > MAX_NIGHTS) {
            errors.add(UserError.of(UserErrorCode.OUT_OF_RANGE, "a booking is at most " + MAX_NIGHTS + " nights; extend it later",
                    path(path, "checkOut")));
        }
        long length = nights;
        String word = unit.bookingGranularity() == Unit.Granularity.DAY ? "days" : "nights";
        if (unit.bookingGranularity() == Unit.Granularity.MONTH) {
            length = Quotes.wholeMonths(checkIn, checkOut);
            word = "months";
            if (length == 0) {
                errors.add(UserError.of(UserErrorCode.OUT_OF_RANGE, "this unit is booked by the month: checkOut must be whole months after checkIn ("
                        + checkIn.plusMonths(Math.max(1, ChronoUnit.MONTHS.between(checkIn, checkOut))) + ")", path(path, "checkOut")));
            }
        }
        if (length < unit.minStay()) {
            errors.add(UserError.of(UserErrorCode.OUT_OF_RANGE, "the minimum stay is " + unit.minStay() + " " + word, path(path, "checkOut")));
        }
        if (unit.maxStay() != null && length > unit.maxStay()) {
            errors.add(UserError.of(UserErrorCode.OUT_OF_RANGE, "the maximum stay is " + unit.maxStay() + " " + word, path(path, "checkOut")));
        }
        if (guests > unit.maxGuests()) {
            errors.add(UserError.of(UserErrorCode.OUT_OF_RANGE, "at most " + unit.maxGuests() + " guests per booking", path(path, "guests")));
        } else if (unit.type().places(guests) > unit.capacity()) {
            errors.add(UserError.of(UserErrorCode.OUT_OF_RANGE, "this unit has " + unit.capacity() + " places", path(path, "guests")));
        }
        if (b.pricing() == null) {
            errors.add(UserError.of(UserErrorCode.INVALID_STATE, "this unit has no price list", path(path, "unitId")));
        }
        return errors;
    }

    /** What an hourly stay must satisfy: 15-minute steps, in the future, at most a week, the unit's limits in hours. */
    List<UserError> checkHours(Bookable b, Instant startsAt, Instant endsAt, int guests, String... path) {
        List<UserError> errors = new ArrayList<>();
        Unit unit = b.unit();
        if (!unit.published()) {
            errors.add(UserError.of(UserErrorCode.INVALID_STATE, "this unit is not published, so it cannot be booked", path(path, "unitId")));
            return errors;
        }
        if (unit.bookingGranularity() != Unit.Granularity.HOUR) {
            errors.add(UserError.of(UserErrorCode.REQUIRED, "this unit is booked by the " + (unit.bookingGranularity() == Unit.Granularity.NIGHT
                    ? "night" : unit.bookingGranularity().name().toLowerCase()) + ": give checkIn and checkOut dates", path(path, "checkIn")));
            return errors;
        }
        if (startsAt.getEpochSecond() % SLOT_SECONDS != 0 || startsAt.getNano() != 0) {
            errors.add(UserError.of(UserErrorCode.OUT_OF_RANGE, "startsAt must be on a quarter hour (:00, :15, :30, :45)", path(path, "startsAt")));
        }
        if (endsAt.getEpochSecond() % SLOT_SECONDS != 0 || endsAt.getNano() != 0) {
            errors.add(UserError.of(UserErrorCode.OUT_OF_RANGE, "endsAt must be on a quarter hour (:00, :15, :30, :45)", path(path, "endsAt")));
        }
        if (!endsAt.isAfter(startsAt)) {
            errors.add(UserError.of(UserErrorCode.OUT_OF_RANGE, "endsAt must be after startsAt", path(path, "endsAt")));
            return errors;
        }
        Instant now = clock.instant();
        if (startsAt.isBefore(now)) {
            errors.add(UserError.of(UserErrorCode.OUT_OF_RANGE, "startsAt is in the past", path(path, "startsAt")));
        } else if (startsAt.isAfter(now.plus(java.time.Duration.ofDays(MAX_DAYS_AHEAD)))) {
            errors.add(UserError.of(UserErrorCode.OUT_OF_RANGE, "startsAt must be within two years", path(path, "startsAt")));
        }
        long minutes = java.time.Duration.between(startsAt, endsAt).toMinutes();
        if (minutes > MAX_HOURS * 60L) {
            errors.add(UserError.of(UserErrorCode.OUT_OF_RANGE, "an hourly booking is at most " + MAX_HOURS + " hours", path(path, "endsAt")));
        }
        if (minutes < unit.minStay() * 60L) {
            errors.add(UserError.of(UserErrorCode.OUT_OF_RANGE, "the minimum booking is " + unit.minStay() + (unit.minStay() == 1 ? " hour" : " hours"), path(path, "endsAt")));
        }
        if (unit.maxStay() != null && minutes > unit.maxStay() * 60L) {
            errors.add(UserError.of(UserErrorCode.OUT_OF_RANGE, "the maximum booking is " + unit.maxStay() + (unit.maxStay() == 1 ? " hour" : " hours"), path(path, "endsAt")));
        }
        if (guests > unit.maxGuests()) {
            errors.add(UserError.of(UserErrorCode.OUT_OF_RANGE, "at most " + unit.maxGuests() + " guests per booking", path(path, "guests")));
        }
        if (b.pricing() == null) {
            errors.add(UserError.of(UserErrorCode.INVALID_STATE, "this unit has no price list", path(path, "unitId")));
        }
        return errors;
    }

    Quote quoteHours(Bookable b, Instant startsAt, Instant endsAt, String... path) {
        return Quotes.hourly(b.pricing(), startsAt, endsAt, b.zone())
                .orElseThrow(() -> Refusal.of(UserErrorCode.INVALID_STATE, "this unit's price list has no hourly or daily rate", path(path, "unitId")));
    }

    Quote quote(Bookable b, LocalDate checkIn, LocalDate checkOut, int guests, String... path) {
        return Quotes.quote(b.pricing(), checkIn, checkOut, b.unit().type().places(guests))
                .orElseThrow(() -> Refusal.of(UserErrorCode.INVALID_STATE, "this unit's price list has no rate for these dates", path(path, "unitId")));
    }

    // ---- creating ----

    /** A booking made, with the first payment the nomad finishes in the browser (null for requests and replays of paid ones). */
    record Created(Booking booking, PaymentGateway.PaymentAction payment) {
    }

    /**
     * Validates, starts the first payment, then takes the dates and stores the booking (HELD for
     * instant book, REQUESTED otherwise). Stripe is called before anything is stored: if it fails
     * nothing is kept; if the dates were taken meanwhile the intent is cancelled.
     */
    Mono<Created> create(Caller caller, NewBooking in) {
        Mono<Created> create = Mono.defer(() -> bookable(in.unitId())
                .filter(b -> b.unit().published() || caller.isStaffOf(b.unit().operatorId()))
                .switchIfEmpty(Mono.error(Refusal.of(UserErrorCode.NOT_FOUND, "No unit with this ID", "input", "unitId")))
                .flatMap(b -> {
                    boolean hourly = b.unit().bookingGranularity() == Unit.Granularity.HOUR;
                    List<UserError> errors;
                    if (hourly && in.startsAt() != null && in.endsAt() != null) {
                        errors = checkHours(b, in.startsAt(), in.endsAt(), in.guests(), "input");
                    } else if (!hourly && in.checkIn() != null && in.checkOut() != null) {
                        errors = check(b, in.checkIn(), in.checkOut(), in.guests(), "input");
                    } else {
                        errors = new ArrayList<>(List.of(UserError.of(UserErrorCode.REQUIRED, hourly
                                ? "this unit is booked by the hour: give startsAt and endsAt"
                                : "give checkIn and checkOut", "input", hourly ? "startsAt" : "checkIn")));
                    }
                    errors.addAll(checkAnswers(b.rules(), in.answers()));
                    if (!errors.isEmpty()) {
                        return Mono.error(new Refusal(errors));
                    }
                    Quote quote = hourly ? quoteHours(b, in.startsAt(), in.endsAt(), "input")
                            : quote(b, in.checkIn(), in.checkOut(), in.guests(), "input");
                    return payable(b.unit().operatorId()).then(bookingId(caller, in.idempotencyKey())).flatMap(id -> {
                        Booking draft = draft(caller, b, in, quote, id);
                        if (draft.status() != BookingStatus.HELD) {
                            return insert(caller, b, in, draft, Mono.empty()).as(tx::transactional).map(saved -> new Created(saved, null));
                        }
                        return gateway.start(draft)
                                .onErrorMap(PaymentProviderException.class, BookingService::providerRefusal)
                                .flatMap(started -> insert(caller, b, in, draft, gateway.record(draft, started)).as(tx::transactional)
                                        .map(saved -> new Created(saved, started.action()))
                                        .onErrorResume(e -> gateway.abandon(draft, started)
                                                .onErrorResume(x -> Mono.empty())
                                                .then(Mono.error(e))));
                    });
                }));
        if (in.idempotencyKey() == null) {
            return create;
        }
        // A retried request with the same key answers with the booking the first one made (and its payment to finish).
        return bookings.findByIdempotencyKey(caller.userId(), in.idempotencyKey()).flatMap(this::replay)
                .switchIfEmpty(create.onErrorResume(DataIntegrityViolationException.class,
                        e -> bookings.findByIdempotencyKey(caller.userId(), in.idempotencyKey()).flatMap(this::replay)
                                .switchIfEmpty(Mono.error(e))));
    }

    /** A new id, or the one the client's idempotency key stands for (the same on every retry). */
    private Mono<UUID> bookingId(Caller caller, String key) {
        if (key == null) {
            return Mono.just(Ids.newId());
        }
        return db.sql("""
                        INSERT INTO booking_request (guest_id, idempotency_key, booking_id) VALUES (:g, :k, :id)
                        ON CONFLICT (guest_id, idempotency_key) DO NOTHING""")
                .bind("g", caller.userId()).bind("k", key).bind("id", Ids.newId()).then()
                .then(db.sql("SELECT booking_id FROM booking_request WHERE guest_id = :g AND idempotency_key = :k")
                        .bind("g", caller.userId()).bind("k", key).map(row -> row.get("booking_id", UUID.class)).one());
    }

    private Mono<Created> replay(Booking booking) {
        if (booking.status() != BookingStatus.HELD) {
            return Mono.just(new Created(booking, null));
        }
        return gateway.pay(booking).map(action -> new Created(booking, action))
                .onErrorMap(PaymentProviderException.class, BookingService::providerRefusal);
    }

    /** The guest: the first payment of a held booking to finish (after a request was accepted, or to retry a declined card). */
    Mono<Created> pay(Caller caller, UUID id) {
        return bookings.findById(id).filter(b -> canSee(b, caller))
                .switchIfEmpty(Mono.error(Refusal.of(UserErrorCode.NOT_FOUND, "No booking with this ID", "input", "bookingId")))
                .flatMap(booking -> {
                    if (!booking.guestId().equals(caller.userId())) {
                        return Mono.error(Refusal.of(UserErrorCode.FORBIDDEN, "Only the guest pays a booking", "input", "bookingId"));
                    }
                    if (booking.status() != BookingStatus.HELD || !booking.holdExpiresAt().isAfter(clock.instant())) {
                        return Mono.error(Refusal.of(UserErrorCode.INVALID_STATE, booking.status() == BookingStatus.HELD
                                ? "the hold expired at " + booking.holdExpiresAt() + "; book again"
                                : "a " + booking.status() + " booking has no first payment to make", "input", "bookingId"));
                    }
                    return replay(booking);
                });
    }

    /** Stripe down, slow or not set up: a user error the client may retry; nothing was stored. */
    static Refusal providerRefusal(PaymentProviderException e) {
        return switch (e.kind()) {
            case NOT_CONFIGURED -> Refusal.of(UserErrorCode.PAYMENT_PROVIDER_UNAVAILABLE, "Payments are not set up on this server yet", "input");
            case IDEMPOTENCY_CONFLICT -> Refusal.of(UserErrorCode.ALREADY_EXISTS,
                    "this idempotencyKey was already used for a different request; use a new key", "input", "idempotencyKey");
            case UNAVAILABLE -> Refusal.of(UserErrorCode.PAYMENT_PROVIDER_UNAVAILABLE,
                    "the payment could not be started (Stripe did not answer in time); nothing was booked or charged, try again", "input");
            case REFUSED -> throw e;
        };
    }

    /**
     * A booking leads to a payment to the operator's Stripe account: refused while that account
     * cannot take charges ({@code nomad.payments.require-charges-enabled}, off only in the demo).
     */
    private Mono<Void> payable(UUID operatorId) {
        if (!payments.requireChargesEnabled()) {
            return Mono.empty();
        }
        return payoutAccounts.canTakeCharges(operatorId).flatMap(ok -> ok ? Mono.<Void>empty()
                : Mono.error(Refusal.of(UserErrorCode.PAYMENTS_NOT_ENABLED,
                        "this operator cannot take payments yet (its Stripe onboarding is not finished), so the unit cannot be booked now",
                        "input", "unitId")));
    }

    /** The booking to store; its id is derived from the client's idempotency key when there is one. */
    private Booking draft(Caller caller, Bookable b, NewBooking in, Quote quote, UUID id) {
        Unit unit = b.unit();
        boolean hourly = quote.startsAt() != null;
        int quantity = unit.type().places(in.guests());
        LocalDate checkIn = quote.checkIn();
        LocalDate checkOut = quote.checkOut();
        LocalDate occupiedUntil = hourly ? checkOut : checkOut.plusDays(b.rules().preparationDays());
        Instant now = clock.instant();
        boolean request = b.rules().bookingMode() == Booking.Mode.REQUEST;
        return new Booking(id, unit.operatorId(), unit.uuid(), unit.propertyId(), caller.userId(),
                request ? BookingStatus.REQUESTED : BookingStatus.HELD, b.rules().bookingMode(), checkIn, checkOut,
                occupiedUntil, in.guests(), quantity, quote.total().currency(), quote.total().amount(), quote.deposit().amount(),
                quote, b.pricing(), b.rules().cancellationPolicy(), request ? b.rules().bookingQuestions() : List.of(),
                request ? in.answers() : List.of(), request ? null : now.plus(settings.hold()),
                request ? now.plus(settings.requestTimeout()) : null, null, null, null, null, now, now, null, null,
                quote.startsAt(), quote.endsAt(), null);
    }

    private Mono<Booking> insert(Caller caller, Bookable b, NewBooking in, Booking booking, Mono<Void> payment) {
        Unit unit = b.unit();
        Quote quote = booking.quote();
        boolean hourly = quote.startsAt() != null;
        int quantity = booking.quantity();
        LocalDate checkIn = booking.checkIn();
        LocalDate checkOut = booking.checkOut();
        LocalDate occupiedUntil = booking.occupiedUntil();
        boolean request = booking.status() == BookingStatus.REQUESTED;
        Mono<List<BookingCalendar.Conflict>> take = hourly
                ? calendar.takeSlots(unit.operatorId(), unit.uuid(), unit.capacity(), quote.startsAt(), quote.endsAt(), checkIn, checkOut, quantity)
                : calendar.take(unit.operatorId(), unit.uuid(), unit.capacity(), checkIn, occupiedUntil, quantity);
        return expire(unit.uuid(), 100).then()
                .then(take)
                .flatMap(conflicts -> {
                    if (!conflicts.isEmpty()) {
                        return Mono.error(unavailable(conflicts, quantity, occupiedUntil.isAfter(checkOut)));
                    }
                    return bookings.insert(booking, in.idempotencyKey())
                            .then(bookings.event(booking, null, booking.status(), "GUEST", caller.userId(),
                                    request ? "requested" : "held until " + booking.holdExpiresAt()))
                            .then(payment)
                            .then(outbox.record(unit.operatorId(), Outbox.UNIT, unit.uuid(), "BookingCreated"))
                            .then(bookings.findById(booking.uuid()));
                });
    }

    private static Refusal unavailable(List<BookingCalendar.Conflict> conflicts, int quantity, boolean preparation) {
        BookingCalendar.Conflict first = conflicts.get(0);
        String why = first.blocked() ? "is blocked by the operator"
                : first.free() == 0 ? "is already booked" : "has only " + first.free() + " places left (" + quantity + " asked)";
        String dates = conflicts.stream().map(c -> c.day().toString()).reduce((a, c) -> a + ", " + c).orElse("");
        return Refusal.of(UserErrorCode.UNAVAILABLE, first.day() + " " + why + (preparation ? " (the stay includes the unit's preparation days)" : "")
                + "; unavailable: " + dates, "input", "checkIn");
    }

    private static List<UserError> checkAnswers(BookingRules rules, List<String> answers) {
        if (rules.bookingMode() != Booking.Mode.REQUEST || rules.bookingQuestions().isEmpty()) {
            return List.of();
        }
        List<UserError> errors = new ArrayList<>();
        if (answers.size() != rules.bookingQuestions().size()) {
            errors.add(UserError.of(UserErrorCode.REQUIRED, "this operator asks " + rules.bookingQuestions().size()
                    + " questions (" + String.join(" / ", rules.bookingQuestions()) + "): answer each, in order", "input", "answers"));
            return errors;
        }
        for (int i = 0; i < answers.size(); i++) {
            if (answers.get(i).isBlank()) {
                errors.add(UserError.of(UserErrorCode.REQUIRED, "answer '" + rules.bookingQuestions().get(i) + "'", "input", "answers", String.valueOf(i)));
            }
        }
        return errors;
    }

    // ---- state changes ----

    /** Staff accept a request: the dates stay held while the nomad pays. */
    Mono<Booking> accept(Caller caller, UUID id) {
        return change(caller, id, StaffRole.MANAGER, booking -> move(booking, BookingStatus.HELD, "STAFF", caller.userId(), "accepted",
                Map.of("hold_expires_at", clock.instant().plus(settings.acceptedPaymentWindow()))));
    }

    Mono<Booking> decline(Caller caller, UUID id, String reason) {
        return change(caller, id, StaffRole.MANAGER, booking -> move(booking, BookingStatus.DECLINED, "STAFF", caller.userId(), reason,
                Map.of("decline_reason", reason)).flatMap(this::release));
    }

    Mono<Booking> checkIn(Caller caller, UUID id) {
        return change(caller, id, StaffRole.MANAGER, booking -> zoneOf(booking).flatMap(zone -> {
            LocalDate today = LocalDate.now(clock.withZone(zone));
            if (today.isBefore(booking.checkIn())) {
                return Mono.error(Refusal.of(UserErrorCode.INVALID_STATE, "check-in is on " + booking.checkIn() + " (today is " + today + ")", "input", "bookingId"));
            }
            return move(booking, BookingStatus.CHECKED_IN, "STAFF", caller.userId(), "checked in", Map.of());
        }));
    }

    Mono<Booking> complete(Caller caller, UUID id) {
        return change(caller, id, StaffRole.MANAGER, booking -> move(booking, BookingStatus.COMPLETED, "STAFF", caller.userId(), "checked out", Map.of())
                .flatMap(done -> zoneOf(done).flatMap(zone -> {
                    // Checked out before the end of the stay: the months not begun are not owed.
                    LocalDate today = LocalDate.now(clock.withZone(zone));
                    return today.isBefore(done.checkOut()) ? stopRent(done, today, "STAFF", caller.userId()) : Mono.just(done);
                })));
    }

    /** Rent due on or after {@code end} (null: all of it, a cancellation) stops; the booking's history says how many months. */
    private Mono<Booking> stopRent(Booking booking, LocalDate end, String actor, UUID actorId) {
        return rent.endsOn(booking, end).flatMap(n -> n == 0 ? Mono.just(booking)
                : bookings.event(booking, booking.status(), booking.status(), actor, actorId, "future rent stopped: " + n
                        + (n == 1 ? " monthly payment" : " monthly payments") + (end == null ? "" : " from " + end) + " cancelled")
                        .thenReturn(booking));
    }

    /**
     * The guest cancels under the booking's policy, or staff cancel (everything owed back). Only
     * money paid is owed back: a request or a hold has paid nothing. A confirmed booking's refund is
     * made through Stripe first, outside the transaction (Stripe down: PAYMENT_PROVIDER_UNAVAILABLE
     * and the booking stays confirmed), then the cancellation and the refund commit together.
     * Cancelling twice answers with the cancelled booking and calls Stripe no more, so a retried
     * request never refunds twice; the refund's idempotency keys are the booking's, so a retry after
     * a lost answer gets Stripe's first refund. A cancelled hold's open payment intent is cancelled.
     */
    Mono<Booking> cancel(Caller caller, UUID id, String reason) {
        return bookings.findById(id).filter(b -> canSee(b, caller))
                .switchIfEmpty(Mono.error(Refusal.of(UserErrorCode.NOT_FOUND, "No booking with this ID", "input", "bookingId")))
                .flatMap(found -> {
                    boolean guest = found.guestId().equals(caller.userId());
                    if (!guest && !caller.hasRole(found.operatorId(), StaffRole.MANAGER)) {
                        return Mono.error(Refusal.of(UserErrorCode.FORBIDDEN, "Cancelling a booking needs the MANAGER role at its operator", "input", "bookingId"));
                    }
                    BookingStatus target = guest ? BookingStatus.CANCELLED_BY_GUEST : BookingStatus.CANCELLED_BY_OPERATOR;
                    if (found.status() == target) {
                        return Mono.just(found);
                    }
                    return zoneOf(found).flatMap(zone -> {
                        long notice = ChronoUnit.DAYS.between(LocalDate.now(clock.withZone(zone)), found.checkIn());
                        CancellationPolicy.Refund owed = guest ? found.cancellationPolicy().refund(found.total(), found.nights(), notice)
                                : new CancellationPolicy.Refund(found.total(), 10_000);
                        if (found.status() != BookingStatus.CONFIRMED) {
                            return commitCancel(caller, id, guest, target, reason, notice, owed, null)
                                    .flatMap(cancelled -> cancelled.status() == target && found.status() == BookingStatus.HELD
                                            ? refunds.release(cancelled).onErrorResume(e -> Mono.empty()).thenReturn(cancelled)
                                            : Mono.just(cancelled));
                        }
                        return refunds.refundCancellation(found, owed.amount())
                                .flatMap(refunded -> commitCancel(caller, id, guest, target, reason, notice, owed, refunded))
                                .onErrorResume(PaymentProviderException.class, e -> refundFailed(id, e));
                    });
                });
    }

    /**
     * The cancellation's transaction. {@code refunded}: what Stripe already gave back (null for a
     * booking that paid nothing). Should the booking have moved on meanwhile (checked in while
     * Stripe refunded), the refund is still recorded, since the money did go back, and the cancel is refused.
     */
    private Mono<Booking> commitCancel(Caller caller, UUID id, boolean guest, BookingStatus target, String reason, long notice,
                                       CancellationPolicy.Refund owed, CancellationRefunds.Refunded refunded) {
        Refusal[] refused = new Refusal[1];
        return Mono.defer(() -> bookings.lock(id).flatMap(booking -> {
                    Mono<Void> record = refunded == null ? Mono.empty() : refunds.record(booking, refunded);
                    boolean cancelledMeanwhile = booking.status() == BookingStatus.CANCELLED_BY_GUEST
                            || booking.status() == BookingStatus.CANCELLED_BY_OPERATOR;
                    if (booking.status() == target || (refunded != null && cancelledMeanwhile)) {
                        // A concurrent cancel got the same refunds from Stripe (same keys): recording them again records nothing.
                        return record.thenReturn(booking);
                    }
                    boolean paid = booking.status() == BookingStatus.CONFIRMED;
                    if (refunded == null && paid) {
                        // Paid (the webhook confirmed it) after we looked: what is owed back must go through Stripe first.
                        return Mono.error(Refusal.of(UserErrorCode.INVALID_STATE, "the booking was just paid; cancel again to be refunded",
                                "input", "bookingId"));
                    }
                    if (refunded != null && refunded.amount() > 0 && !paid) {
                        refused[0] = Refusal.of(UserErrorCode.INVALID_STATE, "the booking became " + booking.status()
                                + " while it was being cancelled; the " + refunded.amount() + " " + booking.currency() + " refunded stays refunded",
                                "input", "bookingId");
                        return record.then(bookings.event(booking, booking.status(), booking.status(), guest ? "GUEST" : "STAFF", caller.userId(),
                                "refunded " + refunded.amount() + " " + booking.currency() + " for a cancellation that could not complete"))
                                .thenReturn(booking);
                    }
                    // What actually goes back: a long stay has paid only its first months (refundCancellation keeps what the policy keeps).
                    CancellationPolicy.Refund refund = !paid ? new CancellationPolicy.Refund(0, 0)
                            : refunded == null ? owed : new CancellationPolicy.Refund(refunded.amount(), owed.bps());
                    Map<String, Object> changes = new HashMap<>();
                    changes.put("cancel_reason", reason == null ? Parameter.empty(String.class) : Parameter.from(reason));
                    changes.put("refund_amount", refund.amount());
                    changes.put("refund_bps", refund.bps());
                    changes.put("cancelled_at", clock.instant());
                    String moved = refunded == null || refunded.amount() == owed.amount() ? ""
                            : " of what was paid; the policy gives back " + owed.amount() + " " + booking.currency()
                            + " of the whole stay, and the months not paid yet are not charged";
                    String note = (reason == null ? "" : reason + "; ") + (paid ? "refund " + refund.amount() + " " + booking.currency()
                            + " (" + refund.bps() / 100.0 + "%, " + notice + " days' notice, " + booking.cancellationPolicy() + ")" + moved
                            : "nothing was paid");
                    return move(booking, target, guest ? "GUEST" : "STAFF", caller.userId(), note, changes)
                            .flatMap(cancelled -> record.thenReturn(cancelled))
                            .flatMap(this::release)
                            .flatMap(cancelled -> stopRent(cancelled, null, guest ? "GUEST" : "STAFF", caller.userId()));
                }))
                .as(tx::transactional)
                .flatMap(booking -> refused[0] == null ? Mono.just(booking) : Mono.error(refused[0]));
    }

    /**
     * Stripe did not refund. The same keys with another amount mean the other side (guest or staff)
     * cancelled at the same moment, and its refund stands: answer the cancelled booking.
     */
    private Mono<Booking> refundFailed(UUID id, PaymentProviderException e) {
        if (e.kind() != PaymentProviderException.Kind.IDEMPOTENCY_CONFLICT) {
            return Mono.error(refundRefusal(e));
        }
        return bookings.findById(id)
                .filter(b -> b.status() == BookingStatus.CANCELLED_BY_GUEST || b.status() == BookingStatus.CANCELLED_BY_OPERATOR)
                .switchIfEmpty(Mono.error(() -> refundRefusal(e)));
    }

    /** Stripe could not refund: nothing changed, the client may retry. */
    static Refusal refundRefusal(PaymentProviderException e) {
        return switch (e.kind()) {
            case NOT_CONFIGURED -> Refusal.of(UserErrorCode.PAYMENT_PROVIDER_UNAVAILABLE, "Payments are not set up on this server yet", "input");
            case UNAVAILABLE -> Refusal.of(UserErrorCode.PAYMENT_PROVIDER_UNAVAILABLE,
                    "the refund could not be made (Stripe did not answer in time); the booking is unchanged, try again", "input");
            // The same keys with another amount: a refund started days ago (its commit lost) under another notice. Never refund twice.
            case IDEMPOTENCY_CONFLICT -> Refusal.of(UserErrorCode.INVALID_STATE,
                    "a refund of another amount was already made for this booking; ask support to finish the cancellation", "input", "bookingId");
            case REFUSED -> throw e;
        };
    }

    /**
     * Extends a confirmed or checked-in stay in place with the booking's own price list, if the
     * unit is free for the added nights. Returns the booking and the quote of the added period.
     */
    Mono<Extension> extend(Caller caller, UUID id, LocalDate newCheckOut) {
        return bookings.findById(id).filter(b -> canSee(b, caller))
                .switchIfEmpty(Mono.error(Refusal.of(UserErrorCode.NOT_FOUND, "No booking with this ID", "input", "bookingId")))
                .flatMap(found -> {
                    boolean guest = found.guestId().equals(caller.userId());
                    if (!guest && !caller.hasRole(found.operatorId(), StaffRole.MANAGER)) {
                        return Mono.error(Refusal.of(UserErrorCode.FORBIDDEN, "Extending a booking needs the MANAGER role at its operator", "input", "bookingId"));
                    }
                    return Mono.defer(() -> bookings.lock(id).zipWith(bookable(found.unitId())).flatMap(t -> {
                        Booking booking = t.getT1();
                        Bookable b = t.getT2();
                        if (booking.status() != BookingStatus.CONFIRMED && booking.status() != BookingStatus.CHECKED_IN) {
                            return Mono.error(Refusal.of(UserErrorCode.INVALID_STATE, "only a confirmed or checked-in stay can be extended (this one is "
                                    + booking.status() + ")", "input", "bookingId"));
                        }
                        if (booking.hourly()) {
                            return Mono.error(Refusal.of(UserErrorCode.INVALID_STATE, "an hourly booking cannot be extended: book the next slots",
                                    "input", "bookingId"));
                        }
                        if (!newCheckOut.isAfter(booking.checkOut())) {
                            return Mono.error(Refusal.of(UserErrorCode.OUT_OF_RANGE, "checkOut must be after the current check-out " + booking.checkOut(),
                                    "input", "checkOut"));
                        }
                        long whole = ChronoUnit.DAYS.between(booking.checkIn(), newCheckOut);
                        Unit unit = b.unit();
                        long length = unit.bookingGranularity() == Unit.Granularity.MONTH ? Quotes.wholeMonths(booking.checkIn(), newCheckOut) : whole;
                        if (whole > MAX_EXTENDED_NIGHTS || (unit.maxStay() != null && length > unit.maxStay())) {
                            return Mono.error(Refusal.of(UserErrorCode.OUT_OF_RANGE, "the stay would be longer than this unit's maximum stay", "input", "checkOut"));
                        }
                        if (unit.bookingGranularity() == Unit.Granularity.MONTH && length == 0) {
                            return Mono.error(Refusal.of(UserErrorCode.OUT_OF_RANGE, "this unit is booked by the month: checkOut must be whole months after checkIn",
                                    "input", "checkOut"));
                        }
                        Quote added = Quotes.extension(booking.pricing(), booking.checkIn(), booking.checkOut(), newCheckOut, booking.quantity())
                                .orElseThrow(() -> Refusal.of(UserErrorCode.INVALID_STATE, "the booking's price list has no rate for these dates", "input"));
                        int preparation = (int) ChronoUnit.DAYS.between(booking.checkOut(), booking.occupiedUntil());
                        LocalDate occupiedUntil = newCheckOut.plusDays(preparation);
                        Mono<List<BookingCalendar.Conflict>> takeRoom = booking.assignedUnitId() == null ? Mono.just(List.of())
                                : calendar.take(booking.operatorId(), booking.assignedUnitId(), 1, booking.occupiedUntil(), occupiedUntil, 1);
                        return calendar.take(booking.operatorId(), booking.unitId(), unit.capacity(), booking.occupiedUntil(), occupiedUntil, booking.quantity())
                                .flatMap(conflicts -> conflicts.isEmpty() ? takeRoom.map(room -> room.isEmpty() ? room
                                        : List.of(new BookingCalendar.Conflict(room.get(0).day(), 0, false))) : Mono.just(conflicts))
                                .flatMap(conflicts -> {
                                    if (!conflicts.isEmpty()) {
                                        return Mono.error(unavailable(conflicts, booking.quantity(), preparation > 0));
                                    }
                                    List<Quote.Line> lines = new ArrayList<>(booking.quote().lines());
                                    added.lines().forEach(l -> lines.add(new Quote.Line(l.kind(), "Extension to " + newCheckOut + ": " + l.description(), l.amount())));
                                    long total = booking.total() + added.total().amount();
                                    Quote merged = new Quote(booking.checkIn(), newCheckOut, (int) whole, List.copyOf(lines),
                                            io.nomadstays.shared.Money.of(total, booking.currency()), booking.quote().deposit(), null, null);
                                    return bookings.extend(id, newCheckOut, occupiedUntil, total, BookingJson.write(merged))
                                            .then(bookings.event(booking, booking.status(), booking.status(), guest ? "GUEST" : "STAFF", caller.userId(),
                                                    "extended from " + booking.checkOut() + " to " + newCheckOut + " for " + added.total().amount() + " " + booking.currency()))
                                            .then(outbox.record(booking.operatorId(), Outbox.UNIT, booking.unitId(), "BookingExtended"))
                                            .then(bookings.findById(id))
                                            .flatMap(saved -> rent.extended(booking, saved).thenReturn(new Extension(saved, added)));
                                });
                    })).as(tx::transactional);
                });
    }

    record Extension(Booking booking, Quote added) {
    }

    /**
     * The guest (or a manager) of a stay paid by the month moves out before its check-out: the stay
     * now ends on {@code moveOut}, the nights after it (and their preparation days) are free again
     * and search hears of it, and rent due on or after that day stops. Of what was already paid for
     * the nights given up, {@code [moveOut, check-out)}, the guest gets back what the booking's
     * cancellation policy gives for cancelling those nights with the notice given (days from today
     * to {@code moveOut}); a manager gives back all of it (docs/payments-rent.md). The refund is made
     * through Stripe first, outside the transaction (Stripe down: PAYMENT_PROVIDER_UNAVAILABLE and the
     * booking unchanged); then the shorter stay, the refund's ledger rows and the booking's new total
     * (what is kept) commit together. Moving out again on the same date answers the booking as it is.
     */
    Mono<Booking> moveOutEarly(Caller caller, UUID id, LocalDate moveOut) {
        return bookings.findById(id).filter(b -> canSee(b, caller))
                .switchIfEmpty(Mono.error(Refusal.of(UserErrorCode.NOT_FOUND, "No booking with this ID", "input", "bookingId")))
                .flatMap(found -> {
                    boolean guest = found.guestId().equals(caller.userId());
                    if (!guest && !caller.hasRole(found.operatorId(), StaffRole.MANAGER)) {
                        return Mono.error(Refusal.of(UserErrorCode.FORBIDDEN, "An early move-out needs the MANAGER role at the booking's operator",
                                "input", "bookingId"));
                    }
                    return zoneOf(found).flatMap(zone -> movedOutOn(found, moveOut).flatMap(done -> {
                        if (done) {
                            // A retry of a move-out that committed: nothing more to do, and Stripe is not called again.
                            return Mono.just(found);
                        }
                        LocalDate today = LocalDate.now(clock.withZone(zone));
                        Refusal refused = moveOutRefused(found, moveOut, today, zone);
                        if (refused != null) {
                            return Mono.error(refused);
                        }
                        long notice = ChronoUnit.DAYS.between(today, moveOut);
                        BiFunction<Long, Integer, CancellationPolicy.Refund> owed = guest
                                ? (paid, nights) -> found.cancellationPolicy().refund(paid, nights, notice)
                                : (paid, nights) -> new CancellationPolicy.Refund(paid, 10_000);
                        return refunds.refundMoveOut(found, moveOut, owed)
                                .flatMap(refund -> commitMoveOut(caller, found, moveOut, guest, notice, zone, refund))
                                .onErrorResume(PaymentProviderException.class, e -> moveOutFailed(found, moveOut, e));
                    }));
                });
    }

    /** Whether this move-out was already made: the check-out is that date because of it. */
    private Mono<Boolean> movedOutOn(Booking booking, LocalDate moveOut) {
        if (!booking.checkOut().equals(moveOut)) {
            return Mono.just(false);
        }
        return bookings.events(booking.uuid()).any(e -> e.note() != null && e.note().startsWith("moving out early: check-out " + moveOut + " "));
    }

    private static Refusal moveOutRefused(Booking booking, LocalDate moveOut, LocalDate today, ZoneId zone) {
        if (booking.status() != BookingStatus.CONFIRMED && booking.status() != BookingStatus.CHECKED_IN) {
            return Refusal.of(UserErrorCode.INVALID_STATE, "only a confirmed or checked-in stay can end early (this one is "
                    + booking.status() + ")", "input", "bookingId");
        }
        // The same rule as billing.RentSchedule: only stays longer than a month are paid by the month.
        if (booking.hourly() || !booking.checkOut().isAfter(booking.checkIn().plusMonths(1))) {
            return Refusal.of(UserErrorCode.INVALID_STATE, "only stays paid by the month (longer than a month) can end early;"
                    + " cancel this one instead", "input", "bookingId");
        }
        if (moveOut.isBefore(today)) {
            return Refusal.of(UserErrorCode.OUT_OF_RANGE, "moveOutDate " + moveOut + " is in the past (today is " + today
                    + " in " + zone + ")", "input", "moveOutDate");
        }
        if (!moveOut.isAfter(booking.checkIn()) || !moveOut.isBefore(booking.checkOut())) {
            return Refusal.of(UserErrorCode.OUT_OF_RANGE, "moveOutDate must be after check-in " + booking.checkIn()
                    + " and before check-out " + booking.checkOut(), "input", "moveOutDate");
        }
        return null;
    }

    /**
     * The move-out's transaction. Should the booking have changed since the refund was computed
     * (another move-out, an extension, a cancellation), the refund is still recorded, since the money
     * did go back, and the move-out is refused.
     */
    private Mono<Booking> commitMoveOut(Caller caller, Booking found, LocalDate moveOut, boolean guest, long notice, ZoneId zone,
                                        CancellationRefunds.MoveOut refund) {
        UUID id = found.uuid();
        String actor = guest ? "GUEST" : "STAFF";
        long refunded = refund.refunded().amount();
        Refusal[] refused = new Refusal[1];
        return Mono.defer(() -> bookings.lock(id).flatMap(booking -> {
                    if (booking.checkOut().equals(moveOut) && !found.checkOut().equals(moveOut)) {
                        // The same move-out committed meanwhile (the guest and a manager at once): it got the same refunds from
                        // Stripe (same keys), so recording them again records nothing.
                        return refunds.record(booking, refund.refunded()).thenReturn(booking);
                    }
                    Refusal changed = !booking.checkOut().equals(found.checkOut()) || booking.total() != found.total()
                            ? Refusal.of(UserErrorCode.INVALID_STATE, "the booking changed meanwhile; reload it", "input", "bookingId")
                            : moveOutRefused(booking, moveOut, LocalDate.now(clock.withZone(zone)), zone);
                    if (changed != null) {
                        if (refunded == 0) {
                            return Mono.error(changed);
                        }
                        refused[0] = changed;
                        return refunds.record(booking, refund.refunded())
                                .then(bookings.event(booking, booking.status(), booking.status(), actor, caller.userId(), "refunded " + refunded + " "
                                        + booking.currency() + " for a move-out on " + moveOut + " that could not complete"))
                                .thenReturn(booking);
                    }
                    int preparation = (int) ChronoUnit.DAYS.between(booking.checkOut(), booking.occupiedUntil());
                    LocalDate occupiedUntil = moveOut.plusDays(preparation);
                    Mono<Void> room = booking.assignedUnitId() == null ? Mono.empty()
                            : calendar.release(booking.assignedUnitId(), occupiedUntil, booking.occupiedUntil(), 1);
                    String money = refund.paid() == 0 ? "nothing was paid for the " + refund.nights() + " nights given up"
                            : "refund " + refunded + " " + booking.currency() + " of the " + refund.paid() + " paid for the " + refund.nights()
                                    + " nights given up (" + (guest ? refund.owed().bps() / 100.0 + "%, " + notice + " days' notice, "
                                    + booking.cancellationPolicy() : "by staff: all of it") + ")";
                    return rent.unpaidFrom(booking, moveOut)
                            // The total becomes what is kept: the months that stop are not owed, the refund is given back.
                            .flatMap(unpaid -> db.sql("UPDATE booking SET check_out = :out, occupied_until = :occupied, total = :total, updated_at = now()"
                                            + " WHERE id = :id")
                                    .bind("out", moveOut).bind("occupied", occupiedUntil).bind("total", booking.total() - unpaid - refunded)
                                    .bind("id", id).then())
                            .then(calendar.release(booking.unitId(), occupiedUntil, booking.occupiedUntil(), booking.quantity()))
                            .then(room)
                            .then(bookings.event(booking, booking.status(), booking.status(), actor, caller.userId(),
                                    "moving out early: check-out " + moveOut + " instead of " + booking.checkOut() + "; " + money))
                            .then(refunds.record(booking, refund.refunded()))
                            .then(outbox.record(booking.operatorId(), Outbox.UNIT, booking.unitId(), "BookingShortened"))
                            .then(bookings.findById(id))
                            .flatMap(saved -> stopRent(saved, moveOut, actor, caller.userId()));
                }))
                .as(tx::transactional)
                .flatMap(booking -> refused[0] == null ? Mono.just(booking) : Mono.error(refused[0]));
    }

    /**
     * Stripe did not refund. The same keys with another amount while the same move-out committed
     * meanwhile (the other side, whose refund capped this one's): its refund stands, answer the booking.
     */
    private Mono<Booking> moveOutFailed(Booking found, LocalDate moveOut, PaymentProviderException e) {
        if (e.kind() != PaymentProviderException.Kind.IDEMPOTENCY_CONFLICT) {
            return Mono.error(moveOutRefusal(e));
        }
        return bookings.findById(found.uuid()).filterWhen(b -> movedOutOn(b, moveOut)).switchIfEmpty(Mono.error(() -> moveOutRefusal(e)));
    }

    /** Stripe could not refund the move-out: nothing changed. */
    private static Refusal moveOutRefusal(PaymentProviderException e) {
        if (e.kind() == PaymentProviderException.Kind.IDEMPOTENCY_CONFLICT) {
            // A move-out refund made earlier whose commit was lost, retried under another notice or date: never refund twice.
            return Refusal.of(UserErrorCode.INVALID_STATE, "a refund of another amount was already made for this move-out; ask support to finish it",
                    "input", "bookingId");
        }
        return refundRefusal(e);
    }

    /**
     * Assigns a booking of a room type to one of its rooms (or, with {@code roomId} null, takes
     * the assignment back). The room's own calendar rows are taken for the booking's nights, so a
     * room is never assigned to two bookings of the same night.
     */
    Mono<Booking> assign(Caller caller, UUID id, UUID roomId) {
        return change(caller, id, StaffRole.MANAGER, booking -> {
            if (booking.hourly() || !(booking.status() == BookingStatus.HELD || booking.status() == BookingStatus.CONFIRMED
                    || booking.status() == BookingStatus.CHECKED_IN || booking.status() == BookingStatus.REQUESTED)) {
                return Mono.error(Refusal.of(UserErrorCode.INVALID_STATE, "a " + booking.status() + " booking cannot be assigned a room", "input", "bookingId"));
            }
            if (roomId != null && roomId.equals(booking.assignedUnitId())) {
                return Mono.just(booking);
            }
            Mono<Void> releaseOld = booking.assignedUnitId() == null ? Mono.empty()
                    : calendar.release(booking.assignedUnitId(), booking.checkIn(), booking.occupiedUntil(), 1);
            if (roomId == null) {
                return releaseOld.then(bookings.assign(id, null))
                        .then(bookings.event(booking, booking.status(), booking.status(), "STAFF", caller.userId(), "room assignment removed"))
                        .then(bookings.findById(id));
            }
            return units.findById(roomId)
                    .filterWhen(room -> roomTypeOf(room.uuid()).map(type -> type.equals(booking.unitId())).defaultIfEmpty(false))
                    .switchIfEmpty(Mono.error(Refusal.of(UserErrorCode.INVALID_STATE, "this unit is not a room of the booked room type", "input", "unitId")))
                    .flatMap(room -> releaseOld
                            .then(calendar.take(room.operatorId(), room.uuid(), 1, booking.checkIn(), booking.occupiedUntil(), 1))
                            .flatMap(conflicts -> {
                                if (!conflicts.isEmpty()) {
                                    return Mono.error(Refusal.of(UserErrorCode.UNAVAILABLE, room.name() + " is assigned to another booking (or blocked) on "
                                            + conflicts.get(0).day(), "input", "unitId"));
                                }
                                return bookings.assign(id, room.uuid())
                                        .then(bookings.event(booking, booking.status(), booking.status(), "STAFF", caller.userId(), "assigned to " + room.name()))
                                        .then(bookings.findById(id));
                            }));
        });
    }

    /** The room type a unit is a room of, if any. */
    Mono<UUID> roomTypeOf(UUID unitId) {
        return db.sql("SELECT room_type_id FROM unit WHERE id = :id AND room_type_id IS NOT NULL").bind("id", unitId)
                .map(row -> row.get("room_type_id", UUID.class)).one();
    }

    /**
     * The first payment succeeded: a held booking becomes confirmed. Internal only (tests and the
     * payments module call it); there is no public mutation that confirms without paying.
     */
    public Mono<Booking> confirmPaid(UUID id) {
        return Mono.defer(() -> bookings.lock(id)
                        .switchIfEmpty(Mono.error(new IllegalArgumentException("no booking " + id)))
                        .flatMap(booking -> {
                            if (booking.status() == BookingStatus.CONFIRMED) {
                                return Mono.just(booking);
                            }
                            if (booking.status() != BookingStatus.HELD || !booking.holdExpiresAt().isAfter(clock.instant())) {
                                return Mono.error(new IllegalStateException("booking " + id + " is " + booking.status()
                                        + (booking.status() == BookingStatus.HELD ? " but its hold has expired" : "") + ": it cannot be confirmed"));
                            }
                            return move(booking, BookingStatus.CONFIRMED, "SYSTEM", null, "first payment received",
                                    Map.of("confirmed_at", clock.instant(), "hold_expires_at", Parameter.empty(Instant.class)));
                        }))
                .as(tx::transactional);
    }

    // ---- jobs ----

    /** Expires held and requested bookings whose time is up (of one unit, or all when null); returns how many. */
    Mono<Long> expire(UUID unitId, int limit) {
        return bookings.lockExpired(unitId, limit)
                .concatMap(booking -> move(booking, BookingStatus.EXPIRED, "SYSTEM", null,
                        booking.status() == BookingStatus.REQUESTED ? "no answer from staff in time" : "not paid in time", Map.of())
                        .flatMap(this::release))
                .count();
    }

    Mono<Long> expireBatch(int limit) {
        return expire(null, limit).as(tx::transactional);
    }

    /** Checked-in stays whose check-out has passed become completed. */
    Mono<Long> completeFinished(int limit) {
        return bookings.lockFinished(limit)
                .concatMap(booking -> move(booking, BookingStatus.COMPLETED, "SYSTEM", null, "check-out date passed", Map.of()))
                .count()
                .as(tx::transactional);
    }

    // ---- helpers ----

    /** Loads, checks the caller's role at the booking's operator, and runs {@code change} on the locked row in one transaction. */
    private Mono<Booking> change(Caller caller, UUID id, StaffRole role, java.util.function.Function<Booking, Mono<Booking>> change) {
        return bookings.findById(id)
                .filter(b -> caller.isStaffOf(b.operatorId()) || caller.platformAdmin() || b.guestId().equals(caller.userId()))
                .switchIfEmpty(Mono.error(Refusal.of(UserErrorCode.NOT_FOUND, "No booking with this ID", "input", "bookingId")))
                .flatMap(found -> {
                    if (!caller.hasRole(found.operatorId(), role)) {
                        return Mono.error(Refusal.of(UserErrorCode.FORBIDDEN, "This needs the " + role + " role at the booking's operator", "input", "bookingId"));
                    }
                    return Mono.defer(() -> bookings.lock(id).flatMap(change)).as(tx::transactional);
                });
    }

    private Mono<Booking> move(Booking booking, BookingStatus to, String actor, UUID actorId, String note, Map<String, Object> changes) {
        if (!booking.status().canBecome(to)) {
            return Mono.error(Refusal.of(UserErrorCode.INVALID_STATE, "a " + booking.status() + " booking cannot become " + to, "input", "bookingId"));
        }
        return bookings.transition(booking.uuid(), booking.status(), to, changes)
                .flatMap(moved -> moved ? bookings.event(booking, booking.status(), to, actor, actorId, note).then(bookings.findById(booking.uuid()))
                        : Mono.error(Refusal.of(UserErrorCode.INVALID_STATE, "the booking changed meanwhile; reload it", "input", "bookingId")));
    }

    /** Frees the dates of a booking that no longer holds them, and tells search. */
    private Mono<Booking> release(Booking booking) {
        Mono<Void> own = booking.hourly()
                ? calendar.releaseSlots(booking.unitId(), booking.startsAt(), booking.endsAt(), booking.quantity())
                : calendar.release(booking.unitId(), booking.checkIn(), booking.occupiedUntil(), booking.quantity());
        Mono<Void> room = booking.assignedUnitId() == null ? Mono.empty()
                : calendar.release(booking.assignedUnitId(), booking.checkIn(), booking.occupiedUntil(), 1);
        return own.then(room)
                .then(outbox.record(booking.operatorId(), Outbox.UNIT, booking.unitId(), "BookingReleased"))
                .thenReturn(booking);
    }

    private Mono<ZoneId> zoneOf(Booking booking) {
        return properties.findById(booking.propertyId()).map(p -> ZoneId.of(p.timeZone()));
    }

    private static String[] path(String[] prefix, String field) {
        String[] all = java.util.Arrays.copyOf(prefix, prefix.length + 1);
        all[prefix.length] = field;
        return all;
    }

    Mono<io.nomadstays.graphql.Connection<Booking>> bookingsOfGuest(UUID guestId, List<BookingStatus> statuses, io.nomadstays.graphql.PageRequest page) {
        return bookings.pageOfGuest(guestId, statuses, page);
    }

    Mono<io.nomadstays.graphql.Connection<Booking>> bookingsOfOperator(UUID operatorId, Bookings.Filter filter, io.nomadstays.graphql.PageRequest page) {
        return bookings.pageOfOperator(operatorId, filter, page);
    }

    Flux<Bookings.Event> events(UUID bookingId) {
        return bookings.events(bookingId);
    }
}
