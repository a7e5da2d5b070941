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
 * currency to US cents and back (BigDecimal, half-up), with each currency's minor units from the
 * {@code currency} table. The search index stores every price in its own currency and in US cents;
 * the API converts a nomad's price filter with the same snapshot class.
 *
 * <p>Rates change rarely (the {@code refresh-rates} command), so callers load a snapshot and keep it
 * for a while: {@link #load(DataSource)} costs one query of about 150 rows.
 */
public final class ExchangeRates {

    private static final MathContext DIVISION = MathContext.DECIMAL128;

    private final Map<String, BigDecimal> usdPerUnit;
    private final Map<String, Integer> minorUnits;
    private final LocalDate asOf;

    private ExchangeRates(Map<String, BigDecimal> usdPerUnit, Map<String, Integer> minorUnits, LocalDate asOf) {
        this.usdPerUnit = Map.copyOf(usdPerUnit);
        this.minorUnits = Map.copyOf(minorUnits);
        this.asOf = asOf;
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
        BigDecimal cents = BigDecimal.valueOf(minor).multiply(rate(currency)).movePointRight(2 - minorUnits.get(currency));
        return cents.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** The inverse: US cents to minor units of {@code currency}, rounded half-up. */
    public long fromUsdCents(long usdCents, String currency) {
        BigDecimal major = BigDecimal.valueOf(usdCents).movePointLeft(2).divide(rate(currency), DIVISION);
        return major.movePointRight(minorUnits.get(currency)).setScale(0, RoundingMode.HALF_UP).longValueExact();
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
