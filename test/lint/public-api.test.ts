import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as root from '../../src/index.js';

const run = promisify(execFile);

describe('public API (package.json exports, docs/api.md)', () => {
  it('the root entry has what a passport platform needs, and no registry or server', () => {
    for (const name of [
      'verify',
      'validate',
      'verifyBundle',
      'digestMultibase',
      'UntpCreditsError',
      'createDidResolver',
    ])
      expect(root).toHaveProperty(name);
    for (const name of ['Registry', 'openDatabase', 'startServer', 'createApp', 'issue', 'HttpProblem'])
      expect(root).not.toHaveProperty(name);
  });

  it('docs/api.md gives the size of every entry as scripts/api-size.mjs counts it', async () => {
    const { stdout } = await run(process.execPath, ['scripts/api-size.mjs']);
    const doc = readFileSync('docs/api.md', 'utf8');
    const counted = stdout.trim().split('\n');
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, unknown> };
    expect(counted).toHaveLength(Object.values(pkg.exports).filter((v) => typeof v === 'object').length);
    for (const line of counted) {
      const [, name, values, types] = /^(\S+)\s+(\d+) values\s+(\d+) types$/.exec(line) ?? [];
      expect(doc, line).toContain(`| \`${name}\` | ${values} | ${types} |`);
    }
  });
});
