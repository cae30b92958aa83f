import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerKeys, runKeysGenerate, runKeysRevoke } from '../src/cli/keys.js';
import { runSign } from '../src/cli/sign.js';
import { registerVerify, runVerify } from '../src/cli/verify.js';
import { smallCredential } from './secure/helpers.js';

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l: string) => lines.push(l), err: (l: string) => errors.push(l) };
}

const FIXTURES = 'test/fixtures/untp/0.7.0';
const SAMPLE = `${FIXTURES}/enveloped/sample-enveloped-dpp-v0.7.0.json`;
const SAMPLE_DID = `${FIXTURES}/did/did-web-uncefact.github.io-project-vckit-test-and-development.did.json`;

describe('CLI: keys generate, sign, verify', () => {
  it('generates a key and DID document, signs in all three formats, and verifies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'untp-cli-'));
    const did = 'did:web:issuer.example.com:mine';
    const ed = capture();
    expect(await runKeysGenerate({ did, out: join(dir, 'keys') }, ed.out, ed.err)).toBe(0);
    const p256 = capture();
    expect(await runKeysGenerate({ did, out: join(dir, 'keys'), alg: 'ES256' }, p256.out, p256.err)).toBe(0);
    const document = JSON.parse(readFileSync(join(dir, 'keys', 'did.json'), 'utf8')) as {
      assertionMethod: string[];
      authentication: string[];
      verificationMethod: Array<{ type: string }>;
    };
    expect(document.assertionMethod).toHaveLength(4);
    expect(document.authentication).toHaveLength(4);
    expect(document.verificationMethod.map((m) => m.type)).toEqual([
      'JsonWebKey',
      'Multikey',
      'JsonWebKey',
      'Multikey',
    ]);
    const keyFile = (c: ReturnType<typeof capture>) => (c.lines[0] as string).split(/\s+/)[2] as string;

    const unsigned = join(dir, 'credential.json');
    writeFileSync(unsigned, JSON.stringify(smallCredential(did)));
    const signedFiles: string[] = [];
    for (const [format, key] of [
      ['jose', keyFile(ed)],
      ['eddsa-rdfc-2022', keyFile(ed)],
      ['ecdsa-rdfc-2019', keyFile(p256)],
      ['jose', keyFile(p256)],
    ] as const) {
      const outFile = join(dir, `signed-${signedFiles.length}.json`);
      const s = capture();
      expect(await runSign(unsigned, { key, format, out: outFile }, s.out, s.err)).toBe(0);
      signedFiles.push(outFile);
    }
    const v = capture();
    expect(
      await runVerify(
        signedFiles,
        { didDoc: [join(dir, 'keys', 'did.json')], now: '2026-01-01T00:00:00Z' },
        v.out,
        v.err,
      ),
    ).toBe(0);
    expect(v.lines.join('\n')).toContain('✔ ' + signedFiles[0]);

    // without the DID document: not verified (exit 1), the key step says why
    const missing = capture();
    expect(await runVerify([signedFiles[0] as string], {}, missing.out, missing.err)).toBe(1);
    expect(missing.lines.join('\n')).toContain('DID_NOT_FOUND');

    // revoking the Ed25519 key (compromise) makes its statements fail with KEY_NOT_IN_ASSERTION_METHOD
    const r = capture();
    const edKid = (ed.lines[2] as string).split(/\s+/)[2] as string;
    expect(await runKeysRevoke({ didDoc: join(dir, 'keys', 'did.json'), key: edKid }, r.out, r.err)).toBe(0);
    const after = capture();
    expect(
      await runVerify(
        signedFiles,
        { didDoc: [join(dir, 'keys', 'did.json')], json: true, now: '2026-01-01T00:00:00Z' },
        after.out,
        after.err,
      ),
    ).toBe(1);
    const { results } = JSON.parse(after.lines.join('\n')) as {
      results: Array<{ report: { verified: boolean; steps: Array<{ ok: boolean; code?: string }> } }>;
    };
    expect(results.map((x) => x.report.verified)).toEqual([false, false, true, true]);
    expect(results[0]?.report.steps.find((s) => !s.ok)?.code).toBe('KEY_NOT_IN_ASSERTION_METHOD');
  });

  it('sign refuses an invalid credential (exit 1) and a bad key file (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'untp-cli-'));
    const did = 'did:web:issuer.example.com';
    const g = capture();
    await runKeysGenerate({ did, out: dir }, g.out, g.err);
    const key = (g.lines[0] as string).split(/\s+/)[2] as string;
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify(smallCredential(did, { validFrom: 'soon' })));
    const s = capture();
    expect(await runSign(invalid, { key, format: 'jose' }, s.out, s.err)).toBe(1);
    expect(s.errors.join('\n')).toContain('refused');
    const k = capture();
    expect(await runSign(invalid, { key: join(dir, 'did.json'), format: 'jose' }, k.out, k.err)).toBe(2);
    const f = capture();
    expect(await runSign(invalid, { key, format: 'rsa' }, f.out, f.err)).toBe(2);
  });

  it('verify: the UNTP sample with --did-doc exits 0; unreadable or non-JSON input exits 2 naming the file', async () => {
    const ok = capture();
    expect(await runVerify([SAMPLE], { didDoc: [SAMPLE_DID], now: '2026-01-01T00:00:00Z' }, ok.out, ok.err)).toBe(0);
    expect(ok.lines.join('\n')).toContain('STATUS_UNAVAILABLE');
    const dir = mkdtempSync(join(tmpdir(), 'untp-cli-'));
    const garbage = join(dir, 'garbage.json');
    writeFileSync(garbage, '{ not json');
    const bad = capture();
    expect(
      await runVerify([SAMPLE, garbage, join(dir, 'missing.json')], { didDoc: [SAMPLE_DID] }, bad.out, bad.err),
    ).toBe(2);
    expect(bad.errors.join('\n')).toContain(garbage);
    expect(bad.errors.join('\n')).toContain('missing.json');
    // A batch ends with one summary line: counts by outcome and the time.
    expect(bad.lines.at(-1)).toMatch(/^3 files: \d verified, \d failed, 2 unreadable in \d+(\.\d)? s$/);
    expect(ok.lines.join('\n')).not.toMatch(/ files?: /); // one file: no summary
    const badDid = capture();
    expect(await runVerify([SAMPLE], { didDoc: [garbage] }, badDid.out, badDid.err)).toBe(2);
    expect(badDid.errors.join('\n')).toContain(garbage);
  });

  it('verify --challenge/--domain: a plain credential fails with NOT_A_PRESENTATION (exit 2), not a silent pass', async () => {
    const options = { didDoc: [SAMPLE_DID], now: '2026-01-01T00:00:00Z' };
    const plain = capture();
    expect(await runVerify([SAMPLE], options, plain.out, plain.err)).toBe(0); // positive control
    for (const binding of [{ challenge: 'c-123' }, { domain: 'verifier.example' }]) {
      const bound = capture();
      expect(await runVerify([SAMPLE], { ...options, ...binding }, bound.out, bound.err)).toBe(2);
      expect(bound.lines.join('\n')).toContain('✘ challenge NOT_A_PRESENTATION');
      expect(bound.lines.join('\n')).toContain('NOT verified');
    }
  });

  it('the verbs are wired into commander (repeatable --did-doc, --json)', async () => {
    const program = new Command().exitOverride();
    registerKeys(program);
    registerVerify(program);
    const written: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      await program.parseAsync(
        ['verify', '--did-doc', SAMPLE_DID, '--did-doc', SAMPLE_DID, '--json', '--now', '2026-01-01T00:00:00Z', SAMPLE],
        { from: 'user' },
      );
    } finally {
      process.stdout.write = original;
    }
    expect(process.exitCode).toBe(0);
    expect(JSON.parse(written.join('')).results[0].report.verified).toBe(true);
    process.exitCode = undefined;
  });
});
