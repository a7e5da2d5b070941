package io.nomadstays.search;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code exchange_rate} table in memory, reloaded every minute so a rates refresh reaches
 * every API instance without a restart. Same arithmetic as the indexer's normalisation
 * (docs/search-document.md), so a filter and a document agree to the cent.
 */
@Component
class DatabaseCurrencyRates implements CurrencyRates {

    private static final Logger log = LoggerFactory.getLogger(DatabaseCurrencyRates.class);
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private record Rate(BigDecimal usdPerUnit, int minorUnits) {
    }

    private record Snapshot(Map<String, Rate> rates, LocalDate asOf) {
    }

    private final DatabaseClient db;
    private final AtomicReference<Snapshot> current =
            new AtomicReference<>(new Snapshot(Map.of("USD", new Rate(BigDecimal.ONE, 2)), LocalDate.EPOCH));
    private Disposable refresher;

    DatabaseCurrencyRates(DatabaseClient db) {
        this.db = db;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        refresher = Flux.interval(Duration.ZERO, Duration.ofMinutes(1))
                .concatMap(tick -> reload().onErrorResume(e -> {
                    log.warn("could not reload exchange rates: {}", e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (refresher != null) {
            refresher.dispose();
        }
    }

    /** Reads the table now; tests call it after writing rates. */
    Mono<Void> reload() {
        return db.sql("""
                        SELECT r.currency, r.usd_per_unit, r.as_of, c.minor_units
                          FROM exchange_rate r JOIN currency c ON c.code = r.currency""")
                .map(row -> new Object[] {row.get("currency", String.class).strip(), row.get("usd_per_unit", BigDecimal.class),
                        row.get("as_of", LocalDate.class), row.get("minor_units", Short.class)})
                .all()
                .collectList()
                .doOnNext(rows -> {
                    Map<String, Rate> rates = new HashMap<>();
                    rates.put("USD", new Rate(BigDecimal.ONE, 2));
                    LocalDate asOf = LocalDate.EPOCH;
                    for (Object[] r : rows) {
                        rates.put((String) r[0], new Rate((BigDecimal) r[1], ((Short) r[3]).intValue()));
                        asOf = ((LocalDate) r[2]).isAfter(asOf) ? (LocalDate) r[2] : asOf;
                    }
                    current.set(new Snapshot(Map.copyOf(rates), asOf));
                })
                .then();
    }

    @Override
    public boolean supports(String currency) {
        return currency != null && current.get().rates().containsKey(currency);
    }

    @Override
    public long toUsdCents(long minor, String currency) {
        Rate rate = rate(currency);
        return BigDecimal.valueOf(minor, rate.minorUnits()).multiply(rate.usdPerUnit()).multiply(HUNDRED)
                .setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    @Override
    public long fromUsdCents(long usdCents, String currency) {
        Rate rate = rate(currency);
        return BigDecimal.valueOf(usdCents, 2).divide(rate.usdPerUnit(), MathContext.DECIMAL64)
                .movePointRight(rate.minorUnits()).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    @Override
    public double toUsdCentsExact(long minor, String currency) {
        Rate rate = rate(currency);
        return BigDecimal.valueOf(minor, rate.minorUnits()).multiply(rate.usdPerUnit()).multiply(HUNDRED).doubleValue();
    }

    @Override
    public LocalDate asOf() {
        return current.get().asOf();
    }

    private Rate rate(String currency) {
        Rate rate = current.get().rates().get(currency);
        if (rate == null) {
            throw new IllegalArgumentException("no exchange rate for " + currency);
        }
        return rate;
    }
}
