-- Search indexing (docs/search-indexing.md): the outbox learns which transaction wrote each event,
-- and full reindex runs are recorded so that a crashed run can resume.

-- The writing transaction's id. Document versions in Elasticsearch are these transaction ids,
-- not event ids: ids come from a sequence and are handed out before commit, so a transaction
-- holding a lower id can commit after one holding a higher id, and an id-versioned document
-- would then refuse the later change. The indexer only takes events whose transaction and every
-- older one have ended (txid < xmin of the current snapshot), so "version t" means "every change
-- of a transaction <= t is in this document". The default fills it for every writer (Outbox,
-- COPY in the demo generator) without code changes; existing rows get the migration's id.
ALTER TABLE outbox_event ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id();

-- A document Elasticsearch refuses (other than a version conflict) leaves its events pending with
-- a later retry_at, doubling per attempt, so one bad document cannot hold up the rest.
ALTER TABLE outbox_event ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE outbox_event ADD COLUMN retry_at timestamptz;

-- Replay after a full reindex reads events by txid; pruning reads processed events by age.
CREATE INDEX outbox_event_txid_idx ON outbox_event (txid);
CREATE INDEX outbox_event_processed_idx ON outbox_event (processed_at) WHERE processed_at IS NOT NULL;

-- One row per full reindex into a new concrete index. RUNNING rows whose process is gone (no
-- session holds the alias's reindex advisory lock) are resumed from last_unit_id.
CREATE TABLE search_reindex_run (
    id             bigserial   PRIMARY KEY,
    alias          text        NOT NULL,
    index_name     text        NOT NULL UNIQUE,
    -- xmin of the snapshot the run started from: every document is written with version
    -- snapshot_txid - 1, and outbox events with txid >= snapshot_txid are replayed into the new index.
    snapshot_txid  xid8        NOT NULL,
    last_unit_id   uuid,
    units_indexed  bigint      NOT NULL DEFAULT 0,
    status         text        NOT NULL CHECK (status IN ('RUNNING', 'DONE', 'ABANDONED')),
    started_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz
);
CREATE UNIQUE INDEX search_reindex_run_running_idx ON search_reindex_run (alias) WHERE status = 'RUNNING';
