/**
 * Keeps the Elasticsearch stay index true to PostgreSQL (docs/search-indexing.md).
 *
 * <p>Public, for the api module and operators: {@link io.nomadstays.index.OutboxIndexer} (the
 * outbox consumer), {@link io.nomadstays.index.SearchSettings}, {@link io.nomadstays.index.ExchangeRates}
 * (minor units to US cents and back), {@link io.nomadstays.index.RatesRefresh} (rates files into the
 * table) and {@link io.nomadstays.index.IndexerMain} (the standalone process: run, reindex, check,
 * refresh-rates). Everything else (document builder, full reindex, consistency check, alias
 * management) is package-private.
 */
package io.nomadstays.index;
