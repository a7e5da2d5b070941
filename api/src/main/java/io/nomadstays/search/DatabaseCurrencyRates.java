package io.nomadstays.search;

import io.nomadstays.index.ExchangeRates;
import java.math.BigDecimal;
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
 * The current {@link ExchangeRates} (the indexer's own class, so a price filter and an indexed
 * price are converted with the same arithmetic), read with R2DBC and reloaded every minute so a
 * rates refresh reaches every API instance without a restart.
 */
@Component
public class DatabaseCurrencyRates {

    private static final Logger log = LoggerFactory.getLogger(DatabaseCurrencyRates.class);

    private final DatabaseClient db;
    private final AtomicReference<ExchangeRates> current =
            new AtomicReference<>(ExchangeRates.of(Map.of("USD", BigDecimal.ONE), Map.of("USD", 2), null));
    private Disposable refresher;

    DatabaseCurrencyRates(DatabaseClient db) {
        this.db = db;
    }

    /**
     * {@code amount} minor units of {@code from} in {@code to}, for display only (through US cents, as
     * price filters are); null when {@code from} has no rate. The target currency must be supported.
     */
    public static io.nomadstays.shared.Money convert(ExchangeRates rates, long amount, String from, String to) {
        if (from.equals(to)) {
            return io.nomadstays.shared.Money.of(amount, from);
        }
        return rates.supports(from) ? io.nomadstays.shared.Money.of(rates.fromUsdCents(rates.toUsdCents(amount, from), to), to) : null;
    }

    public ExchangeRates current() {
        return current.get();
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
                    Map<String, BigDecimal> rates = new HashMap<>(Map.of("USD", BigDecimal.ONE));
                    Map<String, Integer> minor = new HashMap<>(Map.of("USD", 2));
                    LocalDate asOf = null;
                    for (Object[] r : rows) {
                        rates.put((String) r[0], (BigDecimal) r[1]);
                        minor.put((String) r[0], ((Short) r[3]).intValue());
                        asOf = asOf == null || ((LocalDate) r[2]).isAfter(asOf) ? (LocalDate) r[2] : asOf;
                    }
                    current.set(ExchangeRates.of(rates, minor, asOf));
                })
                .then();
    }
}
