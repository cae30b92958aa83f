import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';
import { spawnCollecting } from '../support/child.js';
import { userProject, userShellEnv } from '../support/user-project.js';

/**
 * examples/README's "Checking them yourself" block, run as written with bash in a user's project
 * (the package installed, examples/ beside it): every command must succeed, with no tool but
 * `npx untp-credits` (no jq), and the outcome it announces must be the one printed.
 */
const README = readFileSync(join(ROOT, 'examples', 'README.md'), 'utf8');
const BLOCK = /<!-- examples-check:start -->\n```sh\n([\s\S]*?)```\n<!-- examples-check:end -->/.exec(README)?.[1];
const work = mkdtempSync(join(tmpdir(), 'untp-examples-readme-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The commands of a shell block: comments dropped, `\` continuations joined. */
function commands(block: string): string[] {
  return block
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line && !line.startsWith('#'));
}

describe('examples/README: "Checking them yourself" runs as written', () => {
  it('uses nothing but npx untp-credits (no jq, no other tool)', () => {
    expect(BLOCK, 'the examples-check block').toBeTruthy();
    const lines = commands(BLOCK as string);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) expect(line).toMatch(/^npx untp-credits [a-z]+ /);
    expect(BLOCK).not.toMatch(/\bjq\b|\|/);
  });

  it('every command succeeds, the verify summary is the one announced, and the --check digest is current', async () => {
    const project = userProject(join(work, 'project'));
    const run = spawnCollecting('bash', ['-e', '-c', BLOCK as string], { cwd: project, env: userShellEnv() });
    const code = await run.exited;
    const out = run.output();
    expect(code, out).toBe(0);
    const announced = /the last line: (\d+ files: \d+ verified, \d+ failed) in … s/.exec(BLOCK as string)?.[1];
    expect(announced, 'the block announces the verify summary').toBeTruthy();
    expect(out).toContain(`${announced as string} in `);
    expect(out).toMatch(/✔ examples\/cobalt\/retirement\.signed\.json .*matches/);

    // Negative twin: its --check command with a stale digest (the last character changed) fails.
    const check = commands(BLOCK as string).find((line) => line.includes(' --check ')) as string;
    const stale = check.replace(/(\S)$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect(stale).not.toBe(check);
    const failed = spawnCollecting('bash', ['-e', '-c', stale], { cwd: project, env: userShellEnv() });
    expect(await failed.exited, failed.output()).toBe(1);
    expect(failed.output()).toContain('does not match');
  }, 120_000);
});
