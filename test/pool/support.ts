import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Two levels below the package root, like dist/verify/, so the bundle finds contexts/ and schemas/ at ../../
const dir = `${root}node_modules/.cache`;

/**
 * Bundles src/verify/pool-worker.ts to one ESM file under node_modules/.cache (bare imports resolve
 * to this project's node_modules): worker threads run plain Node, without vitest's transform.
 */
export async function bundlePoolWorker(): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/untp-credits-pool-worker-${process.pid}-${Date.now()}.mjs`;
  await build({
    input: `${root}src/verify/pool-worker.ts`,
    platform: 'node',
    external: (id) => !id.startsWith('.') && !id.startsWith('/'),
    resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
    output: { file, format: 'esm' },
    logLevel: 'silent',
  });
  return file;
}

/** A worker script that dies on its first message (to test POOL_WORKER_FAILED and replacement). */
export function crashingWorker(): string {
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/untp-credits-pool-crash-${process.pid}-${Date.now()}.mjs`;
  writeFileSync(file, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', (m) => { if (m.t === 'verify') process.exit(3); });\n");
  return file;
}
