/**
 * The write path under the transparency log, without a global queue.
 *
 * - `log_outbox.pending`: true until the sequencer has given the entry its log index. The only
 *   change the outbox allows (a trigger refuses any other, and turning it back), so the sequencer
 *   finds the pending entries through a small partial index instead of an anti-join with the
 *   whole log. Entries already logged are marked so here.
 * - `log_checkpoints.signed_at` is the time of the insert (after signing), not of the
 *   sequencer's transaction start, so commit→checkpoint latency can be read from it.
 * - `issued_total`: one row holding the sum of every issuance, raised by each issuance as the last
 *   statement before it commits (after signing), under a check that it stays ≤ 2^53 − 1. It
 *   replaces an advisory lock every issuance held for its whole transaction: the row is locked
 *   only from that statement to the commit.
 */
export const logWrites007 = `
DROP TRIGGER log_outbox_append_only ON log_outbox;
ALTER TABLE log_outbox ADD COLUMN pending boolean NOT NULL DEFAULT true;
UPDATE log_outbox o SET pending = false WHERE EXISTS (SELECT 1 FROM log_entries e WHERE e.outbox_id = o.id);
CREATE FUNCTION log_outbox_mark_logged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.pending AND NOT NEW.pending AND NEW.id = OLD.id AND NEW.event_seq = OLD.event_seq
     AND NEW.part = OLD.part AND NEW.entry = OLD.entry THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% on % is not allowed: the registry ledger is append-only', TG_OP, TG_TABLE_NAME USING ERRCODE = 'UC001';
END $$;
CREATE TRIGGER log_outbox_append_only BEFORE UPDATE OR DELETE ON log_outbox FOR EACH ROW EXECUTE FUNCTION log_outbox_mark_logged();
CREATE INDEX log_outbox_pending ON log_outbox (event_seq, part) WHERE pending;

ALTER TABLE log_checkpoints ALTER COLUMN signed_at SET DEFAULT clock_timestamp();

CREATE TABLE issued_total (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  total bigint NOT NULL CHECK (total >= 0 AND total <= 9007199254740991)
);
INSERT INTO issued_total (total) SELECT COALESCE(SUM(serial_end - serial_start + 1), 0) FROM issuances;
`;
