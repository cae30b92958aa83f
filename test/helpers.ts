import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const FIXTURES = join(ROOT, 'test', 'fixtures');

export function readJson<T = any>(path: string): T {
  return JSON.parse(readFileSync(path.startsWith('/') ? path : join(ROOT, path), 'utf8')) as T;
}

/** A fixture by path relative to test/fixtures, parsed fresh (tests mutate their copy). */
export function fixture<T = any>(relative: string): T {
  return readJson<T>(join(FIXTURES, relative));
}

export function filesIn(relativeDir: string, pattern = /\.json$/): string[] {
  const dir = join(FIXTURES, relativeDir);
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && pattern.test(e.name))
    .map((e) => join(relativeDir, e.name))
    .sort();
}
