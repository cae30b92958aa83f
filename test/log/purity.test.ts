// The log core is imported by browser verifiers and by every layer above it: it must not reach for
// node: built-ins or for the registry, server or CLI layers.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../src/log');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe('src/log is a pure core', () => {
  it('imports no node: built-in and nothing from registry/, server/ or cli/', () => {
    const sources = files(root).filter((f) => f.endsWith('.ts'));
    expect(sources.length).toBeGreaterThan(5);
    let seen = 0;
    for (const file of sources) {
      const specifiers = [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map(
        (m) => m[1]!,
      );
      for (const specifier of specifiers) {
        seen++;
        expect(specifier, file).not.toMatch(/^node:|^(fs|path|crypto|buffer)$/);
        expect(specifier, file).not.toMatch(/\/(registry|server|cli)\//);
      }
    }
    expect(seen).toBeGreaterThan(10); // the pattern does find imports
  });
});
