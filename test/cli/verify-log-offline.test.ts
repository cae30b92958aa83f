import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { digestMultibase } from '../../src/lib/digest.js';
import { ROOT } from '../helpers.js';
import { loggedStory, type LoggedStory } from '../bundle/log-fixture.js';

// The built CLI (npm run build), run inside a network namespace of its own: no interface but a
// downed loopback, so nothing it does can reach a network.
const MAIN = join(ROOT, 'dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'untp-verify-log-'));
const write = (name: string, value: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
};
const offline = (...args: string[]) => {
  const run = spawnSync('unshare', ['-n', process.execPath, MAIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, out: `${run.stdout}${run.stderr}`, error: run.error };
};

describe('verify a retirement bundle with log inclusion and a witness cosignature, with no network', () => {
  let story: LoggedStory;
  let trust: string;
  let bundle: string;
  beforeAll(async () => {
    story = await loggedStory();
    trust = write('trust.json', story.logTrust);
    bundle = write('logged.bundle.json', story.logged);
  });

  it('the namespace has no network: only a loopback interface, down', () => {
    const run = spawnSync('unshare', ['-n', 'cat', '/proc/net/dev'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const interfaces = run.stdout
      .split('\n')
      .slice(2)
      .map((l) => l.split(':')[0]!.trim())
      .filter(Boolean);
    expect(interfaces).toEqual(['lo']);
  });

  it('verifies: ✔ log, retired once up to size 7 by the pinned witness; exit 0', () => {
    const run = offline('verify', bundle, '--trust', trust, '--require-log');
    expect(run.error).toBeUndefined();
    expect(run.status, run.out).toBe(0);
    expect(run.out).toMatch(/✔ log /);
    expect(run.out).toMatch(
      /✔ log retirement +entry 4 of registry\.mineral-credits\.example\/registry\/log; retired once up to size 7: 1 pinned witness\(es\) \(witness\.example\/w1\) cosigned/,
    );
    expect(run.out).not.toContain('⚠');
  });

  it('a tampered proof, a wrong digest or a missing entry fails with its code (exit 1)', async () => {
    const proof = [...story.evidence.retirement.proof];
    proof[1] = Buffer.alloc(32, 1).toString('base64');
    const cases: Array<[string, unknown, string]> = [
      [
        'tampered-proof',
        { ...story.logged, log: [{ ...story.evidence.retirement, proof }, story.evidence.issuance] },
        'LOG_PROOF_INVALID',
      ],
      [
        'wrong-digest',
        (await loggedStory({ keys: story.keys, retirementDigest: digestMultibase('x') })).logged,
        'LOG_ENTRY_MISMATCH',
      ],
      ['missing-entry', { ...story.logged, log: [story.evidence.issuance] }, 'LOG_ENTRY_MISSING'],
      ['unwitnessed', (await loggedStory({ keys: story.keys, witness: false })).logged, 'LOG_WITNESS_THRESHOLD_UNMET'],
    ];
    // One run over all four (each CLI start costs seconds on a loaded machine); each is reported on its own.
    const files = cases.map(([name, value]) => write(`${name}.bundle.json`, value));
    const run = offline('verify', ...files, '--trust', trust);
    expect(run.status, run.out).toBe(1);
    for (const [name, , code] of cases) {
      expect(run.out, name).toMatch(new RegExp(`✘ \\S+${name}\\.bundle\\.json +NOT verified \\(log: ${code}\\)`));
      expect(run.out, name).toContain(`✘ log ${code}`);
    }
    expect(run.out).toContain('4 files: 0 verified, 4 failed');
  });

  it('no pinned trust exits 1 (TRUST_NOT_PINNED); --allow-untrusted passes only with a loud warning, never ✔ trust', () => {
    const strict = offline('verify', bundle);
    expect(strict.status, strict.out).toBe(1);
    expect(strict.out).toContain('✘ trust TRUST_NOT_PINNED');
    const loose = offline('verify', bundle, '--allow-untrusted');
    expect(loose.status, loose.out).toBe(0);
    expect(loose.out.split('\n')[0]).toMatch(/^⚠ .*verified, with warnings/);
    expect(loose.out).toContain('⚠ trust TRUST_NOT_PINNED');
    expect(loose.out).not.toMatch(/✔ trust/);
    // Without a log key pinned, the log is a warning too, and --require-log fails.
    expect(loose.out).toContain('⚠ log LOG_NOT_CHECKED');
    const required = offline('verify', bundle, '--allow-untrusted', '--require-log');
    expect(required.status).toBe(1);
    expect(required.out).toContain('✘ log LOG_KEY_NOT_PINNED');
  });

  it('--did-doc counts as pinned trust', () => {
    const didDoc = write('registry.did.json', story.registry.didDocument);
    const run = offline('verify', bundle, '--did-doc', didDoc);
    expect(run.status, run.out).toBe(0);
    expect(run.out).not.toContain('TRUST_NOT_PINNED');
  });
});
