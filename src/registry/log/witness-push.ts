// Pushing each new checkpoint to the registry's witnesses (C2SP tlog-witness: the log calls the
// witness), keeping the cosignatures they answer with, and appending them to the checkpoint the
// registry serves (GET /registry/log/checkpoint, records' `log.checkpoint`) as extra signed-note
// signature lines. Runs after the sequencer has committed a checkpoint; a witness that is down or
// refuses only costs its cosignature (a warning), never a write.
import {
  TileHashSource,
  consistencyProof,
  consistencyProofRanges,
  cosignatureVerifier,
  openNote,
  parseCheckpoint,
  parseSignedNote,
  parseVerifierKey,
  type VerifierKey,
} from '../../log/index.js';
import { completeSubtrees } from '../../log/lib/subtrees.js';
import { formatAddCheckpointRequest, SIZE_CONTENT_TYPE } from '../../log/replay-witness.js';
import { UntpCreditsError } from '../../errors.js';
import type { Queryable } from '../db.js';
import { databaseTileReader, type StoredCheckpoint } from './store.js';

export interface WitnessConfig {
  /** The witness's submission prefix: the request goes to `<url>/add-checkpoint`. */
  readonly url: string;
  /** Its verifier key (cosignature/v1, type 0x04). */
  readonly vkey: string;
}

/** `URL,VKEY` items, separated by `;` or given one per flag (`serve --witness`, UNTP_CREDITS_WITNESSES). */
export function parseWitnesses(values: readonly string[]): WitnessConfig[] {
  return values
    .flatMap((value) => value.split(';'))
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const comma = item.indexOf(',');
      const url = item.slice(0, comma).trim();
      const vkey = item.slice(comma + 1).trim();
      if (comma < 0 || !/^https?:\/\//.test(url))
        throw new UntpCreditsError('REQUEST_INVALID', `a witness is "URL,VKEY", got ${JSON.stringify(item)}`);
      cosignatureVerifier(vkey); // a cosigner key (type 0x04), or it throws
      return { url: url.replace(/\/+$/, ''), vkey };
    });
}

const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value));

/** Pushes checkpoints to witnesses and stores what they cosign. */
export class WitnessPusher {
  readonly #db: Queryable;
  readonly #witnesses: readonly (WitnessConfig & { key: VerifierKey })[];
  readonly #fetch: typeof fetch;
  /** Per witness: the size it last cosigned, as far as this process knows. */
  readonly #known = new Map<string, number>();

  constructor(db: Queryable, witnesses: readonly WitnessConfig[], fetchImpl: typeof fetch = fetch) {
    this.#db = db;
    this.#witnesses = witnesses.map((w) => ({ ...w, key: parseVerifierKey(w.vkey) }));
    this.#fetch = fetchImpl;
  }

  #next: StoredCheckpoint | undefined;
  #running: Promise<void> | undefined;

  /**
   * Queues a checkpoint without waiting (the sequencer's hook): pushes run one at a time, and a
   * checkpoint superseded while waiting is skipped — the next one covers it.
   */
  schedule(checkpoint: StoredCheckpoint): void {
    if (!this.#next || checkpoint.size > this.#next.size) this.#next = checkpoint;
    this.#running ??= (async () => {
      while (this.#next) {
        const next = this.#next;
        this.#next = undefined;
        await this.push(next);
      }
      this.#running = undefined;
    })();
  }

  /** Resolves once every scheduled push is done (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Pushes one checkpoint to every witness (in parallel); warns about those that did not cosign. */
  async push(checkpoint: StoredCheckpoint): Promise<void> {
    if (checkpoint.size === 0) return;
    await Promise.all(
      this.#witnesses.map(async (witness) => {
        try {
          await this.#pushOne(witness, checkpoint);
        } catch (error) {
          process.emitWarning(
            `untp-credits log: witness ${witness.url} did not cosign checkpoint ${checkpoint.size}: ${(error as Error).message}`,
          );
        }
      }),
    );
  }

  async #pushOne(witness: WitnessConfig & { key: VerifierKey }, checkpoint: StoredCheckpoint): Promise<void> {
    let oldSize = this.#known.get(witness.url) ?? (await this.#storedSize(witness.key));
    for (let attempt = 0; attempt < 3; attempt++) {
      const proof = oldSize === 0 || oldSize >= checkpoint.size ? [] : await this.#proof(oldSize, checkpoint.size);
      const body = formatAddCheckpointRequest({ oldSize, proof, checkpoint: checkpoint.note });
      const response = await this.#fetch(`${witness.url}/add-checkpoint`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      if (response.status === 409 && response.headers.get('content-type')?.startsWith(SIZE_CONTENT_TYPE)) {
        const size = /^(0|[1-9][0-9]*)\n?$/.exec(text);
        if (!size || Number(size[1]) > checkpoint.size || Number(size[1]) === oldSize)
          throw new Error(`the witness answered 409 with size ${JSON.stringify(text.trim())}`);
        oldSize = Number(size[1]);
        continue;
      }
      if (response.status !== 200) throw new Error(`the witness answered ${response.status}: ${text.trim()}`);
      await this.#store(witness, checkpoint, text);
      this.#known.set(witness.url, checkpoint.size);
      return;
    }
    throw new Error('the witness kept answering 409');
  }

  async #storedSize(key: VerifierKey): Promise<number> {
    const { rows } = await this.#db.query<{ size: unknown }>(
      'SELECT max(size) AS size FROM log_cosignatures WHERE name = $1 AND key_id = $2',
      [key.name, key.keyId],
    );
    return rows[0]?.size === null || rows[0]?.size === undefined ? 0 : num(rows[0].size);
  }

  async #proof(oldSize: number, newSize: number): Promise<Uint8Array[]> {
    const source = new TileHashSource(databaseTileReader(this.#db, newSize), newSize);
    await source.load(consistencyProofRanges(oldSize, newSize).flatMap(([s, e]) => completeSubtrees(s, e)));
    return consistencyProof(oldSize, newSize, source);
  }

  /** Keeps the witness's lines that verify with its key over this checkpoint. */
  async #store(
    witness: WitnessConfig & { key: VerifierKey },
    checkpoint: StoredCheckpoint,
    body: string,
  ): Promise<void> {
    const lines = body.split('\n').filter((line) => line !== '');
    const text = parseSignedNote(checkpoint.note).text;
    const verifier = cosignatureVerifier(witness.key);
    let kept = 0;
    for (const line of lines) {
      const opened = openNote(`${text}\n${line}\n`, [verifier]);
      if (opened.verified.length !== 1) continue;
      await this.#db.query(
        'INSERT INTO log_cosignatures (size, root, name, key_id, line) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
        [checkpoint.size, Buffer.from(checkpoint.rootHash), witness.key.name, witness.key.keyId, line],
      );
      kept++;
    }
    if (kept === 0) throw new Error('the witness answered no cosignature by its key');
  }
}

/**
 * A checkpoint's note with the witness cosignatures received for it appended (C2SP signed-note:
 * extra signature lines; verifiers ignore keys they do not know).
 */
export async function withCosignatures(q: Queryable, note: string): Promise<string> {
  const { size, rootHash } = parseCheckpoint(parseSignedNote(note).text);
  const { rows } = await q.query<{ line: string }>(
    'SELECT line FROM log_cosignatures WHERE size = $1 AND root = $2 ORDER BY name, key_id',
    [size, Buffer.from(rootHash)],
  );
  const present = new Set(note.trimEnd().split('\n'));
  const extra = rows.map((r) => r.line).filter((line) => !present.has(line));
  return extra.length === 0 ? note : `${note}${extra.join('\n')}\n`;
}
