package io.nomadstays.calendarsync;

import io.nomadstays.booking.Availability;
import io.nomadstays.graphql.ApiException;
import io.nomadstays.graphql.GlobalId;
import io.nomadstays.graphql.NodeLoader;
import io.nomadstays.graphql.UserError;
import io.nomadstays.graphql.UserErrorCode;
import io.nomadstays.graphql.Validator;
import io.nomadstays.identity.Access;
import io.nomadstays.identity.Caller;
import io.nomadstays.identity.StaffRole;
import io.nomadstays.shared.Ids;
import io.nomadstays.unit.Unit;
import io.nomadstays.unit.Units;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** Calendar sync in the API: feeds, their health and the export URL (schema: calendarsync.graphqls). */
@Controller
class CalendarSyncController {

    static final int MAX_URL = 2000;
    private static final Set<GlobalId.Type> UNIT_IDS = Set.of(GlobalId.Type.UNIT, GlobalId.Type.STAY);

    private final CalendarFeeds feeds;
    private final FeedImporter importer;
    private final CalendarExport export;
    private final Availability availability;
    private final Units units;
    private final TransactionalOperator tx;
    private final CalendarSyncProperties settings;

    CalendarSyncController(CalendarFeeds feeds, FeedImporter importer, CalendarExport export, Availability availability, Units units,
                           TransactionalOperator tx, CalendarSyncProperties settings) {
        this.feeds = feeds;
        this.importer = importer;
        this.export = export;
        this.availability = availability;
        this.units = units;
        this.tx = tx;
        this.settings = settings;
    }

    @Bean
    static NodeLoader calendarFeedNodes(CalendarFeeds feeds) {
        return NodeLoader.of(GlobalId.Type.CALENDAR_FEED, (id, caller) -> feeds.find(id).filter(f -> caller.isStaffOf(f.operatorId())));
    }

    // ---- fields ----

    @SchemaMapping(typeName = "Unit")
    Mono<String> icalExportUrl(Unit unit, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        return caller.isStaffOf(unit.operatorId()) ? export.url(unit.uuid()) : Mono.empty();
    }

    @SchemaMapping(typeName = "Unit")
    Mono<List<CalendarFeed>> calendarFeeds(Unit unit, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        if (!caller.isStaffOf(unit.operatorId()) && !caller.platformAdmin()) {
            return Mono.error(new ApiException(UserErrorCode.FORBIDDEN, "Only the operator's staff see calendar feeds"));
        }
        return feeds.ofUnit(unit.uuid()).collectList();
    }

    @SchemaMapping(typeName = "CalendarFeed")
    Mono<Unit> unit(CalendarFeed feed) {
        return units.findById(feed.unitId());
    }

    // ---- mutations ----

    record AddCalendarFeedInput(String unitId, String url, String name) {
    }

    record CalendarFeedPayload(CalendarFeed feed, List<UserError> userErrors) {
        static CalendarFeedPayload of(CalendarFeed feed) {
            return new CalendarFeedPayload(feed, List.of());
        }

        static CalendarFeedPayload errors(UserError... errors) {
            return new CalendarFeedPayload(null, List.of(errors));
        }
    }

    @MutationMapping
    Mono<CalendarFeedPayload> addCalendarFeed(@Argument AddCalendarFeedInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID unitId = v.id(input.unitId(), UNIT_IDS, "input", "unitId");
        String url = feedUrl(v, input.url(), "input", "url");
        String name = v.text(input.name(), 1, 200, "input", "name");
        if (v.hasErrors()) {
            return Mono.just(new CalendarFeedPayload(null, v.errors()));
        }
        UserError notFound = UserError.of(UserErrorCode.NOT_FOUND, "No unit with this ID", "input", "unitId");
        UserError duplicate = UserError.of(UserErrorCode.ALREADY_EXISTS, "this unit already imports this URL", "input", "url");
        return units.findById(unitId)
                .flatMap(unit -> {
                    var denied = Access.checkWrite(caller, unit.operatorId(), unit.published(), StaffRole.MANAGER, "unit", "input", "unitId");
                    if (denied.isPresent()) {
                        return Mono.just(CalendarFeedPayload.errors(denied.get()));
                    }
                    UUID id = Ids.newId();
                    return Mono.zip(feeds.countOfUnit(unit.uuid()), feeds.exists(unit.uuid(), url))
                            .flatMap(t -> {
                                if (t.getT2()) {
                                    return Mono.just(CalendarFeedPayload.errors(duplicate));
                                }
                                if (t.getT1() >= settings.maxFeedsPerUnit()) {
                                    return Mono.just(CalendarFeedPayload.errors(UserError.of(UserErrorCode.OUT_OF_RANGE,
                                            "a unit imports at most " + settings.maxFeedsPerUnit() + " feeds", "input", "url")));
                                }
                                return feeds.insert(id, unit.operatorId(), unit.uuid(), url, name, caller.userId())
                                        .then(feeds.find(id))
                                        .map(CalendarFeedPayload::of)
                                        // Two adds of the same URL at once: the unique key decides.
                                        .onErrorResume(DataIntegrityViolationException.class, e -> Mono.just(CalendarFeedPayload.errors(duplicate)));
                            });
                })
                .defaultIfEmpty(CalendarFeedPayload.errors(notFound));
    }

    record CalendarFeedIdInput(String feedId) {
    }

    record RemoveCalendarFeedPayload(String removedFeedId, List<UserError> userErrors) {
    }

    @MutationMapping
    Mono<RemoveCalendarFeedPayload> removeCalendarFeed(@Argument CalendarFeedIdInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID id = v.id(input.feedId(), GlobalId.Type.CALENDAR_FEED, "input", "feedId");
        if (v.hasErrors()) {
            return Mono.just(new RemoveCalendarFeedPayload(null, v.errors()));
        }
        UserError notFound = UserError.of(UserErrorCode.NOT_FOUND, "No calendar feed with this ID", "input", "feedId");
        return feeds.find(id)
                .flatMap(feed -> {
                    var denied = Access.checkWrite(caller, feed.operatorId(), false, StaffRole.MANAGER, "calendar feed", "input", "feedId");
                    if (denied.isPresent()) {
                        return Mono.just(new RemoveCalendarFeedPayload(null, List.of(denied.get())));
                    }
                    // Through unblock, so each block gives its dates back; the foreign key refuses a delete that skipped this.
                    return feeds.lock(id)
                            .flatMap(locked -> availability.feedBlocks(id).map(Availability.FeedBlock::block)
                                    .concatMap(availability::unblock).then()
                                    .then(feeds.delete(id))
                                    .thenReturn(new RemoveCalendarFeedPayload(feed.id(), List.of())))
                            .as(tx::transactional);
                })
                .defaultIfEmpty(new RemoveCalendarFeedPayload(null, List.of(notFound)));
    }

    @MutationMapping
    Mono<CalendarFeedPayload> syncCalendarFeed(@Argument CalendarFeedIdInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID id = v.id(input.feedId(), GlobalId.Type.CALENDAR_FEED, "input", "feedId");
        if (v.hasErrors()) {
            return Mono.just(new CalendarFeedPayload(null, v.errors()));
        }
        UserError notFound = UserError.of(UserErrorCode.NOT_FOUND, "No calendar feed with this ID", "input", "feedId");
        return feeds.find(id)
                .flatMap(feed -> {
                    var denied = Access.checkWrite(caller, feed.operatorId(), false, StaffRole.MANAGER, "calendar feed", "input", "feedId");
                    if (denied.isPresent()) {
                        return Mono.just(CalendarFeedPayload.errors(denied.get()));
                    }
                    return importer.sync(id).map(CalendarFeedPayload::of);
                })
                .defaultIfEmpty(CalendarFeedPayload.errors(notFound));
    }

    record RotateIcalExportUrlInput(String unitId) {
    }

    record RotateIcalExportUrlPayload(Unit unit, String icalExportUrl, List<UserError> userErrors) {
    }

    @MutationMapping
    Mono<RotateIcalExportUrlPayload> rotateIcalExportUrl(@Argument RotateIcalExportUrlInput input, @ContextValue(Caller.CONTEXT_KEY) Caller caller) {
        var v = new Validator();
        UUID unitId = v.id(input.unitId(), UNIT_IDS, "input", "unitId");
        if (v.hasErrors()) {
            return Mono.just(new RotateIcalExportUrlPayload(null, null, v.errors()));
        }
        return units.findById(unitId)
                .flatMap(unit -> {
                    var denied = Access.checkWrite(caller, unit.operatorId(), unit.published(), StaffRole.MANAGER, "unit", "input", "unitId");
                    if (denied.isPresent()) {
                        return Mono.just(new RotateIcalExportUrlPayload(null, null, List.of(denied.get())));
                    }
                    return export.rotate(unit.uuid()).map(url -> new RotateIcalExportUrlPayload(unit, url, List.of()));
                })
                .defaultIfEmpty(new RotateIcalExportUrlPayload(null, null,
                        List.of(UserError.of(UserErrorCode.NOT_FOUND, "No unit with this ID", "input", "unitId"))));
    }

    /** An absolute http(s) URL without credentials; webcal:// (how sites often link their feeds) is https://. */
    static String feedUrl(Validator v, String raw, String... path) {
        String url = v.text(raw, 1, MAX_URL, path);
        if (url == null) {
            return null;
        }
        if (url.regionMatches(true, 0, "webcal://", 0, 9)) {
            url = "https://" + url.substring(9);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            v.add(UserErrorCode.INVALID_FORMAT, "not a valid URL: " + e.getReason(), path);
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            v.add(UserErrorCode.INVALID_FORMAT, "the URL must start with https:// or http:// and name a host", path);
            return null;
        }
        if (uri.getRawUserInfo() != null) {
            v.add(UserErrorCode.INVALID_FORMAT, "the URL must not contain a user name or password", path);
            return null;
        }
        if (url.length() > MAX_URL) {
            v.add(UserErrorCode.TOO_LONG, "url must be at most " + MAX_URL + " characters", path);
            return null;
        }
        return url;
    }
}
