import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

/**
 * Bundles the TypeScript worker to one ESM file under node_modules/.cache (so that its bare
 * imports resolve to this project's node_modules): child processes run plain Node, without vitest.
 */
export async function bundleWorker(): Promise<string> {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const dir = `${root}node_modules/.cache/untp-credits-tests`;
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/registry-worker-${process.pid}-${Date.now()}.mjs`;
  await build({
    input: fileURLToPath(new URL('./worker.ts', import.meta.url)),
    platform: 'node',
    external: (id) => !id.startsWith('.') && !id.startsWith('/'),
    resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
    output: { file, format: 'esm' },
    logLevel: 'silent',
  });
  return file;
}
