// The log entries of ledger events, built from the database alone (the event row, the blocks it
// created or superseded, the credentials it signed or revoked), so that the entries written by a
// command and those recomputed later from the same rows are the same bytes. No personal data:
// account holders, reasons and credential contents appear only as digests (the credential by its
// digestMultibase, which covers withheld fields only as their commitments).
import { eventEntries, jsonDigestMultibase } from '../../log/index.js';
import type { Queryable } from '../db.js';

/** Payload members copied as they are: ids and quantities, never names or free text. */
const PLAIN_MEMBERS = [
  'accountId',
  'account',
  'from',
  'to',
  'issuanceId',
  'newIssuanceId',
  'retirementId',
  'replaces',
  'original',
  'quantity',
] as const;

/** Payload members that may hold personal data or free text: logged as digests. */
const DIGESTED_MEMBERS = { holder: 'holderDigest', reason: 'reasonDigest' } as const;

/** A block an event touched, as the log records it. */
export interface LoggedBlock {
  issuanceId: string;
  prefix: string;
  start: number;
  end: number;
  holder: string;
  /** 'superseded' for a block the event moved or split away; the state it was created in otherwise. */
  state: string;
}

/**
 * What an event's entries are made of: the event, the blocks it superseded (by block id) and
 * created (in insert order, which is block id order), the first credential it signed (by id) and
 * the credentials it revoked (by id). Ids are compared by code unit (COLLATE "C" in SQL).
 */
export interface EventFacts {
  seq: number;
  type: string;
  /** ISO 8601. */
  at: string;
  payload: Record<string, unknown>;
  superseded: LoggedBlock[];
  created: LoggedBlock[];
  credential?: { id: string; digest: string };
  revoked: string[];
}

/** The entries of one event (part 0 first): the one function both the commands and the history check use. */
export function entriesOfEvent(facts: EventFacts): Uint8Array[] {
  const entry: Record<string, unknown> = { seq: facts.seq, type: facts.type, at: facts.at };
  for (const member of PLAIN_MEMBERS) {
    const value = facts.payload[member];
    if (typeof value === 'string' || typeof value === 'number') entry[member] = value;
  }
  for (const [member, digested] of Object.entries(DIGESTED_MEMBERS)) {
    if (facts.payload[member] !== undefined) entry[digested] = jsonDigestMultibase(facts.payload[member]);
  }
  if (facts.credential) {
    entry.credentialId = facts.credential.id;
    entry.credentialDigest = facts.credential.digest;
  }
  if (facts.revoked.length > 0) entry.revoked = facts.revoked;
  // The blocks it superseded (moved or split away), then those it created, each as it was made:
  // an invalidation later turns a retired block into an invalidated one in place, which its
  // own entry records, so a created block is logged with its state at creation.
  const touched = [...facts.superseded, ...facts.created];
  if (touched.length > 0) entry.blocks = touched.map((b) => ({ ...b }));
  return eventEntries(entry);
}

/** Code-unit order, as COLLATE "C" sorts. */
export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface EventRow {
  seq: unknown;
  type: string;
  at: Date | string;
  payload: Record<string, unknown>;
}

/**
 * The entries of each event in `seqs` (seq → entries, part 0 first), recomputed from the database
 * (the history check at start, and events written before the log). Events not found are absent.
 */
export async function eventLogEntries(q: Queryable, seqs: readonly number[]): Promise<Map<number, Uint8Array[]>> {
  const out = new Map<number, Uint8Array[]>();
  if (seqs.length === 0) return out;
  const ids = [...seqs];
  // One after the other: inside a transaction the queries share one connection.
  const events = await q.query<EventRow>('SELECT seq, type, at, payload FROM events WHERE seq = ANY($1::bigint[])', [
    ids,
  ]);
  const blocks = await q.query<Record<string, unknown>>(
    `SELECT created_event, superseded_event, issuance_id, prefix, serial_start, serial_end, holder, state, id
         FROM blocks WHERE created_event = ANY($1::bigint[]) OR superseded_event = ANY($1::bigint[]) ORDER BY id`,
    [ids],
  );
  const created = await q.query<{ created_event: unknown; id: string; digest: string }>(
    'SELECT created_event, id, digest FROM credentials WHERE created_event = ANY($1::bigint[]) ORDER BY id COLLATE "C"',
    [ids],
  );
  const revoked = await q.query<{ revoked_event: unknown; id: string }>(
    'SELECT revoked_event, id FROM credentials WHERE revoked_event = ANY($1::bigint[]) ORDER BY id COLLATE "C"',
    [ids],
  );
  const byEvent = <T>(rows: T[], seqOf: (row: T) => unknown): Map<number, T[]> => {
    const map = new Map<number, T[]>();
    for (const row of rows) {
      const seq = seqOf(row);
      if (seq === null || seq === undefined) continue;
      const list = map.get(num(seq)) ?? [];
      list.push(row);
      map.set(num(seq), list);
    }
    return map;
  };
  const createdBlocks = byEvent(blocks.rows, (b) => b.created_event);
  const supersededBlocks = byEvent(blocks.rows, (b) => b.superseded_event);
  const signed = byEvent(created.rows, (c) => c.created_event);
  const revokedBy = byEvent(revoked.rows, (c) => c.revoked_event);
  for (const row of events.rows) {
    const seq = num(row.seq);
    const credential = signed.get(seq)?.[0];
    out.set(
      seq,
      entriesOfEvent({
        seq,
        type: row.type,
        at: new Date(row.at).toISOString(),
        payload: row.payload,
        superseded: (supersededBlocks.get(seq) ?? []).map((b) => blockOf(b, 'superseded')),
        created: (createdBlocks.get(seq) ?? []).map((b) =>
          blockOf(b, b.state === 'invalidated' ? 'retired' : String(b.state)),
        ),
        ...(credential ? { credential: { id: credential.id, digest: credential.digest } } : {}),
        revoked: revokedBy.get(seq)?.map((c) => c.id) ?? [],
      }),
    );
  }
  return out;
}

function blockOf(row: Record<string, unknown>, state: string): LoggedBlock {
  return {
    issuanceId: String(row.issuance_id),
    prefix: String(row.prefix),
    start: num(row.serial_start),
    end: num(row.serial_end),
    holder: String(row.holder),
    state,
  };
}

/** Bigint columns arrive as number (PGlite) or string (pg). */
function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}
