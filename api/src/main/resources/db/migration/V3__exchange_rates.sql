-- Exchange rates used to normalise prices for search (every price is indexed in its own currency
-- and in USD) and to convert a nomad's price filter. Loaded from the dated file the project ships
-- (api/src/main/resources/rates/exchange-rates.csv) and refreshed by a command (docs/search.md).
CREATE TABLE exchange_rate (
    currency     char(3)        PRIMARY KEY REFERENCES currency (code),
    -- US dollars for one major unit of the currency (1 EUR = 1.16 USD).
    usd_per_unit numeric(24,12) NOT NULL CHECK (usd_per_unit > 0),
    as_of        date           NOT NULL,
    updated_at   timestamptz    NOT NULL DEFAULT now()
);
