import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Two levels below the package root, like dist/<folder>/, so PACKAGE_ROOT (`../../` of the bundle)
// still finds contexts/ and schemas/; bare imports resolve to this project's node_modules.
const dir = `${root}node_modules/.cache`;

/**
 * Bundles a TypeScript entry to one ESM file, so child processes and worker threads can run it as
 * plain Node, without vitest's transform.
 */
export async function bundleTsEntry(entry: string | URL, name: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/untp-credits-${name}-${process.pid}-${Date.now()}.mjs`;
  await build({
    input: typeof entry === 'string' ? entry : fileURLToPath(entry),
    platform: 'node',
    external: (id) => !id.startsWith('.') && !id.startsWith('/'),
    resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
    output: { file, format: 'esm', codeSplitting: false },
    logLevel: 'silent',
  });
  return file;
}

/** Where test scripts written at run time go (the same folder as the bundles). */
export function scratchDir(): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
