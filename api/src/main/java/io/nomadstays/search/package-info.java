/**
 * {@code searchStays}: validated criteria become one Elasticsearch request against the
 * {@code stays} alias; results, facets and map clusters are answered from the index documents.
 * PostgreSQL stays the source of truth (see io.nomadstays.indexing and docs/search-document.md).
 */
package io.nomadstays.search;
