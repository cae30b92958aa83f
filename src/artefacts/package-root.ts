import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Node only (the CLI, the server, tests): the root entry reads bundled files through files.ts.

/** The package root: two levels up from src/artefacts or dist/artefacts. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** SHA-256 (hex) of a bundled file, for integrity tests. */
export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
