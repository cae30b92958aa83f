import { bundleTsEntry } from '../../support/bundle-worker.js';

/** Bundles the fault worker (as test/registry/support/bundle.ts does for the ledger's worker). */
export function bundleFaultWorker(): Promise<string> {
  return bundleTsEntry(new URL('./fault-worker.ts', import.meta.url), 'fault-worker');
}

export { startWorker, type Worker } from '../../support/worker-process.js';

export interface Outcome {
  acked: Map<string, { seq: number; kind: string; retired: Array<{ start: number; end: number }> }>;
  refused: Map<string, string>;
  started: Set<string>;
}

export function outcomeOf(lines: readonly string[]): Outcome {
  const acked = new Map<string, { seq: number; kind: string; retired: Array<{ start: number; end: number }> }>();
  const refused = new Map<string, string>();
  const started = new Set<string>();
  for (const line of lines) {
    const ack = /^ACK (\S+) (.*)$/.exec(line);
    if (ack)
      acked.set(
        ack[1]!,
        JSON.parse(ack[2]!) as { seq: number; kind: string; retired: Array<{ start: number; end: number }> },
      );
    const ref = /^REFUSED (\S+) (\S+)$/.exec(line);
    if (ref) refused.set(ref[1]!, ref[2]!);
    const start = /^START (\S+)$/.exec(line);
    if (start) started.add(start[1]!);
  }
  return { acked, refused, started };
}
