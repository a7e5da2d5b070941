package io.nomadstays.shared;

import java.math.BigDecimal;
import java.util.Currency;

/** An amount in minor units of an ISO 4217 currency. Never a double. */
public record Money(long amount, String currency) {

    public static Money of(long amount, String currency) {
        return new Money(amount, currency);
    }

    /** The amount in major units as a plain decimal string, e.g. "1250.00" or "4500000" for JPY-like currencies. */
    public String decimal() {
        return BigDecimal.valueOf(amount, minorUnits(currency)).toPlainString();
    }

    public static int minorUnits(String currency) {
        int digits = Currency.getInstance(currency).getDefaultFractionDigits();
        return Math.max(digits, 0);
    }
}
