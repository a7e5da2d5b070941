package io.nomadstays.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RatesRefreshIntegrationTests extends IndexerIntegrationTest {

    private static RatesRefresh.RatesFile file(String text) throws Exception {
        return RatesRefresh.RatesFile.parse(new StringReader(text), "test.csv");
    }

    @Test
    void aChangedRateReindexesEveryPublishedUnitPricedInThatCurrency() throws Exception {
        UUID operator = listings.operator("rates");
        UUID property = listings.property(operator, Listings.Place.dali());
        UUID rupiah = listings.unit(operator, property, Listings.Stay.room("Rupiah", "IDR", 25_000_000L, null));
        UUID rupiah2 = listings.unit(operator, property, Listings.Stay.room("Rupiah 2", "IDR", 50_000_000L, null));
        listings.unit(operator, property, Listings.Stay.room("Rupiah draft", "IDR", 50_000_000L, null).draft());
        UUID euro = listings.unit(operator, property, Listings.Stay.room("Euro", "EUR", 5_000L, null));
        OutboxIndexer indexer = indexer(settings, ES);
        indexer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingEvents() == 0);
        assertThat(document(rupiah).get("nightly_usd").asLong()).isEqualTo(1_500L);
        long euroVersion = version(euro);

        RatesRefresh.Result result = RatesRefresh.refresh(DATA_SOURCE, file("""
                # tomorrow's rates
                as_of,2026-11-28
                currency,usd_per_unit
                IDR,0.00007
                EUR,1.16
                """));

        assertThat(result.changed()).containsExactly("IDR");
        assertThat(result.loaded()).isEqualTo(2);
        assertThat(result.unitsEnqueued()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM outbox_event WHERE event_type = 'ExchangeRateChanged'")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> document(rupiah).get("nightly_usd").asLong() == 1_750L);
        assertThat(document(rupiah2).get("nightly_usd").asLong()).isEqualTo(3_500L);
        assertThat(version(euro)).isEqualTo(euroVersion);
        assertThat(ExchangeRates.load(DATA_SOURCE).asOf()).isEqualTo(LocalDate.of(2026, 11, 28));
    }

    @Test
    void anOlderFileCannotUndoANewerRate() throws Exception {
        RatesRefresh.refresh(DATA_SOURCE, file("as_of,2026-12-01\nIDR,0.00007\n"));

        RatesRefresh.Result older = RatesRefresh.refresh(DATA_SOURCE, file("as_of,2026-11-01\nIDR,0.00005\n"));

        assertThat(older.olderSkipped()).containsExactly("IDR");
        assertThat(older.changed()).isEmpty();
        assertThat(older.unitsEnqueued()).isZero();
        assertThat(ExchangeRates.load(DATA_SOURCE).toUsdCents(100_000, "IDR")).isEqualTo(7L);
    }

    @Test
    void theShippedFileIsLoadedOnlyIntoAnEmptyTable() throws Exception {
        execute("TRUNCATE exchange_rate");

        RatesRefresh.Result first = RatesRefresh.loadIfEmpty(DATA_SOURCE, shippedRates());
        RatesRefresh.Result second = RatesRefresh.loadIfEmpty(DATA_SOURCE, shippedRates());

        assertThat(first).isNotNull();
        assertThat(first.loaded()).isEqualTo(shippedRates().usdPerUnit().size());
        assertThat(second).isNull();
        assertThat(ExchangeRates.load(DATA_SOURCE).supports("IDR")).isTrue();
    }

    @Test
    void unknownCurrenciesAreRefusedAndNothingIsWritten() throws Exception {
        assertThatThrownBy(() -> RatesRefresh.refresh(DATA_SOURCE, file("as_of,2026-12-01\nIDR,0.00009\nXXX,1\n")))
                .hasMessageContaining("XXX");
        assertThat(ExchangeRates.load(DATA_SOURCE).toUsdCents(100_000, "IDR")).isEqualTo(6L);
    }
}
