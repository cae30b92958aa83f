// The one sequencer of the log: whichever process holds the log's advisory lock for a round takes
// the committed, not yet logged outbox entries (commit order: a row becomes visible when its
// command commits), appends them to the tree, stores the new tile hashes and signs a checkpoint
// with the log key — all in one transaction that no ledger write waits on. Before signing it
// proves the new tree consistent with the last signed one; at start it recomputes every entry
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
import { databaseTileReader, latestCheckpoint } from './store.js';

// Any constant works; it only has to be the same in every process sharing the database.
const SEQUENCER_LOCK = 7_2026_0020;
/** Entries taken per round (a round is one transaction). */
const BATCH = 2048;
/** Events recomputed per query when checking the history at start. */
const CHECK_BATCH = 500;

export interface LogOptions {
  /** The log's origin (its URL prefix without scheme), also the name of its key. */
  origin: string;
  /** Signs checkpoints; its name must be the origin. */
  signer: NoteSigner;
  /** How often to look for entries committed by other processes (default 250 ms). */
  pollMs?: number;
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
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  #refused: UntpCreditsError | undefined;
  #started: Promise<void> | undefined;

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

  /** Checks the stored history, then sequences now and every `pollMs`. */
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
      this.#timer = setInterval(() => this.poke(), this.#options.pollMs ?? 250);
      this.#timer.unref();
    })();
    return this.#started;
  }

  /** Asks for a round soon (after a commit in this process). */
  poke(): void {
    if (this.#stopped || this.#refused || !this.#started) return;
    void this.sequence().catch(() => undefined);
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
          while (!this.#stopped && !this.#refused && (await this.#round())) {
            /* a full batch: take the next */
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
    await this.#started?.catch(() => undefined);
    await this.#running?.catch(() => undefined);
  }

  #refuse(error: unknown): void {
    this.#refused =
      error instanceof UntpCreditsError
        ? error
        : new UntpCreditsError('LOG_HISTORY_REWRITTEN', String((error as Error)?.message ?? error), { cause: error });
    if (this.#timer) clearInterval(this.#timer);
    process.stderr.write(
      `untp-credits log: ${this.#refused.code}: ${this.#refused.message}; no further checkpoint is signed\n`,
    );
  }

  /** One round; true when it took a full batch (more may be waiting). */
  async #round(): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      const { rows: lock } = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [
        SEQUENCER_LOCK,
      ]);
      if (!lock[0]?.ok) return false; // another process sequences this round
      await backfill(tx);
      const previous = await latestCheckpoint(tx);
      const { rows: pending } = await tx.query<{ id: unknown; event_seq: unknown; part: number; entry: Uint8Array }>(
        `SELECT o.id, o.event_seq, o.part, o.entry FROM log_outbox o
           WHERE NOT EXISTS (SELECT 1 FROM log_entries e WHERE e.outbox_id = o.id)
           ORDER BY o.event_seq, o.part LIMIT ${BATCH}`,
      );
      if (pending.length === 0 && previous) return false;
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
        await tx.query(
          `INSERT INTO log_entries (idx, outbox_id, event_seq, part, entry)
             SELECT i, o, s, p, decode(h, 'hex') FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::int[], $5::text[]) AS t(i, o, s, p, h)`,
          [entries.idx, entries.outbox, entries.seq, entries.part, entries.hex],
        );
        await tx.query(
          `INSERT INTO log_hashes (level, idx, hash)
             SELECT l, i, decode(h, 'hex') FROM unnest($1::smallint[], $2::bigint[], $3::text[]) AS t(l, i, h)`,
          [hashes.level, hashes.idx, hashes.hex],
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
      await tx.query('INSERT INTO log_checkpoints (size, root, edge, note) VALUES ($1, $2, $3, $4)', [
        head.size,
        Buffer.from(head.rootHash),
        Buffer.concat(range.edge()),
        note,
      ]);
      return pending.length === BATCH;
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
  const { rows: differing } = await db.query<{ idx: unknown }>(
    'SELECT e.idx FROM log_entries e JOIN log_outbox o ON o.id = e.outbox_id WHERE e.entry <> o.entry OR e.event_seq <> o.event_seq OR e.part <> o.part ORDER BY e.idx LIMIT 1',
  );
  if (differing[0])
    throw rewritten(`log entry ${num(differing[0].idx)} differs from its outbox entry`, {
      index: num(differing[0].idx),
    });
  let after = -1;
  for (;;) {
    const { rows } = await db.query<{ event_seq: unknown; part: number; entry: Uint8Array }>(
      `SELECT event_seq, part, entry FROM log_outbox WHERE event_seq IN
         (SELECT DISTINCT event_seq FROM log_outbox WHERE event_seq > $1 ORDER BY event_seq LIMIT ${CHECK_BATCH})
         ORDER BY event_seq, part`,
      [after],
    );
    if (rows.length === 0) break;
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
  const checkpoint = await latestCheckpoint(db);
  if (checkpoint) {
    const range = new CompactRange();
    for (let start = 0; start < checkpoint.size; start += CHECK_BATCH * 4) {
      const { rows } = await db.query<{ entry: Uint8Array }>(
        'SELECT entry FROM log_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx',
        [start, Math.min(checkpoint.size, start + CHECK_BATCH * 4)],
      );
      for (const row of rows) range.appendLeafHash(leafHash(new Uint8Array(row.entry)));
    }
    if (range.size !== checkpoint.size || !Buffer.from(range.root()).equals(checkpoint.rootHash)) {
      throw rewritten(
        `the stored entries do not hash to the root of the signed checkpoint of size ${checkpoint.size}`,
        {
          size: checkpoint.size,
        },
      );
    }
  }
}
