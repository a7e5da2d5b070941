package io.nomadstays.calendarsync;

import io.nomadstays.booking.Availability;
import io.nomadstays.booking.CalendarBlock;
import io.nomadstays.property.Properties;
import io.nomadstays.unit.Unit;
import io.nomadstays.unit.Units;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Imports one feed: download and parse outside any transaction, then make the feed's blocks
 * equal to its events in one transaction (add new events, move changed ones, remove vanished
 * ones) together with the feed's health. Anything that goes wrong before or during that
 * transaction changes no block: only last_attempt_at and last_error are written, on their own.
 */
@Service
class FeedImporter {

    private static final Logger log = LoggerFactory.getLogger(FeedImporter.class);

    private final CalendarFeeds feeds;
    private final FeedFetcher fetcher;
    private final Availability availability;
    private final Units units;
    private final Properties properties;
    private final TransactionalOperator tx;
    private final CalendarSyncProperties settings;
    private final Clock clock = Clock.systemUTC();

    FeedImporter(CalendarFeeds feeds, FeedFetcher fetcher, Availability availability, Units units, Properties properties,
                 TransactionalOperator tx, CalendarSyncProperties settings) {
        this.feeds = feeds;
        this.fetcher = fetcher;
        this.availability = availability;
        this.units = units;
        this.properties = properties;
        this.tx = tx;
        this.settings = settings;
    }

    /** Imports the feed now; answers the feed with its health afterwards (empty if it no longer exists). Never fails for the feed's faults. */
    Mono<CalendarFeed> sync(UUID feedId) {
        return feeds.find(feedId).flatMap(feed -> {
            Instant attempt = clock.instant();
            return units.findById(feed.unitId())
                    .flatMap(unit -> properties.findById(unit.propertyId())
                            .flatMap(property -> {
                                ZoneId zone = ZoneId.of(property.timeZone());
                                return fetcher.fetch(URI.create(feed.url()))
                                        .map(body -> plan(body, zone))
                                        .flatMap(plan -> apply(feed.uuid(), unit, plan, attempt).as(tx::transactional));
                            }))
                    .then(Mono.just(true))
                    .onErrorResume(e -> failed(feed, attempt, e).thenReturn(false))
                    .then(feeds.find(feedId));
        });
    }

    /** Records a failure of an import that was cut short from outside (the scheduled run's time limit). */
    Mono<Void> recordFailure(UUID feedId, String error) {
        return feeds.recordFailure(feedId, clock.instant(), error);
    }

    private ImportPlan plan(byte[] body, ZoneId zone) {
        try {
            IcsParser.Calendar calendar = IcsParser.parse(new String(body, StandardCharsets.UTF_8), zone);
            return ImportPlan.of(calendar, LocalDate.now(clock.withZone(zone)), settings.maxEventsPerFeed());
        } catch (IcsParser.InvalidCalendar e) {
            throw new ImportRefused("invalid iCalendar: " + e.getMessage());
        } catch (ImportPlan.TooManyEvents e) {
            throw new ImportRefused(e.getMessage());
        }
    }

    /** Why an import was refused, for the feed's lastError. */
    static final class ImportRefused extends RuntimeException {
        ImportRefused(String message) {
            super(message, null, false, false);
        }
    }

    private Mono<Void> apply(UUID feedId, Unit unit, ImportPlan plan, Instant attempt) {
        // The lock serialises this import with a concurrent one (schedule and syncCalendarFeed) and with removal.
        return feeds.lock(feedId)
                .flatMap(locked -> availability.feedBlocks(feedId).collectList())
                .flatMap(existing -> {
                    Map<String, Availability.FeedBlock> byKey = new HashMap<>();
                    List<CalendarBlock> remove = new ArrayList<>();
                    for (Availability.FeedBlock b : existing) {
                        var planned = plan.blocks().get(b.externalUid());
                        boolean same = planned != null && planned.start().equals(b.block().startDate())
                                && planned.end().equals(b.block().endDate());
                        if (same && byKey.putIfAbsent(b.externalUid(), b) == null) {
                            continue;
                        }
                        remove.add(b.block()); // vanished, moved (re-added below) or a stray duplicate
                    }
                    List<Map.Entry<String, ImportPlan.Range>> add = plan.blocks().entrySet().stream()
                            .filter(e -> !byKey.containsKey(e.getKey()))
                            .sorted(Comparator.comparing((Map.Entry<String, ImportPlan.Range> e) -> e.getValue().start()))
                            .toList();
                    remove.sort(Comparator.comparing(CalendarBlock::startDate));
                    String note = "Imported calendar";
                    return Flux.fromIterable(remove).concatMap(availability::unblock).then()
                            .then(Flux.fromIterable(add)
                                    .concatMap(e -> availability.block(unit, e.getValue().start(), e.getValue().end(), note, null, feedId, e.getKey()))
                                    .then())
                            .then(feeds.conflicts(feedId))
                            .flatMap(conflicts -> {
                                String warning = plan.warning();
                                if (conflicts > 0) {
                                    String clash = conflicts + " imported event(s) cover dates already booked here";
                                    warning = warning == null ? clash : clash + "; " + warning;
                                }
                                if (!remove.isEmpty() || !add.isEmpty()) {
                                    log.info("calendar feed {}: {} blocks added or moved, {} removed or moved", feedId, add.size(), remove.size());
                                }
                                return feeds.recordSuccess(feedId, attempt, plan.blocks().size(), plan.skipped(), conflicts, warning);
                            });
                });
    }

    private Mono<Void> failed(CalendarFeed feed, Instant attempt, Throwable e) {
        String message;
        if (e instanceof FeedFetcher.FeedProblem || e instanceof ImportRefused) {
            message = e.getMessage();
        } else {
            log.warn("calendar feed {} could not be imported", feed.uuid(), e);
            message = "the import could not be saved (" + e.getClass().getSimpleName() + "); it is retried with the next run";
        }
        return feeds.recordFailure(feed.uuid(), attempt, message);
    }
}
