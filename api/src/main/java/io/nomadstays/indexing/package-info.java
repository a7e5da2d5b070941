/**
 * Keeps the search index true from inside the api process: starts the outbox indexer of module
 * search-indexer ({@code io.nomadstays.index}) when the application is ready, stops it on shutdown,
 * loads the shipped exchange rates into an empty table, and reports the indexer's state as the
 * {@code searchIndexer} health component and {@code nomad.search.indexer.*} metrics.
 * See docs/search-indexing.md.
 */
package io.nomadstays.indexing;
