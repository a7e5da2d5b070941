/** The transactional outbox of indexing events (docs/adr/0006). */
package io.nomadstays.outbox;
