// What a command's transaction wrote that its log entries name, kept as the command writes it
// (events, the blocks they superseded and created, the credentials they signed and revoked), so
// the outbox entry is built from data the command already holds instead of being read back. The
// history check at start recomputes the same entries from the stored rows (entries.ts) with the
// same function, and refuses to sign if any differs.
import type { Queryable } from '../db.js';
import { byCodeUnit, entriesOfEvent, type EventFacts, type LoggedBlock } from './entries.js';

interface Journal {
  events: Map<number, EventFacts & { supersededIds: number[] }>;
}

const journals = new WeakMap<Queryable, Journal>();

/** Starts recording for a command's transaction. */
export function openJournal(tx: Queryable): void {
  journals.set(tx, { events: new Map() });
}

/** The event seqs the transaction appended, in order. */
export function journalSeqs(tx: Queryable): number[] {
  return [...(journals.get(tx)?.events.keys() ?? [])];
}

export function journalEvent(
  tx: Queryable,
  event: { seq: number; type: string; at: string; payload: Record<string, unknown> },
): void {
  journals.get(tx)?.events.set(event.seq, {
    seq: event.seq,
    type: event.type,
    at: event.at,
    // As the database stores it (jsonb of its JSON text): what the history check reads back.
    payload: JSON.parse(JSON.stringify(event.payload)) as Record<string, unknown>,
    superseded: [],
    supersededIds: [],
    created: [],
    revoked: [],
  });
}

type BlockFacts = Omit<LoggedBlock, 'state'> & { state: string };

/** A block row the event inserted (call in insert order). */
export function journalCreatedBlock(tx: Queryable, eventSeq: number, block: BlockFacts): void {
  const facts = journals.get(tx)?.events.get(eventSeq);
  if (facts) facts.created.push(logged(block, block.state));
}

/** A block row the event superseded (`id`: the block's row id, which orders them). */
export function journalSupersededBlock(tx: Queryable, eventSeq: number, id: number, block: BlockFacts): void {
  const facts = journals.get(tx)?.events.get(eventSeq);
  if (!facts) return;
  let at = facts.supersededIds.findIndex((other) => other > id);
  if (at < 0) at = facts.supersededIds.length;
  facts.supersededIds.splice(at, 0, id);
  facts.superseded.splice(at, 0, logged(block, 'superseded'));
}

/** A credential the event signed (the entry names the first by id). */
export function journalCredential(tx: Queryable, eventSeq: number, credential: { id: string; digest: string }): void {
  const facts = journals.get(tx)?.events.get(eventSeq);
  if (!facts) return;
  if (!facts.credential || byCodeUnit(credential.id, facts.credential.id) < 0)
    facts.credential = { id: credential.id, digest: credential.digest };
}

/** A credential the event revoked. */
export function journalRevoked(tx: Queryable, eventSeq: number, credentialId: string): void {
  const facts = journals.get(tx)?.events.get(eventSeq);
  if (!facts) return;
  facts.revoked.push(credentialId);
  facts.revoked.sort(byCodeUnit);
}

/** The entries of the transaction's events (seq → entries); undefined for an event it did not record. */
export function journalEntries(tx: Queryable, seqs: readonly number[]): Map<number, Uint8Array[]> {
  const out = new Map<number, Uint8Array[]>();
  const journal = journals.get(tx);
  for (const seq of seqs) {
    const facts = journal?.events.get(seq);
    if (facts) out.set(seq, entriesOfEvent(facts));
  }
  return out;
}

function logged(block: BlockFacts, state: string): LoggedBlock {
  return {
    issuanceId: block.issuanceId,
    prefix: block.prefix,
    start: block.start,
    end: block.end,
    holder: block.holder,
    state,
  };
}
