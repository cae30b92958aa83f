import type { Queryable } from '../db.js';
import { eventLogEntries } from './entries.js';
import { journalEntries } from './journal.js';

/**
 * Writes the log entries of these events (just appended, in this transaction) into the outbox:
 * built from what the command recorded as it wrote (journal.ts), in one statement; an event it
 * did not record (none today) is read back from the database.
 */
export async function writeOutbox(tx: Queryable, seqs: readonly number[]): Promise<void> {
  await insertOutbox(tx, await outboxRows(tx, seqs));
}

/** The outbox rows of these events (see writeOutbox), for a caller that inserts them with another statement. */
export async function outboxRows(
  tx: Queryable,
  seqs: readonly number[],
): Promise<{ seq: number; part: number; hex: string }[]> {
  if (seqs.length === 0) return [];
  const entries = journalEntries(tx, seqs);
  const unrecorded = seqs.filter((seq) => !entries.has(seq));
  if (unrecorded.length > 0) for (const [seq, e] of await eventLogEntries(tx, unrecorded)) entries.set(seq, e);
  const rows: { seq: number; part: number; hex: string }[] = [];
  for (const seq of seqs) {
    (entries.get(seq) ?? []).forEach((entry, part) =>
      rows.push({ seq, part, hex: Buffer.from(entry).toString('hex') }),
    );
  }
  return rows;
}

/** The outbox insert as a CTE over parameters $n, $n+1, $n+2 (event seqs, parts, hex entries). */
export function outboxInsertCte(n: number): string {
  return `INSERT INTO log_outbox (event_seq, part, entry)
       SELECT s, p, decode(h, 'hex') FROM unnest($${n}::bigint[], $${n + 1}::int[], $${n + 2}::text[]) AS t(s, p, h) ORDER BY s, p`;
}

export async function insertOutbox(
  tx: Queryable,
  rows: readonly { seq: number; part: number; hex: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO log_outbox (event_seq, part, entry)
       SELECT s, p, decode(h, 'hex') FROM unnest($1::bigint[], $2::int[], $3::text[]) AS t(s, p, h) ORDER BY s, p`,
    [rows.map((r) => r.seq), rows.map((r) => r.part), rows.map((r) => r.hex)],
  );
}
