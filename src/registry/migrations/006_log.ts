/**
 * The transparency log (docs/transparency-log.md). Each command writes its log entries into
 * `log_outbox` in its own transaction; one sequencer at a time (the holder of an advisory lock)
 * gives them log indices in commit order (`log_entries`), stores the hashes of the tree's tiles
 * (`log_hashes`: the complete subtrees at levels 0, 8, 16, …) and the signed checkpoints. Every
 * table is append-only, like the events table. `log_meta.backfill_through` is the last event
 * written before this migration: those events get their entries from the sequencer once; any
 * later event without an entry was not written by a command.
 */
export const log006 = `
CREATE TABLE log_outbox (
  id bigserial PRIMARY KEY,
  event_seq bigint NOT NULL REFERENCES events(seq),
  part integer NOT NULL CHECK (part >= 0),
  entry bytea NOT NULL CHECK (octet_length(entry) < 65535),
  UNIQUE (event_seq, part)
);
CREATE TRIGGER log_outbox_append_only BEFORE UPDATE OR DELETE ON log_outbox FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER log_outbox_no_truncate BEFORE TRUNCATE ON log_outbox FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

CREATE TABLE log_entries (
  idx bigint PRIMARY KEY CHECK (idx >= 0),
  outbox_id bigint NOT NULL UNIQUE REFERENCES log_outbox(id),
  event_seq bigint NOT NULL,
  part integer NOT NULL,
  entry bytea NOT NULL,
  UNIQUE (event_seq, part)
);
CREATE TRIGGER log_entries_append_only BEFORE UPDATE OR DELETE ON log_entries FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER log_entries_no_truncate BEFORE TRUNCATE ON log_entries FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

CREATE TABLE log_hashes (
  level smallint NOT NULL CHECK (level >= 0 AND level % 8 = 0),
  idx bigint NOT NULL CHECK (idx >= 0),
  hash bytea NOT NULL CHECK (octet_length(hash) = 32),
  PRIMARY KEY (level, idx)
);
CREATE TRIGGER log_hashes_append_only BEFORE UPDATE OR DELETE ON log_hashes FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER log_hashes_no_truncate BEFORE TRUNCATE ON log_hashes FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

-- One row per signed checkpoint; edge = the compact range (right-edge hashes) to resume appending.
CREATE TABLE log_checkpoints (
  size bigint PRIMARY KEY CHECK (size >= 0),
  root bytea NOT NULL CHECK (octet_length(root) = 32),
  edge bytea NOT NULL,
  note text NOT NULL,
  signed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER log_checkpoints_append_only BEFORE UPDATE OR DELETE ON log_checkpoints FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER log_checkpoints_no_truncate BEFORE TRUNCATE ON log_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

CREATE TABLE log_meta (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  backfill_through bigint NOT NULL
);
INSERT INTO log_meta (backfill_through) SELECT COALESCE(MAX(seq), 0) FROM events;
CREATE TRIGGER log_meta_immutable BEFORE UPDATE OR DELETE ON log_meta FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- What an entry is built from, looked up by event.
CREATE INDEX blocks_created_event ON blocks (created_event);
CREATE INDEX blocks_superseded_event ON blocks (superseded_event) WHERE superseded_event IS NOT NULL;
CREATE INDEX credentials_created_event ON credentials (created_event);
CREATE INDEX credentials_revoked_event ON credentials (revoked_event) WHERE revoked_event IS NOT NULL;

-- The log key (an Ed25519 key of its own, never an assertion key of the DID).
ALTER TABLE server_identity ADD COLUMN log_key jsonb;
`;
