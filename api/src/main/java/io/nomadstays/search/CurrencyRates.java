package io.nomadstays.search;

import java.time.LocalDate;

/** Conversion between a currency's minor units and US cents, with the date of the rates. */
interface CurrencyRates {

    boolean supports(String currency);

    long toUsdCents(long minor, String currency);

    long fromUsdCents(long usdCents, String currency);

    /** Unrounded, for histogram intervals that must map to round amounts in the currency. */
    double toUsdCentsExact(long minor, String currency);

    LocalDate asOf();
}
