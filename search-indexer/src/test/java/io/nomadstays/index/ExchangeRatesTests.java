package io.nomadstays.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExchangeRatesTests {

    private final ExchangeRates rates = ExchangeRates.of(
            Map.of("USD", BigDecimal.ONE, "IDR", new BigDecimal("0.00006"), "JPY", new BigDecimal("0.0064"),
                    "KWD", new BigDecimal("3.25"), "EUR", new BigDecimal("1.16")),
            Map.of("USD", 2, "IDR", 2, "JPY", 0, "KWD", 3, "EUR", 2, "GBP", 2),
            LocalDate.of(2026, 11, 27));

    @Test
    void convertsMinorUnitsOfAnyExponentToUsCents() {
        assertThat(rates.toUsdCents(2_500, "USD")).isEqualTo(2_500);
        // 250,000.00 IDR x 0.00006 = 15.00 USD
        assertThat(rates.toUsdCents(25_000_000, "IDR")).isEqualTo(1_500);
        // 10,000 JPY (no minor units) x 0.0064 = 64.00 USD
        assertThat(rates.toUsdCents(10_000, "JPY")).isEqualTo(6_400);
        // 1.500 KWD x 3.25 = 4.875 USD
        assertThat(rates.toUsdCents(1_500, "KWD")).isEqualTo(488);
    }

    @Test
    void roundsHalfUp() {
        // 25.00 IDR = 0.15 US cents -> 0; 83.34 IDR = 0.50004 US cents -> 1
        assertThat(rates.toUsdCents(2_500, "IDR")).isZero();
        assertThat(rates.toUsdCents(8_334, "IDR")).isEqualTo(1);
        // 0.43 EUR = 0.4988 USD -> 50 cents; 0.01 EUR = 1.16 cents -> 1
        assertThat(rates.toUsdCents(43, "EUR")).isEqualTo(50);
        assertThat(rates.toUsdCents(1, "EUR")).isEqualTo(1);
    }

    @Test
    void convertsUsCentsBackForPriceFilters() {
        assertThat(rates.fromUsdCents(1_500, "IDR")).isEqualTo(25_000_000);
        assertThat(rates.fromUsdCents(6_400, "JPY")).isEqualTo(10_000);
        // 100.00 USD / 1.16 = 86.2068... EUR -> 86.21
        assertThat(rates.fromUsdCents(10_000, "EUR")).isEqualTo(8_621);
        assertThat(rates.fromUsdCents(488, "KWD")).isEqualTo(1_502);
    }

    @Test
    void knowsWhatItSupports() {
        assertThat(rates.supports("IDR")).isTrue();
        assertThat(rates.supports("GBP")).as("minor units but no rate").isFalse();
        assertThat(rates.supports(null)).isFalse();
        assertThat(rates.asOf()).isEqualTo(LocalDate.of(2026, 11, 27));
        assertThatThrownBy(() -> rates.toUsdCents(100, "GBP")).isInstanceOf(IllegalArgumentException.class);
    }
}
