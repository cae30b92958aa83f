/**
 * The ledger schema, PostgreSQL 15 dialect (runs unchanged on PGlite). What must never happen is
 * enforced here, not only in code: overlapping live blocks (EXCLUDE … USING gist), changing a
 * retired, cancelled or superseded block, deleting anything, rewriting the event log.
 */
export const ledger001 = `
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

-- Ledger rule violations raise SQLSTATE UC001; the code maps it to LEDGER_RULE_VIOLATION.
CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on % is not allowed: the registry ledger is append-only', TG_OP, TG_TABLE_NAME USING ERRCODE = 'UC001';
END $$;

CREATE TABLE events (
  seq bigserial PRIMARY KEY,
  type text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  idempotency_key text,
  payload jsonb NOT NULL
);
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

CREATE TABLE idempotency (
  key text PRIMARY KEY,
  command text NOT NULL,
  body_hash text NOT NULL,
  result jsonb NOT NULL,
  event_seq bigint REFERENCES events(seq),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER idempotency_immutable BEFORE UPDATE OR DELETE ON idempotency FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE accounts (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._:-]{1,128}$'),
  holder_id text NOT NULL,
  holder_name text NOT NULL,
  holder jsonb NOT NULL,
  created_event bigint NOT NULL REFERENCES events(seq)
);
CREATE TRIGGER accounts_immutable BEFORE UPDATE OR DELETE ON accounts FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE status_lists (
  id serial PRIMARY KEY,
  url text NOT NULL UNIQUE,
  purpose text NOT NULL DEFAULT 'revocation' CHECK (purpose = 'revocation'),
  size integer NOT NULL CHECK (size >= 131072 AND size % 8 = 0),
  allocated integer NOT NULL DEFAULT 0 CHECK (allocated >= 0 AND allocated <= size),
  bits bytea NOT NULL,
  version integer NOT NULL DEFAULT 1,
  credential jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (octet_length(bits) * 8 = size)
);
CREATE TRIGGER status_lists_kept BEFORE DELETE ON status_lists FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- One row per index ever handed out: an index is never reused (no delete, no update).
CREATE TABLE status_allocations (
  list_id integer NOT NULL REFERENCES status_lists(id),
  idx integer NOT NULL CHECK (idx >= 0),
  credential_id text NOT NULL UNIQUE,
  PRIMARY KEY (list_id, idx)
);
CREATE TRIGGER status_allocations_immutable BEFORE UPDATE OR DELETE ON status_allocations FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE credentials (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('issuance', 'retirement')),
  jws text NOT NULL,
  digest text NOT NULL,
  list_id integer NOT NULL,
  idx integer NOT NULL,
  created_event bigint NOT NULL REFERENCES events(seq),
  revoked_event bigint REFERENCES events(seq),
  FOREIGN KEY (list_id, idx) REFERENCES status_allocations(list_id, idx),
  UNIQUE (list_id, idx)
);
CREATE FUNCTION credentials_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'credential % is never deleted', OLD.id USING ERRCODE = 'UC001'; END IF;
  IF OLD.revoked_event IS NULL AND NEW.revoked_event IS NOT NULL
     AND (NEW.id, NEW.kind, NEW.jws, NEW.digest, NEW.list_id, NEW.idx, NEW.created_event) = (OLD.id, OLD.kind, OLD.jws, OLD.digest, OLD.list_id, OLD.idx, OLD.created_event) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'credential % cannot change (only revoke, once)', OLD.id USING ERRCODE = 'UC001';
END $$;
CREATE TRIGGER credentials_guard BEFORE UPDATE OR DELETE ON credentials FOR EACH ROW EXECUTE FUNCTION credentials_guard();

CREATE TABLE issuances (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._:-]{1,128}$'),
  prefix text NOT NULL CHECK (prefix <> ''),
  serial_start bigint NOT NULL CHECK (serial_start >= 0),
  serial_end bigint NOT NULL CHECK (serial_end >= serial_start AND serial_end <= 9007199254740991),
  quantity bigint GENERATED ALWAYS AS (serial_end - serial_start + 1) STORED,
  initial_holder text NOT NULL REFERENCES accounts(id),
  credential_id text NOT NULL UNIQUE REFERENCES credentials(id),
  replaces text UNIQUE REFERENCES issuances(id),
  details jsonb NOT NULL,
  created_event bigint NOT NULL REFERENCES events(seq)
);
CREATE TRIGGER issuances_immutable BEFORE UPDATE OR DELETE ON issuances FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE retirements (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._:-]{1,128}$'),
  account_id text NOT NULL REFERENCES accounts(id),
  quantity bigint NOT NULL CHECK (quantity > 0),
  details jsonb NOT NULL,
  credential_id text NOT NULL UNIQUE REFERENCES credentials(id),
  -- Amendments form a chain: each retirement is amended at most once; blocks point at the original.
  original_id text NOT NULL REFERENCES retirements(id),
  replaces text UNIQUE REFERENCES retirements(id),
  invalidated_event bigint REFERENCES events(seq),
  created_event bigint NOT NULL REFERENCES events(seq),
  CHECK ((replaces IS NULL) = (original_id = id))
);
CREATE FUNCTION retirements_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'retirement % is never deleted', OLD.id USING ERRCODE = 'UC001'; END IF;
  IF OLD.invalidated_event IS NULL AND NEW.invalidated_event IS NOT NULL
     AND (NEW.id, NEW.account_id, NEW.quantity, NEW.details, NEW.credential_id, NEW.original_id, NEW.created_event) = (OLD.id, OLD.account_id, OLD.quantity, OLD.details, OLD.credential_id, OLD.original_id, OLD.created_event)
     AND NEW.replaces IS NOT DISTINCT FROM OLD.replaces THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'retirement % cannot change (only be invalidated, once)', OLD.id USING ERRCODE = 'UC001';
END $$;
CREATE TRIGGER retirements_guard BEFORE UPDATE OR DELETE ON retirements FOR EACH ROW EXECUTE FUNCTION retirements_guard();

-- The ledger proper: each issuance's serial range is partitioned into live blocks. A move or split
-- supersedes a block (live = false) and inserts its parts; superseded rows stay as history.
CREATE TABLE blocks (
  id bigserial PRIMARY KEY,
  issuance_id text NOT NULL REFERENCES issuances(id),
  prefix text NOT NULL,
  serial_start bigint NOT NULL,
  serial_end bigint NOT NULL,
  quantity bigint GENERATED ALWAYS AS (serial_end - serial_start + 1) STORED,
  serials int8range GENERATED ALWAYS AS (int8range(serial_start, serial_end, '[]')) STORED,
  holder text NOT NULL REFERENCES accounts(id),
  state text NOT NULL CHECK (state IN ('tradable', 'suspended', 'retired', 'cancelled', 'invalidated')),
  retirement_id text REFERENCES retirements(id),
  live boolean NOT NULL DEFAULT true,
  parent_id bigint REFERENCES blocks(id),
  created_event bigint NOT NULL REFERENCES events(seq),
  superseded_event bigint REFERENCES events(seq),
  CHECK (serial_end >= serial_start),
  CHECK ((state IN ('retired', 'invalidated')) = (retirement_id IS NOT NULL)),
  CHECK (live OR state IN ('tradable', 'suspended')),
  CHECK (live = (superseded_event IS NULL)),
  -- No serial is in two live blocks of one namespace (cancelled blocks may be reissued by a correction).
  CONSTRAINT blocks_no_overlap EXCLUDE USING gist (prefix WITH =, serials WITH &&) WHERE (live AND state <> 'cancelled')
);
CREATE INDEX blocks_holder ON blocks (holder, state) WHERE live;
CREATE INDEX blocks_issuance ON blocks (issuance_id) WHERE live;
CREATE INDEX blocks_retirement ON blocks (retirement_id) WHERE retirement_id IS NOT NULL;
CREATE INDEX blocks_serials ON blocks USING gist (prefix, serials);

CREATE FUNCTION blocks_insert_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE i issuances%ROWTYPE;
BEGIN
  SELECT * INTO i FROM issuances WHERE id = NEW.issuance_id;
  IF NOT FOUND OR NEW.prefix <> i.prefix OR NEW.serial_start < i.serial_start OR NEW.serial_end > i.serial_end THEN
    RAISE EXCEPTION 'block %..% lies outside issuance %', NEW.serial_start, NEW.serial_end, NEW.issuance_id USING ERRCODE = 'UC001';
  END IF;
  IF NOT NEW.live THEN RAISE EXCEPTION 'a block is inserted live' USING ERRCODE = 'UC001'; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER blocks_insert_guard BEFORE INSERT ON blocks FOR EACH ROW EXECUTE FUNCTION blocks_insert_guard();

CREATE FUNCTION blocks_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'block % is never deleted', OLD.id USING ERRCODE = 'UC001'; END IF;
  IF (NEW.id, NEW.issuance_id, NEW.prefix, NEW.serial_start, NEW.serial_end, NEW.holder, NEW.created_event)
       IS DISTINCT FROM (OLD.id, OLD.issuance_id, OLD.prefix, OLD.serial_start, OLD.serial_end, OLD.holder, OLD.created_event)
     OR NEW.retirement_id IS DISTINCT FROM OLD.retirement_id OR NEW.parent_id IS DISTINCT FROM OLD.parent_id THEN
    RAISE EXCEPTION 'block %: serials, holder and lineage never change', OLD.id USING ERRCODE = 'UC001';
  END IF;
  -- A tradable or suspended block may be superseded (moved, split) exactly once.
  IF OLD.live AND NOT NEW.live AND OLD.state IN ('tradable', 'suspended') AND NEW.state = OLD.state THEN RETURN NEW; END IF;
  -- A retired block may only be invalidated (a separate event with a reason); it never moves again.
  IF OLD.live AND NEW.live AND OLD.state = 'retired' AND NEW.state = 'invalidated' AND NEW.superseded_event IS NULL THEN RETURN NEW; END IF;
  RAISE EXCEPTION 'block % (%, live=%) cannot become % (live=%)', OLD.id, OLD.state, OLD.live, NEW.state, NEW.live USING ERRCODE = 'UC001';
END $$;
CREATE TRIGGER blocks_guard BEFORE UPDATE OR DELETE ON blocks FOR EACH ROW EXECUTE FUNCTION blocks_guard();
CREATE TRIGGER blocks_no_truncate BEFORE TRUNCATE ON blocks FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

CREATE TABLE cancellations (
  id bigserial PRIMARY KEY,
  issuance_id text NOT NULL REFERENCES issuances(id),
  serial_start bigint NOT NULL,
  serial_end bigint NOT NULL,
  reason text NOT NULL CHECK (reason <> ''),
  event_seq bigint NOT NULL REFERENCES events(seq)
);
CREATE TRIGGER cancellations_immutable BEFORE UPDATE OR DELETE ON cancellations FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE invalidations (
  retirement_id text PRIMARY KEY REFERENCES retirements(id),
  reason text NOT NULL CHECK (reason <> ''),
  event_seq bigint NOT NULL REFERENCES events(seq)
);
CREATE TRIGGER invalidations_immutable BEFORE UPDATE OR DELETE ON invalidations FOR EACH ROW EXECUTE FUNCTION forbid_change();
`;
