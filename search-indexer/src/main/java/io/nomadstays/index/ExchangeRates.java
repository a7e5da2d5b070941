package io.nomadstays.index;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * An immutable snapshot of the {@code exchange_rate} table: converts amounts in minor units of any
 * currency to US cents and back (exact, half-up: in longs when they suffice, else BigDecimal), with each currency's minor units from the
 * {@code currency} table. The search index stores every price in its own currency and in US cents;
 * the API converts a nomad's price filter with the same snapshot class.
 *
 * <p>Rates change rarely (the {@code refresh-rates} command), so callers load a snapshot and keep it
 * for a while: {@link #load(DataSource)} costs one query of about 150 rows.
 */
public final class ExchangeRates {

    private static final MathContext DIVISION = MathContext.DECIMAL128;

    private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
            100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L,
            100_000_000_000_000L, 1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L,
            1_000_000_000_000_000_000L};
    /** {@link #fromUsdCents} in longs only while the divisor stays below this (see there). */
    private static final long EXACT_DIVISOR_LIMIT = 1_000_000_000_000L;

    private final Map<String, BigDecimal> usdPerUnit;
    private final Map<String, Integer> minorUnits;
    private final LocalDate asOf;
    /** Each supported currency's rate as {@code unscaled x 10^-scale} in a long, when it fits. */
    private final Map<String, LongRate> longRates;

    private record LongRate(long unscaled, int scale, int minorUnits) {
    }

    private ExchangeRates(Map<String, BigDecimal> usdPerUnit, Map<String, Integer> minorUnits, LocalDate asOf) {
        this.usdPerUnit = Map.copyOf(usdPerUnit);
        this.minorUnits = Map.copyOf(minorUnits);
        this.asOf = asOf;
        Map<String, LongRate> longs = new HashMap<>();
        this.usdPerUnit.forEach((currency, rate) -> {
            BigDecimal stripped = rate.stripTrailingZeros();
            Integer minor = this.minorUnits.get(currency);
            if (minor != null && stripped.signum() > 0 && stripped.unscaledValue().bitLength() < 63) {
                longs.put(currency, new LongRate(stripped.unscaledValue().longValueExact(), stripped.scale(), minor));
            }
        });
        this.longRates = Map.copyOf(longs);
    }

    /**
     * @param usdPerUnit US dollars for one major unit of each currency (1 EUR = 1.16 USD)
     * @param minorUnits the exponent of each currency (USD 2, JPY 0, KWD 3)
     * @param asOf       the date of the rates, null when there are none
     */
    public static ExchangeRates of(Map<String, BigDecimal> usdPerUnit, Map<String, Integer> minorUnits, LocalDate asOf) {
        return new ExchangeRates(usdPerUnit, minorUnits, asOf);
    }

    public static ExchangeRates load(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return load(c);
        }
    }

    /** Reads the tables with the caller's connection (and transaction, if any). */
    public static ExchangeRates load(Connection c) throws SQLException {
        Map<String, BigDecimal> rates = new HashMap<>();
        Map<String, Integer> minor = new HashMap<>();
        LocalDate asOf = null;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT c.code, c.minor_units, r.usd_per_unit, r.as_of
                       FROM currency c LEFT JOIN exchange_rate r ON r.currency = c.code""")) {
            while (rs.next()) {
                String code = rs.getString(1).strip();
                minor.put(code, rs.getInt(2));
                BigDecimal rate = rs.getBigDecimal(3);
                if (rate != null) {
                    rates.put(code, rate);
                    LocalDate date = rs.getObject(4, LocalDate.class);
                    if (asOf == null || date.isAfter(asOf)) {
                        asOf = date;
                    }
                }
            }
        }
        return new ExchangeRates(rates, minor, asOf);
    }

    /** The date of the newest rate (rates are refreshed together, so usually of all); null without rates. */
    public LocalDate asOf() {
        return asOf;
    }

    /** Whether amounts in {@code currency} can be converted (a rate and the currency's minor units are known). */
    public boolean supports(String currency) {
        return currency != null && usdPerUnit.containsKey(currency) && minorUnits.containsKey(currency);
    }

    /** {@code minor / 10^minorUnits * usdPerUnit * 100}, rounded half-up to whole US cents. */
    public long toUsdCents(long minor, String currency) {
        LongRate rate = currency == null ? null : longRates.get(currency);
        if (rate != null) {
            // minor x unscaled x 10^(2 - minorUnits - scale): the same exact product BigDecimal forms, in longs.
            int exponent = 2 - rate.minorUnits() - rate.scale();
            if (Math.abs(exponent) < POWERS_OF_TEN.length) {
                try {
                    long product = Math.multiplyExact(minor, rate.unscaled());
                    return exponent >= 0 ? Math.multiplyExact(product, POWERS_OF_TEN[exponent])
                            : divideHalfUp(product, POWERS_OF_TEN[-exponent]);
                } catch (ArithmeticException overflow) {
                    // too large for longs: BigDecimal below
                }
            }
        }
        return toUsdCentsDecimal(minor, currency);
    }

    /** The inverse: US cents to minor units of {@code currency}, rounded half-up. */
    public long fromUsdCents(long usdCents, String currency) {
        LongRate rate = currency == null ? null : longRates.get(currency);
        if (rate != null) {
            // usdCents x 10^(scale + minorUnits - 2) / unscaled, exactly: A / B in longs. BigDecimal divides to 34
            // significant digits first; with |A / B| < 2^63 that is within 0.5e-15 of the exact quotient, while a
            // quotient that is not exactly k + 0.5 is at least 1 / (2B) away from it: with B < 10^12 both round
            // half-up to the same whole number.
            int exponent = rate.scale() + rate.minorUnits() - 2;
            if (Math.abs(exponent) < POWERS_OF_TEN.length) {
                try {
                    long dividend = exponent >= 0 ? Math.multiplyExact(usdCents, POWERS_OF_TEN[exponent]) : usdCents;
                    long divisor = exponent >= 0 ? rate.unscaled() : Math.multiplyExact(rate.unscaled(), POWERS_OF_TEN[-exponent]);
                    if (divisor < EXACT_DIVISOR_LIMIT) {
                        return divideHalfUp(dividend, divisor);
                    }
                } catch (ArithmeticException overflow) {
                    // too large for longs: BigDecimal below
                }
            }
        }
        return fromUsdCentsDecimal(usdCents, currency);
    }

    /** {@link #toUsdCents} with BigDecimal throughout, as it always was; the reference of the long arithmetic. */
    long toUsdCentsDecimal(long minor, String currency) {
        BigDecimal cents = BigDecimal.valueOf(minor).multiply(rate(currency)).movePointRight(2 - minorUnits.get(currency));
        return cents.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** {@link #fromUsdCents} with BigDecimal throughout, as it always was; the reference of the long arithmetic. */
    long fromUsdCentsDecimal(long usdCents, String currency) {
        BigDecimal major = BigDecimal.valueOf(usdCents).movePointLeft(2).divide(rate(currency), DIVISION);
        return major.movePointRight(minorUnits.get(currency)).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** {@code dividend / divisor} rounded half-up (ties away from zero), {@code divisor > 0}. */
    private static long divideHalfUp(long dividend, long divisor) {
        long quotient = dividend / divisor;
        long remainder = dividend % divisor;
        if (Math.abs(remainder) >= divisor - Math.abs(remainder)) {
            quotient += dividend < 0 ? -1 : 1;
        }
        return quotient;
    }

    /** The currencies with a rate. */
    public java.util.Set<String> currencies() {
        return usdPerUnit.keySet();
    }

    private BigDecimal rate(String currency) {
        Objects.requireNonNull(currency, "currency");
        if (!supports(currency)) {
            throw new IllegalArgumentException("No exchange rate for " + currency);
        }
        return usdPerUnit.get(currency);
    }

    @Override
    public String toString() {
        return "ExchangeRates[" + usdPerUnit.size() + " currencies, asOf=" + asOf + "]";
    }
}
