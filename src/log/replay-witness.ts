// A C2SP tlog-witness that replays the ledger: `POST <prefix>/add-checkpoint` with the body
//
//   old <size>\n
//   <base64 consistency proof hash>\n   (0 to 63 lines)
//   \n
//   <signed checkpoint note>
//
// answers 200 with the witness's tlog-cosignature/v1 line(s), 400 malformed, 403 no valid log-key
// signature, 404 unknown log, 409 (text/x.tlog.size: the size it knows) when the old size is not the
// size it last cosigned or the same size comes with another root, 422 when the proof fails. Our
// addition: before cosigning it follows the log from its tiles like `log monitor` and replays the
// ledger's rules over the new entries; a broken rule, a rewritten entry or a fork is refused (422)
// and reported with the entries named (and both signed notes for equivocation). Pure: storage,
// HTTP, the clock and the tile reader belong to the caller.
import { UntpCreditsError } from '../errors.js';
import { openCheckpoint } from './checkpoint.js';
import { HASH_SIZE } from './hash.js';
import { bytesEqual, fromBase64, toBase64 } from './lib/bytes.js';
import { signNote, parseSignedNote, type NoteSigner, type NoteVerifier } from './note.js';
import { followLog, newFollowState, type FollowReport, type FollowState } from './replay-follow.js';
import type { TileReader } from './tile-reader.js';
import { verifyConsistency } from './verify-consistency.js';

/** The spec's bound on proof lines. */
export const MAX_PROOF_LINES = 63;
export const SIZE_CONTENT_TYPE = 'text/x.tlog.size';

export interface AddCheckpointRequest {
  readonly oldSize: number;
  readonly proof: readonly Uint8Array[];
  readonly checkpoint: string;
}

function malformed(message: string): UntpCreditsError {
  return new UntpCreditsError('LOG_WITNESS_REQUEST_MALFORMED', message);
}

export function parseAddCheckpointRequest(body: string): AddCheckpointRequest {
  const blank = body.indexOf('\n\n');
  if (blank < 0) throw malformed('no blank line between the proof and the checkpoint');
  const head = body.slice(0, blank).split('\n');
  const checkpoint = body.slice(blank + 2);
  const match = /^old (0|[1-9][0-9]*)$/.exec(head[0] ?? '');
  if (!match || !Number.isSafeInteger(Number(match[1]))) throw malformed('the first line is not "old <size>"');
  const lines = head.slice(1);
  if (lines.length > MAX_PROOF_LINES) throw malformed(`more than ${MAX_PROOF_LINES} proof lines`);
  const proof = lines.map((line, i) => {
    const hash = fromBase64(line);
    if (hash === undefined || hash.length !== HASH_SIZE) throw malformed(`proof line ${i + 1} is not a base64 hash`);
    return hash;
  });
  return { oldSize: Number(match[1]), proof, checkpoint };
}

export function formatAddCheckpointRequest(request: AddCheckpointRequest): string {
  return [`old ${request.oldSize}`, ...request.proof.map(toBase64)].join('\n') + '\n\n' + request.checkpoint;
}

export interface WitnessResponse {
  readonly status: 200 | 400 | 403 | 404 | 409 | 422 | 500;
  readonly contentType: string;
  readonly body: string;
  /** The follower's report, when the witness followed the log (refusals name entries from it). */
  readonly report?: FollowReport;
}

export interface WitnessOptions {
  /** The log's origin and its key(s). */
  readonly origin: string;
  readonly verifiers: readonly NoteVerifier[];
  /** The witness's cosigner (tlog-cosignature/v1). */
  readonly cosigner: NoteSigner;
  /** The log's tiles (its URL prefix, a mirror, a directory). */
  readonly reader: TileReader;
  readonly loadState: () => Promise<FollowState | undefined>;
  readonly saveState: (state: FollowState) => Promise<void>;
}

const text = (status: WitnessResponse['status'], body: string, report?: FollowReport): WitnessResponse => ({
  status,
  contentType: 'text/plain; charset=utf-8',
  body: body.endsWith('\n') ? body : `${body}\n`,
  ...(report ? { report } : {}),
});

/** A witness of one log. Requests are handled one at a time (check and update are atomic). */
export class ReplayingWitness {
  readonly #options: WitnessOptions;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: WitnessOptions) {
    this.#options = options;
  }

  addCheckpoint(body: string): Promise<WitnessResponse> {
    const run = this.#queue.then(() => this.#add(body));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #add(body: string): Promise<WitnessResponse> {
    const { origin, verifiers } = this.#options;
    let request: AddCheckpointRequest;
    let checkpointOrigin: string;
    try {
      request = parseAddCheckpointRequest(body);
      checkpointOrigin = parseSignedNote(request.checkpoint).text.split('\n')[0]!;
    } catch (error) {
      return text(400, (error as Error).message);
    }
    if (checkpointOrigin !== origin) return text(404, `this witness does not follow the log ${checkpointOrigin}`);
    let opened;
    try {
      opened = openCheckpoint(request.checkpoint, origin, verifiers);
    } catch (error) {
      return text(403, (error as Error).message);
    }
    const { size, rootHash } = opened.checkpoint;
    if (request.oldSize > size) return text(400, `old size ${request.oldSize} is larger than the checkpoint's ${size}`);
    const state = (await this.#options.loadState()) ?? newFollowState(origin);
    const conflict = (): WitnessResponse => ({
      status: 409,
      contentType: SIZE_CONTENT_TYPE,
      body: `${state.size}\n`,
    });
    if (request.oldSize !== state.size) return conflict();
    if (state.size > 0) {
      const known = openCheckpoint(state.checkpoint, origin, verifiers).checkpoint;
      if (request.oldSize === size) {
        if (!bytesEqual(known.rootHash, rootHash)) {
          // Same size, another root: the spec's 409, and the evidence for whoever runs the witness.
          const report = await this.#follow(request.checkpoint, state);
          return { ...conflict(), report };
        }
        if (request.proof.length > 0) return text(422, 'a proof between equal sizes is empty');
      } else if (!verifyConsistency(state.size, size, known.rootHash, rootHash, request.proof)) {
        const report = await this.#follow(request.checkpoint, state);
        return text(422, `the consistency proof from size ${state.size} does not verify`, report);
      }
    } else if (request.proof.length > 0) return text(422, 'a proof from size 0 is empty');
    // Our addition: follow the log and replay the ledger's rules over the new entries.
    const report = await this.#follow(request.checkpoint, state);
    if (!report.ok || !report.state) {
      const lines = report.failures.map(
        (f) =>
          `${f.index === undefined ? '' : `entry ${f.index}${f.seq === undefined ? '' : ` (seq ${f.seq})`}: `}${f.code}: ${f.message}`,
      );
      return text(422, `refusing to cosign: ${report.failures.length} check(s) failed\n${lines.join('\n')}`, report);
    }
    try {
      await this.#options.saveState(report.state);
    } catch (error) {
      return text(500, `could not save the witness state: ${(error as Error).message}`);
    }
    const cosigned = await signNote(parseSignedNote(request.checkpoint).text, [this.#options.cosigner]);
    const line = cosigned.trimEnd().split('\n').pop()!;
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: `${line}\n`, report };
  }

  #follow(note: string, state: FollowState): Promise<FollowReport> {
    return followLog({
      origin: this.#options.origin,
      verifiers: this.#options.verifiers,
      note,
      reader: this.#options.reader,
      ...(state.size > 0 ? { state } : {}),
    });
  }
}
