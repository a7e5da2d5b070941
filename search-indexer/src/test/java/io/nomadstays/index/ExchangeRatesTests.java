package io.nomadstays.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
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
    void longArithmeticGivesExactlyWhatBigDecimalGives() {
        Random random = new Random(20261128);
        Map<String, BigDecimal> usdPerUnit = new HashMap<>();
        Map<String, Integer> minor = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            // Rates from 1e-9 to 1e4 with 1 to 12 significant digits, some with trailing zeros as NUMERIC columns give them.
            BigDecimal rate = BigDecimal.valueOf(1 + random.nextLong(999_999_999_999L), random.nextInt(22) - 4)
                    .round(new java.math.MathContext(1 + random.nextInt(12)));
            if (random.nextBoolean()) {
                rate = rate.setScale(Math.max(rate.scale(), 0) + random.nextInt(6));
            }
            usdPerUnit.put("C" + i, rate);
            minor.put("C" + i, random.nextInt(4));
        }
        ExchangeRates many = ExchangeRates.of(usdPerUnit, minor, LocalDate.of(2026, 11, 27));
        for (int i = 0; i < 400_000; i++) {
            String currency = "C" + random.nextInt(200);
            long amount = switch (i % 4) {
                case 0 -> random.nextInt(1_000);
                case 1 -> random.nextInt(10_000_000);
                case 2 -> random.nextLong(1_000_000_000_000L) - 1_000_000L;
                default -> random.nextLong() >> random.nextInt(64);
            };
            assertThat(outcome(() -> many.toUsdCents(amount, currency)))
                    .as("toUsdCents(%d, %s at %s)", amount, currency, usdPerUnit.get(currency))
                    .isEqualTo(outcome(() -> many.toUsdCentsDecimal(amount, currency)));
            assertThat(outcome(() -> many.fromUsdCents(amount, currency)))
                    .as("fromUsdCents(%d, %s at %s)", amount, currency, usdPerUnit.get(currency))
                    .isEqualTo(outcome(() -> many.fromUsdCentsDecimal(amount, currency)));
        }
        // Ties round away from zero: 1 US cent at 2 USD per unit (2 minor digits) is 0.5 -> 1, and -0.5 -> -1.
        ExchangeRates two = ExchangeRates.of(Map.of("TWO", new BigDecimal("2")), Map.of("TWO", 2), null);
        assertThat(two.fromUsdCents(1, "TWO")).isEqualTo(1).isEqualTo(two.fromUsdCentsDecimal(1, "TWO"));
        assertThat(two.fromUsdCents(-1, "TWO")).isEqualTo(-1).isEqualTo(two.fromUsdCentsDecimal(-1, "TWO"));
        assertThat(rates.fromUsdCents(10_000, "EUR")).isEqualTo(rates.fromUsdCentsDecimal(10_000, "EUR"));
        assertThatThrownBy(() -> rates.toUsdCents(100, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> rates.fromUsdCents(100, "GBP")).isInstanceOf(IllegalArgumentException.class);
    }

    /** The result, or the exception's class when it throws (overflow must throw alike). */
    private static Object outcome(java.util.function.LongSupplier conversion) {
        try {
            return conversion.getAsLong();
        } catch (RuntimeException e) {
            return e.getClass();
        }
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
