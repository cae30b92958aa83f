// `untp-credits log equivocation NOTE1 NOTE2 --vkey …`: checks two signed checkpoints of one log
// offline. Same size with different roots is equivocation by itself; different sizes need the
// consistency proof, read from the log's tiles (--log URL|DIR) at the larger size. Exit 1 when the
// notes prove equivocation (the evidence is printed), 0 when they agree, 2 when it could not run.
import { readFileSync } from 'node:fs';
import {
  TileHashSource,
  consistencyProof,
  consistencyProofRanges,
  detectEquivocation,
  openCheckpoint,
} from '../log/index.js';
import { completeSubtrees } from '../log/lib/subtrees.js';
import { UntpCreditsError } from '../errors.js';
import { endOnError, exitForCheck } from './exit.js';
import { logSource, logVerifiers } from './log-source.js';

type Out = (line: string) => void;

export async function runLogEquivocation(
  files: [string, string],
  options: { vkey: string[]; log?: string; json?: boolean },
  out: Out = (l) => process.stdout.write(`${l}\n`),
  err: Out = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  try {
    const { origin, verifiers } = logVerifiers(options.vkey);
    const [a, b] = files.map((file) => {
      const note = readFileSync(file, 'utf8');
      return { note, opened: openCheckpoint(note, origin, verifiers) };
    }) as [
      { note: string; opened: ReturnType<typeof openCheckpoint> },
      { note: string; opened: ReturnType<typeof openCheckpoint> },
    ];
    const sizes = [a.opened.checkpoint.size, b.opened.checkpoint.size].sort((x, y) => x - y) as [number, number];
    let proof: Uint8Array[] | undefined;
    if (sizes[0] !== sizes[1] && sizes[0] > 0) {
      if (!options.log)
        throw new UntpCreditsError(
          'LOG_CONSISTENCY_PROOF_REQUIRED',
          'checkpoints of different sizes are compared through a consistency proof: give --log URL|DIR',
        );
      const source = new TileHashSource(logSource(options.log), sizes[1]);
      await source.load(consistencyProofRanges(sizes[0], sizes[1]).flatMap(([s, e]) => completeSubtrees(s, e)));
      proof = consistencyProof(sizes[0], sizes[1], source);
    }
    const evidence = sizes[0] === 0 && sizes[1] > 0 ? undefined : detectEquivocation(a, b, proof);
    if (options.json) out(JSON.stringify({ equivocation: evidence ?? null }, null, 2));
    else if (!evidence) out(`✔ log equivocation: the two checkpoints of ${origin} (sizes ${sizes.join(', ')}) agree`);
    else {
      out(`✘ log equivocation: LOG_EQUIVOCATION: ${evidence.message}`);
      evidence.notes.forEach((note, i) =>
        out(`\n--- signed note ${i + 1} (size ${evidence.sizes[i]}) ---\n${note.trimEnd()}`),
      );
    }
    return exitForCheck(evidence === undefined);
  } catch (error) {
    return endOnError('log equivocation', error, err);
  }
}
