import { writeFileSync } from 'node:fs';
import { bundleTsEntry, scratchDir } from '../support/bundle-worker.js';

/** Bundles src/verify/pool-worker.ts (worker threads run plain Node, without vitest's transform). */
export function bundlePoolWorker(): Promise<string> {
  return bundleTsEntry(new URL('../../src/verify/pool-worker.ts', import.meta.url), 'pool-worker');
}

/** A worker script that dies on its first message (to test POOL_WORKER_FAILED and replacement). */
export function crashingWorker(): string {
  const file = `${scratchDir()}/untp-credits-pool-crash-${process.pid}-${Date.now()}.mjs`;
  writeFileSync(
    file,
    "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', (m) => { if (m.t === 'verify') process.exit(3); });\n",
  );
  return file;
}
