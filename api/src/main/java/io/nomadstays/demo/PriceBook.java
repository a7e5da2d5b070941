package io.nomadstays.demo;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;

/**
 * Rough prices for synthetic units: what a furnished private room in co-living costs per month in
 * each city, in USD ({@code demo/city-price-bands.csv}, with a weight for how popular the city is),
 * and fixed exchange rates to turn that into the city's currency ({@code demo/usd-rates.csv}).
 * The rates only have to be plausible: they make demo prices look local, nothing is charged.
 */
final class PriceBook {

    record Band(int roomUsdPerMonth, int weight) {
    }

    private final Map<String, Double> perUsd;
    private final Map<String, Band> bands;

    private PriceBook(Map<String, Double> perUsd, Map<String, Band> bands) {
        this.perUsd = perUsd;
        this.bands = bands;
    }

    static PriceBook load() {
        Map<String, Double> perUsd = new HashMap<>();
        for (String[] row : City.Csv.read("demo/usd-rates.csv", 2)) {
            perUsd.put(row[0], Double.parseDouble(row[1]));
        }
        Map<String, Band> bands = new HashMap<>();
        for (String[] row : City.Csv.read("demo/city-price-bands.csv", 3)) {
            bands.put(row[0], new Band(Integer.parseInt(row[1]), Integer.parseInt(row[2])));
        }
        return new PriceBook(Map.copyOf(perUsd), Map.copyOf(bands));
    }

    Band band(City city) {
        Band band = bands.get(city.name());
        if (band == null) {
            throw new IllegalArgumentException("No price band for " + city.name());
        }
        return band;
    }

    /** A USD amount in the given currency, rounded to a price a person would write (3 significant digits). */
    BigDecimal fromUsd(double usd, String currency) {
        Double rate = perUsd.get(currency);
        if (rate == null) {
            throw new IllegalArgumentException("No exchange rate for " + currency);
        }
        return tidy(usd * rate);
    }

    static BigDecimal tidy(double amount) {
        int digits = amount >= 100 ? 3 : 2;
        return new BigDecimal(amount).round(new MathContext(digits, RoundingMode.HALF_UP));
    }

    /** A major-unit amount in minor units of a currency with the given exponent (USD 300 and 2 gives 30000). */
    static long toMinor(BigDecimal major, int minorUnits) {
        return major.movePointRight(minorUnits).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}
