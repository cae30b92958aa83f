import type { ErrorCode } from '../errors/catalogue.js';
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { digestMultibase } from '../lib/digest.js';
import { UntpCreditsError } from '../errors.js';
import { type EnvelopedCredential } from '../secure/jose/sign.js';
import { VC_JWT_PREFIX } from '../lib/envelope.js';
import {
  buildStatusListCredential,
  emptyBitstring,
  MIN_STATUS_LIST_SIZE,
  setBit,
  statusEntry,
  type StatusListEntry,
} from '../status/bitstring.js';
import type { Queryable } from './db.js';
import { journalCredential, journalEvent, journalRevoked, journalSeqs, openJournal } from './log/journal.js';
import { outboxInsertCte, outboxRows } from './log/outbox.js';
import type { AccountReference, Credential, EventRecord, RegistryOptions } from './types.js';

/** Internal: what every command receives. */
export interface Ledger {
  options: RegistryOptions;
  now(): Date;
  /** Called after a command that appended events has committed (wakes the log's sequencer). */
  committed(): void;
}

export function ledgerOf(options: RegistryOptions, committed: () => void = () => undefined): Ledger {
  return { options, now: () => (options.clock ?? (() => new Date()))(), committed };
}

/** Statements each open command transaction runs last, just before it commits (see beforeCommit). */
const lastStatements = new WeakMap<Queryable, Array<() => Promise<void>>>();

/**
 * Runs `statement` as the command's last statement before commit (after signing, the outbox and
 * the idempotency record), so a row shared across accounts that it locks (the issued total) stays
 * locked only for the commit itself.
 */
export function beforeCommit(tx: Queryable, statement: () => Promise<void>): void {
  const list = lastStatements.get(tx);
  if (!list) throw new UntpCreditsError('INTERNAL_ERROR', 'beforeCommit outside a command');
  list.push(statement);
}

export function baseUrl(ledger: Ledger): string {
  return ledger.options.baseUrl.replace(/\/+$/, '');
}

/** Bigint columns arrive as number (PGlite) or string (pg); ledger values stay below 2^53. */
export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** Deterministic JSON (sorted keys) for hashing command bodies. */
export function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}

/** Maps database refusals to stable codes; everything else passes through. */
export function mapDatabaseError(error: unknown): unknown {
  if (error instanceof UntpCreditsError) return error;
  const { code, message, constraint } = error as { code?: string; message?: string; constraint?: string };
  if (code === '23P01') {
    return new UntpCreditsError(
      'SERIALS_OVERLAP',
      `the database refused overlapping live serial blocks (${constraint ?? 'exclusion constraint'})`,
      { cause: error, path: '/start' },
    );
  }
  if (code === 'UC001')
    return new UntpCreditsError('LEDGER_RULE_VIOLATION', message ?? 'ledger rule violated', { cause: error });
  // A concurrent command created the same id first.
  if (code === '23505')
    return new UntpCreditsError('ALREADY_EXISTS', `${message ?? 'duplicate key'}; retry to see the current state`, {
      cause: error,
      details: { constraint },
    });
  return error;
}

/**
 * Runs one command: one transaction, idempotent by `key`. The same key with the same body returns
 * the stored result; with another body it fails with IDEMPOTENCY_KEY_REUSED. Failed commands store
 * nothing, so their key may be retried.
 */
export async function runCommand<T>(
  ledger: Ledger,
  command: string,
  key: string,
  body: unknown,
  fn: (tx: Queryable, reserved: StatusReservation[]) => Promise<T>,
  options: { credentials?: number } = {},
): Promise<T> {
  if (typeof key !== 'string' || key.length === 0 || key.length > 200) {
    throw new UntpCreditsError('IDEMPOTENCY_KEY_INVALID', 'every command needs an idempotency key (1–200 characters)', {
      path: '/key',
    });
  }
  const bodyHash = createHash('sha256').update(stableJson({ command, body })).digest('hex');
  try {
    // Status indexes for the credentials the command signs are reserved first, each in its own
    // short transaction (see reserveStatus); a replay of a stored result reserves none.
    const reserved: StatusReservation[] = [];
    if ((options.credentials ?? 0) > 0) {
      const stored = await ledger.options.db.query('SELECT 1 FROM idempotency WHERE key = $1', [key]);
      if (stored.rowCount === 0)
        for (let i = 0; i < options.credentials!; i++) reserved.push(await reserveStatus(ledger));
    }
    let appended = false;
    const result = await ledger.options.db.transaction(async (tx) => {
      // Same-key commands run one after the other, so a replay sees the first one's result.
      // Per schema, like every advisory lock here (they are database-wide).
      await tx.query('SELECT pg_advisory_xact_lock(hashtext(current_schema() || $1))', [`:untp-credits:${key}`]);
      const { rows } = await tx.query<{ command: string; body_hash: string; result: T }>(
        'SELECT command, body_hash, result FROM idempotency WHERE key = $1',
        [key],
      );
      const stored = rows[0];
      if (stored) {
        if (stored.body_hash !== bodyHash) {
          throw new UntpCreditsError(
            'IDEMPOTENCY_KEY_REUSED',
            `idempotency key ${key} was used for a different ${stored.command === command ? 'body' : `command (${stored.command})`}`,
            { path: '/key', details: { key, command: stored.command } },
          );
        }
        return stored.result;
      }
      openJournal(tx);
      lastStatements.set(tx, []);
      const result = await fn(tx, reserved);
      // The command's log entries go into the outbox in its own transaction, built from what it
      // wrote: the sequencer gives them their indices after commit, so no write waits on the log's
      // tail. They ride in one statement with the idempotency record (no extra round trip).
      const seqs = journalSeqs(tx);
      const outbox = await outboxRows(tx, seqs);
      appended = seqs.length > 0;
      const event = (result as { event?: EventRecord }).event;
      await tx.query(
        `WITH outbox AS (${outboxInsertCte(6)})
         INSERT INTO idempotency (key, command, body_hash, result, event_seq) VALUES ($1, $2, $3, $4::jsonb, $5)`,
        [
          key,
          command,
          bodyHash,
          JSON.stringify(result),
          event?.seq ?? null,
          outbox.map((r) => r.seq),
          outbox.map((r) => r.part),
          outbox.map((r) => r.hex),
        ],
      );
      for (const statement of lastStatements.get(tx) ?? []) await statement();
      return result;
    });
    if (appended) ledger.committed();
    return result;
  } catch (error) {
    throw mapDatabaseError(error);
  }
}

/** Appends one event (never updated or deleted: a trigger refuses). */
export async function appendEvent(
  tx: Queryable,
  ledger: Ledger,
  type: string,
  key: string | null,
  payload: Record<string, unknown>,
): Promise<EventRecord> {
  const at = ledger.now();
  const { rows } = await tx.query<{ seq: unknown }>(
    'INSERT INTO events (type, at, idempotency_key, payload) VALUES ($1, $2, $3, $4::jsonb) RETURNING seq',
    [type, at.toISOString(), key, JSON.stringify(payload)],
  );
  const event = { seq: num(rows[0]?.seq), type, at: at.toISOString(), payload };
  journalEvent(tx, event);
  return event;
}

export async function accountRef(
  tx: Queryable,
  ledger: Ledger,
  accountId: string,
  path: string,
): Promise<AccountReference> {
  if (typeof accountId !== 'string' || accountId === '')
    throw new UntpCreditsError('ACCOUNT_REQUIRED', 'an account id is required', { path });
  const { rows } = await tx.query<{ id: string; holder: AccountReference['holder'] }>(
    'SELECT id, holder FROM accounts WHERE id = $1',
    [accountId],
  );
  const row = rows[0];
  if (!row)
    throw new UntpCreditsError('ACCOUNT_NOT_FOUND', `account ${accountId} does not exist`, {
      path,
      details: { account: accountId },
    });
  return { id: `${baseUrl(ledger)}/accounts/${encodeURIComponent(row.id)}`, accountId: row.id, holder: row.holder };
}

export function newCredentialId(ledger: Ledger): string {
  return `${baseUrl(ledger)}/credentials/${randomUUID()}`;
}

function jwsOfEnvelope(enveloped: EnvelopedCredential): string {
  if (typeof enveloped?.id !== 'string' || !enveloped.id.startsWith(VC_JWT_PREFIX)) {
    throw new UntpCreditsError(
      'SIGNING_FAILED',
      `the signing step must return an EnvelopedVerifiableCredential (${VC_JWT_PREFIX}…)`,
    );
  }
  return enveloped.id.slice(VC_JWT_PREFIX.length);
}

/** A credential id with the status index reserved for it before the command's transaction. */
export interface StatusReservation extends StatusListEntry {
  credentialId: string;
  listId: number;
}

/** The reservation runCommand made for a command that signs a credential. */
export function requireReservation(reservation: StatusReservation | undefined): StatusReservation {
  if (!reservation)
    throw new UntpCreditsError('STATUS_LIST_UNAVAILABLE', 'no status index was reserved for the credential');
  return reservation;
}

// Held only while a new status list is opened (once per half a list of credentials), so that
// concurrent writes open one list, not several.
const STATUS_LIST_OPENING_LOCK = ':untp-credits:status-list-opening';

/**
 * Reserves a never-used random index for a new credential, in a short transaction of its own
 * (before the command's), so no status-list row stays locked while the command validates, builds
 * and signs: concurrent writes of different accounts only meet here for a few statements. A
 * command that then fails leaves its index unused for ever (its bit stays 0; never handed out
 * again), which costs nothing but an index; `allocated` always equals the rows of
 * status_allocations.
 */
export async function reserveStatus(ledger: Ledger): Promise<StatusReservation> {
  const credentialId = newCredentialId(ledger);
  return ledger.options.db.transaction(async (tx) => {
    // Lists are filled to half at most, so a random probe finds a free index in ~2 tries. The
    // condition is repeated in the UPDATE so a concurrent bump is re-checked (READ COMMITTED).
    const pick = () =>
      tx.query<{ id: number; url: string; size: number }>(
        `UPDATE status_lists SET allocated = allocated + 1
           WHERE id = (SELECT id FROM status_lists WHERE allocated * 2 < size ORDER BY id LIMIT 1) AND allocated * 2 < size
           RETURNING id, url, size`,
      );
    let list = (await pick()).rows[0];
    if (!list) {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext(current_schema() || $1))', [STATUS_LIST_OPENING_LOCK]);
      list = (await pick()).rows[0];
      if (!list) {
        await createStatusList(tx, ledger);
        list = (await pick()).rows[0];
      }
      if (!list) throw new UntpCreditsError('STATUS_LIST_UNAVAILABLE', 'could not open a status list');
    }
    for (;;) {
      const index = randomInt(num(list.size));
      const inserted = await tx.query(
        'INSERT INTO status_allocations (list_id, idx, credential_id) VALUES ($1, $2, $3) ON CONFLICT (list_id, idx) DO NOTHING RETURNING idx',
        [list.id, index, credentialId],
      );
      if (inserted.rowCount === 1) return { ...statusEntry(list.url, index), listId: num(list.id), credentialId };
    }
  });
}

async function createStatusList(tx: Queryable, ledger: Ledger): Promise<number> {
  const size = ledger.options.statusListSize ?? MIN_STATUS_LIST_SIZE;
  const bits = emptyBitstring(size);
  const { rows } = await tx.query<{ id: number }>(
    "INSERT INTO status_lists (url, size, bits, credential) VALUES ($1, $2, $3, '{}'::jsonb) RETURNING id",
    [`pending:${randomUUID()}`, size, Buffer.from(bits)],
  );
  const id = num(rows[0]?.id);
  const url = `${baseUrl(ledger)}/status/${id}`;
  const credential = await signStatusList(ledger, url, bits);
  await tx.query('UPDATE status_lists SET url = $2, credential = $3::jsonb WHERE id = $1', [
    id,
    url,
    JSON.stringify(credential),
  ]);
  return id;
}

async function signStatusList(ledger: Ledger, url: string, bits: Uint8Array): Promise<EnvelopedCredential> {
  const unsigned = buildStatusListCredential({
    url,
    issuer: ledger.options.issuer.id,
    bits,
    validFrom: ledger.now().toISOString(),
  });
  return ledger.options.secure(unsigned);
}

/** Signs a built credential and stores it with its status allocation. */
export async function storeCredential(
  tx: Queryable,
  ledger: Ledger,
  input: {
    id: string;
    kind: 'issuance' | 'retirement' | 'allocation';
    credential: Credential;
    status: { listId: number; statusListIndex: number };
    eventSeq: number;
  },
): Promise<{ credential: EnvelopedCredential; jws: string; digestMultibase: string }> {
  const enveloped = await ledger.options.secure(input.credential);
  const jws = jwsOfEnvelope(enveloped);
  const digest = digestMultibase(jws);
  await tx.query(
    'INSERT INTO credentials (id, kind, jws, digest, list_id, idx, created_event) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [input.id, input.kind, jws, digest, input.status.listId, input.status.statusListIndex, input.eventSeq],
  );
  journalCredential(tx, input.eventSeq, { id: input.id, digest });
  return { credential: enveloped, jws, digestMultibase: digest };
}

/**
 * Revokes credentials: records the revoking event, sets their bits, re-signs each list touched
 * once, and returns the new status-list credentials. Already revoked credentials are skipped.
 */
export async function revokeCredentials(
  tx: Queryable,
  ledger: Ledger,
  credentialIds: readonly string[],
  eventSeq: number,
): Promise<{ revoked: string[]; statusLists: EnvelopedCredential[] }> {
  const byList = new Map<number, number[]>();
  const revoked: string[] = [];
  for (const id of credentialIds) {
    const { rows } = await tx.query<{ list_id: number; idx: number }>(
      'UPDATE credentials SET revoked_event = $2 WHERE id = $1 AND revoked_event IS NULL RETURNING list_id, idx',
      [id, eventSeq],
    );
    const row = rows[0];
    if (!row) continue;
    revoked.push(id);
    journalRevoked(tx, eventSeq, id);
    const list = byList.get(num(row.list_id)) ?? [];
    list.push(num(row.idx));
    byList.set(num(row.list_id), list);
  }
  const statusLists: EnvelopedCredential[] = [];
  for (const [listId, indices] of [...byList].sort(([a], [b]) => a - b)) {
    const { rows } = await tx.query<{ url: string; bits: Uint8Array }>(
      'SELECT url, bits FROM status_lists WHERE id = $1 FOR UPDATE',
      [listId],
    );
    const row = rows[0];
    if (!row) throw new UntpCreditsError('STATUS_LIST_UNAVAILABLE', `status list ${listId} is missing`);
    let bits: Uint8Array = new Uint8Array(row.bits);
    for (const index of indices) bits = setBit(bits, index);
    const credential = await signStatusList(ledger, row.url, bits);
    await tx.query(
      'UPDATE status_lists SET bits = $2, version = version + 1, credential = $3::jsonb, updated_at = now() WHERE id = $1',
      [listId, Buffer.from(bits), JSON.stringify(credential)],
    );
    statusLists.push(credential);
  }
  return { revoked, statusLists };
}

export function requireText(value: unknown, code: ErrorCode, path: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new UntpCreditsError(code, `${what} is required`, { path });
  return value;
}

/** The reason every administrative correction must carry (REASON_REQUIRED at /reason): "`what` needs a reason". */
export function requireReason(reason: unknown, what: string): string {
  if (typeof reason !== 'string' || reason.trim() === '')
    throw new UntpCreditsError('REASON_REQUIRED', `${what} needs a reason`, { path: '/reason' });
  return reason;
}

export const ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export function checkId(value: unknown, path: string, what: string): string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    throw new UntpCreditsError('ID_INVALID', `${what} must match ${ID_PATTERN} (got ${JSON.stringify(value)})`, {
      path,
    });
  }
  return value;
}
