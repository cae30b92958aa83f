// The one sequencer of the log: whichever process holds the log's advisory lock for a round takes
// every committed, not yet logged outbox entry (commit order: a row becomes visible when its
// command commits), appends them to the tree, stores the new tile hashes and signs ONE checkpoint
// with the log key — all in one transaction that no ledger write waits on. Rounds are batched: a
// commit asks for a round within `batchMs` (default 750 ms), and every commit in that window shares
// it, so a checkpoint covering a write is signed well within 2 s of its commit while the cost of a
// round (a few queries and one signature) is spread over all the writes it covers. Before signing
// it proves the new tree consistent with the last signed one; at start it recomputes every entry
// from the events and refuses to sign again (LOG_HISTORY_REWRITTEN) if the stored log differs.
import {
  CompactRange,
  TILE_HEIGHT,
  consistencyProofFromTiles,
  leafHash,
  signCheckpoint,
  type NoteSigner,
} from '../../log/index.js';
import { UntpCreditsError } from '../../errors.js';
import type { Database, Queryable } from '../db.js';
import { eventLogEntries } from './entries.js';
import { insertOutbox } from './outbox.js';
import { databaseTileReader, latestCheckpoint, type StoredCheckpoint } from './store.js';

// The same in every process of one registry, and distinct per schema: advisory locks are
// database-wide, and two registries in two schemas of one database each need their own sequencer.
const SEQUENCER_LOCK = 'untp-credits:log-sequencer';
/** Entries taken per round (a round is one transaction). */
const BATCH = 4096;
/** Events recomputed per query when checking the history at start. */
const CHECK_BATCH = 500;
/** Entries hashed per query when checking the stored entries against the last checkpoint. */
const HASH_BATCH = 4096;

export interface LogOptions {
  /** The log's origin (its URL prefix without scheme), also the name of its key. */
  origin: string;
  /** Signs checkpoints; its name must be the origin. */
  signer: NoteSigner;
  /**
   * How often to look for entries committed by processes that do not sequence themselves, e.g. the
   * CLI (default 1 000 ms; a process with a log pokes its own sequencer on each commit).
   */
  pollMs?: number;
  /**
   * How long after a commit in this process its round starts, gathering the commits meanwhile
   * (default 750 ms: with the round's own time, a checkpoint covering a write is signed within
   * about a second of its commit, and the round's cost is shared by every write of the window).
   */
  batchMs?: number;
  /**
   * Called once a new checkpoint is signed and committed (witness pushes hook in here). It runs
   * after the sequencer's transaction; what it throws is reported as a warning, never retried.
   */
  onCheckpointSigned?: (checkpoint: StoredCheckpoint) => void | Promise<void>;
}

export interface SequencerStatus {
  /** Set once the sequencer refused to go on (LOG_HISTORY_REWRITTEN, LOG_NOT_CONSISTENT): nothing more is signed. */
  refused?: UntpCreditsError;
}

const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value));
const hex = (data: Uint8Array): string => Buffer.from(data).toString('hex');

export class Sequencer {
  readonly #db: Database;
  readonly #options: LogOptions;
  #timer: NodeJS.Timeout | undefined;
  #soon: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  #refused: UntpCreditsError | undefined;
  #started: Promise<void> | undefined;
  #backfilled = false;

  constructor(db: Database, options: LogOptions) {
    if (options.signer.name !== options.origin)
      throw new UntpCreditsError(
        'LOG_KEY_NAME_MISMATCH',
        `the log key is named ${options.signer.name}, not the origin ${options.origin}`,
      );
    this.#db = db;
    this.#options = options;
  }

  get status(): SequencerStatus {
    return this.#refused ? { refused: this.#refused } : {};
  }

  /** Checks the stored history, then sequences now and whenever entries are pending (polled every `pollMs`). */
  start(): Promise<void> {
    this.#started ??= (async () => {
      try {
        await checkHistory(this.#db);
      } catch (error) {
        this.#refuse(error);
        return;
      }
      await this.sequence();
      if (this.#stopped) return;
      this.#timer = setInterval(() => void this.#poll(), this.#options.pollMs ?? 1000);
      this.#timer.unref();
    })();
    return this.#started;
  }

  /** Asks for a round within `batchMs` (after a commit in this process); commits meanwhile share it. */
  poke(): void {
    if (this.#stopped || this.#refused || !this.#started || this.#soon) return;
    this.#soon = setTimeout(() => {
      this.#soon = undefined;
      void this.sequence().catch(() => undefined);
    }, this.#options.batchMs ?? 750);
    this.#soon.unref();
  }

  /** Entries committed by other processes: one small query (the pending index) unless a round is due anyway. */
  async #poll(): Promise<void> {
    if (this.#stopped || this.#refused || this.#running || this.#soon) return;
    try {
      const { rows } = await this.#db.query('SELECT 1 FROM log_outbox WHERE pending LIMIT 1');
      if (rows.length > 0 || !this.#backfilled) await this.sequence();
    } catch (error) {
      if (!this.#stopped) process.emitWarning(`untp-credits log sequencer: ${(error as Error).message}`);
    }
  }

  /** Runs rounds until nothing is pending (one at a time in this process). */
  async sequence(): Promise<void> {
    if (this.#stopped || this.#refused) return;
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          for (;;) {
            if (this.#stopped || this.#refused) break;
            const round = await this.#round();
            if (round.signed) await this.#checkpointSigned(round.signed);
            if (!round.full) break; // a full batch: take the next
          }
        } while (this.#again && !this.#stopped);
      } catch (error) {
        if (isRefusal(error)) this.#refuse(error);
        else if (!this.#stopped) process.emitWarning(`untp-credits log sequencer: ${(error as Error).message}`);
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    if (this.#soon) clearTimeout(this.#soon);
    await this.#started?.catch(() => undefined);
    await this.#running?.catch(() => undefined);
  }

  /** The one point where a new checkpoint has been signed and committed. */
  async #checkpointSigned(checkpoint: StoredCheckpoint): Promise<void> {
    const hook = this.#options.onCheckpointSigned;
    if (!hook) return;
    try {
      await hook(checkpoint);
    } catch (error) {
      process.emitWarning(`untp-credits log: after checkpoint ${checkpoint.size}: ${(error as Error)?.message}`);
    }
  }

  #refuse(error: unknown): void {
    this.#refused =
      error instanceof UntpCreditsError
        ? error
        : new UntpCreditsError('LOG_HISTORY_REWRITTEN', String((error as Error)?.message ?? error), { cause: error });
    if (this.#timer) clearInterval(this.#timer);
    if (this.#soon) clearTimeout(this.#soon);
    process.stderr.write(
      `untp-credits log: ${this.#refused.code}: ${this.#refused.message}; no further checkpoint is signed\n`,
    );
  }

  /**
   * One round: every pending entry (up to BATCH) appended, one checkpoint signed. `full` when it
   * took a full batch (more may be waiting); `signed` is the new checkpoint, if one was signed.
   */
  async #round(): Promise<{ full: boolean; signed?: StoredCheckpoint }> {
    return this.#db.transaction(async (tx) => {
      const { rows: lock } = await tx.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || $1)) AS ok',
        [SEQUENCER_LOCK],
      );
      if (!lock[0]?.ok) return { full: false }; // another process sequences this round
      if (!this.#backfilled) {
        await backfill(tx);
        this.#backfilled = true;
      }
      const previous = await latestCheckpoint(tx);
      const { rows: pending } = await tx.query<{ id: unknown; event_seq: unknown; part: number; entry: Uint8Array }>(
        `SELECT id, event_seq, part, entry FROM log_outbox WHERE pending ORDER BY event_seq, part LIMIT ${BATCH}`,
      );
      if (pending.length === 0 && previous) return { full: false };
      const range = previous ? new CompactRange(previous.size, previous.edge) : new CompactRange();
      const entries = {
        idx: [] as number[],
        outbox: [] as number[],
        seq: [] as number[],
        part: [] as number[],
        hex: [] as string[],
      };
      const hashes = { level: [] as number[], idx: [] as number[], hex: [] as string[] };
      for (const row of pending) {
        const entry = new Uint8Array(row.entry);
        const index = range.size;
        for (const stored of range.appendEntry(entry)) {
          if (stored.level % TILE_HEIGHT !== 0) continue;
          hashes.level.push(stored.level);
          hashes.idx.push(stored.index);
          hashes.hex.push(hex(stored.hash));
        }
        entries.idx.push(index);
        entries.outbox.push(num(row.id));
        entries.seq.push(num(row.event_seq));
        entries.part.push(num(row.part));
        entries.hex.push(hex(entry));
      }
      if (pending.length > 0) {
        // One statement: the entries, their tile hashes, and the outbox rows marked logged.
        await tx.query(
          `WITH e AS (
             INSERT INTO log_entries (idx, outbox_id, event_seq, part, entry)
               SELECT i, o, s, p, decode(h, 'hex') FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::int[], $5::text[]) AS t(i, o, s, p, h)
           ), hs AS (
             INSERT INTO log_hashes (level, idx, hash)
               SELECT l, i, decode(h, 'hex') FROM unnest($6::smallint[], $7::bigint[], $8::text[]) AS t(l, i, h)
           )
           UPDATE log_outbox SET pending = false WHERE id = ANY($2::bigint[])`,
          [entries.idx, entries.outbox, entries.seq, entries.part, entries.hex, hashes.level, hashes.idx, hashes.hex],
        );
      }
      const head = { size: range.size, rootHash: range.root() };
      // Never sign a checkpoint that does not extend the last one: prove it from the stored tiles.
      if (previous && previous.size > 0)
        await consistencyProofFromTiles(databaseTileReader(tx, head.size), previous, head);
      const note = await signCheckpoint(
        { origin: this.#options.origin, size: head.size, rootHash: head.rootHash, extensions: [] },
        [this.#options.signer],
      );
      const edge = range.edge();
      await tx.query('INSERT INTO log_checkpoints (size, root, edge, note) VALUES ($1, $2, $3, $4)', [
        head.size,
        Buffer.from(head.rootHash),
        Buffer.concat(edge),
        note,
      ]);
      return {
        full: pending.length === BATCH,
        signed: { size: head.size, rootHash: head.rootHash, edge, note },
      };
    });
  }
}

function isRefusal(error: unknown): boolean {
  return (
    error instanceof UntpCreditsError &&
    (error.code === 'LOG_NOT_CONSISTENT' ||
      error.code === 'LOG_TILE_HASH_MISMATCH' ||
      error.code === 'LOG_HISTORY_REWRITTEN')
  );
}

/** Events written before the log existed get their entries once, in order. */
async function backfill(tx: Queryable): Promise<void> {
  const { rows } = await tx.query<{ seq: unknown }>(
    `SELECT ev.seq FROM events ev, log_meta m WHERE ev.seq <= m.backfill_through
       AND NOT EXISTS (SELECT 1 FROM log_outbox o WHERE o.event_seq = ev.seq) ORDER BY ev.seq LIMIT ${CHECK_BATCH}`,
  );
  if (rows.length === 0) return;
  const seqs = rows.map((r) => num(r.seq));
  const built = await eventLogEntries(tx, seqs);
  const out: { seq: number; part: number; hex: string }[] = [];
  for (const seq of seqs) (built.get(seq) ?? []).forEach((entry, part) => out.push({ seq, part, hex: hex(entry) }));
  await insertOutbox(tx, out);
  if (rows.length === CHECK_BATCH) await backfill(tx);
}

function rewritten(message: string, details: Record<string, unknown>): UntpCreditsError {
  return new UntpCreditsError('LOG_HISTORY_REWRITTEN', message, { details });
}

/**
 * The stored log against the ledger: every outbox entry equals the entry recomputed from its event
 * now, every logged entry equals its outbox entry, every event after the backfill has entries,
 * and the entries hash to the root of the last signed checkpoint. LOG_HISTORY_REWRITTEN otherwise.
 */
export async function checkHistory(db: Queryable): Promise<void> {
  const { rows: meta } = await db.query<{ backfill_through: unknown }>('SELECT backfill_through FROM log_meta');
  const backfillThrough = num(meta[0]?.backfill_through ?? 0);
  const { rows: missing } = await db.query<{ seq: unknown }>(
    `SELECT ev.seq FROM events ev WHERE ev.seq > $1 AND NOT EXISTS (SELECT 1 FROM log_outbox o WHERE o.event_seq = ev.seq) ORDER BY ev.seq LIMIT 1`,
    [backfillThrough],
  );
  if (missing[0]) {
    throw rewritten(`event ${num(missing[0].seq)} has no log entry: it was not written by a ledger command`, {
      seq: num(missing[0].seq),
    });
  }
  // The outbox in event order, a batch of rows at a time (keyset on (event_seq, part): an index
  // range scan per batch, so the whole check stays linear in the log and bounded in memory).
  type OutboxRow = { event_seq: unknown; part: number; entry: Uint8Array };
  let after = -1;
  for (;;) {
    const { rows: batch } = await db.query<OutboxRow>(
      `SELECT event_seq, part, entry FROM log_outbox WHERE event_seq > $1 ORDER BY event_seq, part LIMIT ${CHECK_BATCH * 4}`,
      [after],
    );
    if (batch.length === 0) break;
    let rows = batch;
    if (batch.length === CHECK_BATCH * 4) {
      // The last event of a full batch may have more parts: it starts the next batch instead.
      const lastSeq = num(batch[batch.length - 1]!.event_seq);
      rows = batch.filter((r) => num(r.event_seq) !== lastSeq);
      if (rows.length === 0)
        rows = (
          await db.query<OutboxRow>(
            'SELECT event_seq, part, entry FROM log_outbox WHERE event_seq = $1 ORDER BY part',
            [lastSeq],
          )
        ).rows;
    }
    const seqs = [...new Set(rows.map((r) => num(r.event_seq)))];
    const recomputed = await eventLogEntries(db, seqs);
    const stored = new Map<number, Uint8Array[]>();
    for (const row of rows) {
      const list = stored.get(num(row.event_seq)) ?? [];
      list[num(row.part)] = new Uint8Array(row.entry);
      stored.set(num(row.event_seq), list);
    }
    for (const seq of seqs) {
      const now = recomputed.get(seq);
      const then = stored.get(seq) ?? [];
      const same =
        now !== undefined &&
        now.length === then.length &&
        now.every((e, i) => then[i] !== undefined && Buffer.from(e).equals(then[i]!));
      if (!same) {
        throw rewritten(
          now === undefined
            ? `event ${seq} is logged but no longer in the events table`
            : `event ${seq} no longer gives the entry the log holds for it: the ledger's history was changed after it was logged`,
          { seq },
        );
      }
    }
    after = seqs[seqs.length - 1]!;
  }
  // The logged entries in index order, a batch at a time (keyset on the index, bounded memory):
  // each equals its outbox entry, and together they hash to the root of the last checkpoint.
  const checkpoint = await latestCheckpoint(db);
  if (checkpoint) {
    const range = new CompactRange();
    for (let start = 0; start < checkpoint.size; start += HASH_BATCH) {
      const { rows } = await db.query<{ idx: unknown; same: boolean; entry: Uint8Array }>(
        `SELECT e.idx, e.entry, (o.id IS NOT NULL AND o.entry = e.entry AND o.event_seq = e.event_seq AND o.part = e.part) AS same
           FROM log_entries e LEFT JOIN log_outbox o ON o.id = e.outbox_id WHERE e.idx >= $1 AND e.idx < $2 ORDER BY e.idx`,
        [start, Math.min(checkpoint.size, start + HASH_BATCH)],
      );
      for (const row of rows) {
        if (!row.same)
          throw rewritten(`log entry ${num(row.idx)} differs from its outbox entry`, { index: num(row.idx) });
        range.appendLeafHash(leafHash(new Uint8Array(row.entry)));
      }
      if (rows.length === 0) break;
    }
    if (range.size !== checkpoint.size || !Buffer.from(range.root()).equals(checkpoint.rootHash)) {
      throw rewritten(
        `the stored entries do not hash to the root of the signed checkpoint of size ${checkpoint.size}`,
        { size: checkpoint.size },
      );
    }
  }
}
