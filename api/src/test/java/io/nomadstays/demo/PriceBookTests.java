package io.nomadstays.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PriceBookTests {

    private final PriceBook prices = PriceBook.load();

    @Test
    void majorAmountsBecomeMinorUnitsOfTheCurrency() {
        assertThat(PriceBook.toMinor(new BigDecimal("300"), 2)).isEqualTo(30_000);   // USD
        assertThat(PriceBook.toMinor(new BigDecimal("4500000"), 2)).isEqualTo(450_000_000); // IDR has 2 in ISO 4217
        assertThat(PriceBook.toMinor(new BigDecimal("2100"), 0)).isEqualTo(2_100);   // JPY
        assertThat(PriceBook.toMinor(new BigDecimal("12.5"), 3)).isEqualTo(12_500);  // BHD
    }

    @Test
    void convertedPricesAreRoundedLikeRealPrices() {
        assertThat(prices.fromUsd(300, "USD")).isEqualByComparingTo("300");
        assertThat(prices.fromUsd(300, "IDR")).isEqualByComparingTo("4800000");
        assertThat(prices.fromUsd(123.456, "USD")).isEqualByComparingTo("123");
        assertThat(prices.fromUsd(7.77, "USD")).isEqualByComparingTo("7.8");
    }

    @Test
    void everyCityHasABandAndARateForItsCurrency() {
        for (City city : City.all()) {
            assertThat(prices.band(city).roomUsdPerMonth()).as(city.name()).isBetween(100, 5000);
            assertThat(prices.fromUsd(100, city.currency()).signum()).as(city.currency()).isPositive();
        }
    }
}
