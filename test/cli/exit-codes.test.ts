import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACCOUNT_VERB } from '../../src/cli/account.js';
import { runApiKeyCreate } from '../../src/cli/apikey.js';
import { runBundle } from '../../src/cli/bundle.js';
import { runDigest } from '../../src/cli/digest.js';
import { runInit } from '../../src/cli/init.js';
import { runLookup } from '../../src/cli/lookup.js';
import { runLedgerVerb } from '../../src/cli/registry-access.js';
import { runServe } from '../../src/cli/serve.js';
import { runStatus } from '../../src/cli/status.js';
import { runValidate } from '../../src/cli/validate.js';
import { runVerify } from '../../src/cli/verify.js';
import { ERROR_CATALOGUE } from '../../src/errors/catalogue.js';
import { openServerDatabase } from '../../src/server/bootstrap.js';
import { ROOT } from '../helpers.js';
import { startLedgerServer, type TestServer } from '../server/helpers.js';

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l: string) => lines.push(l), err: (l: string) => errors.push(l) };
}

const MAIN = join(ROOT, 'dist/cli/main.js');
const work = mkdtempSync(join(tmpdir(), 'untp-exit-'));
const api = (name: string) => join(ROOT, 'examples', 'api', `${name}.json`);
const catalogueExit = (code: keyof typeof ERROR_CATALOGUE) => ERROR_CATALOGUE[code].exit;

describe.skipIf(!existsSync(MAIN))('the built CLI (run npm run build first)', () => {
  it('a usage error exits 2; codes --json prints the catalogue as { code, http, exit, title }', () => {
    const usage = spawnSync(process.execPath, [MAIN, 'verify', '--no-such-flag', 'x.json'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    const codes = spawnSync(process.execPath, [MAIN, 'codes', '--json'], { encoding: 'utf8' });
    expect(codes.status).toBe(0);
    expect(JSON.parse(codes.stdout)).toEqual(
      Object.entries(ERROR_CATALOGUE).map(([code, { http, exit, title }]) => ({ code, http, exit, title })),
    );
    const table = spawnSync(process.execPath, [MAIN, 'codes'], { encoding: 'utf8' });
    expect(table.stdout).toMatch(/^TOO_MANY_FAILED_ATTEMPTS +429 +2 +Too many failed attempts$/m);
  });
});

describe('offline verbs: a failed check exits 1, unreadable input 2', () => {
  const signed = join(ROOT, 'examples', 'cobalt', 'issuance.signed.json');
  const registryDid = join(ROOT, 'examples', 'keys', 'registry.mineral-credits.example.did.json');

  it('verify: 0 verified, 1 tampered (the signature check failed), 2 a missing file', async () => {
    const ok = capture();
    expect(await runVerify([signed], { didDoc: [registryDid] }, ok.out, ok.err), ok.errors.join('\n')).toBe(0);
    const enveloped = JSON.parse(readFileSync(signed, 'utf8')) as { id: string };
    const [head, payload, signature] = enveloped.id.replace(/^data:application\/vc\+jwt,/, '').split('.') as [
      string,
      string,
      string,
    ];
    const flipped = `${payload.slice(0, 20)}${payload[20] === 'A' ? 'B' : 'A'}${payload.slice(21)}`;
    const tampered = join(work, 'tampered.json');
    writeFileSync(
      tampered,
      JSON.stringify({ ...enveloped, id: `data:application/vc+jwt,${head}.${flipped}.${signature}` }),
    );
    const bad = capture();
    expect(await runVerify([tampered], { didDoc: [registryDid] }, bad.out, bad.err)).toBe(1);
    const missing = capture();
    expect(await runVerify([join(work, 'nope.json')], {}, missing.out, missing.err)).toBe(2);
    // A flag the verb cannot use is a usage error (2), through the same mapping.
    expect(await runVerify([signed], { now: 'yesterday' }, capture().out, capture().err)).toBe(2);
  });

  it('validate and digest: 1 when the check fails, 2 when the input cannot be read', async () => {
    const invalid = join(work, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ type: ['VerifiableCredential'] }));
    expect(await runValidate([invalid], {}, capture().out, capture().err)).toBe(1);
    const notJson = join(work, 'broken.json');
    writeFileSync(notJson, '{ nope');
    expect(await runValidate([notJson], {}, capture().out, capture().err)).toBe(2);
    // Another credential's digest: well-formed, so the check runs and fails.
    const other = capture();
    expect(runDigest(join(ROOT, 'examples', 'cobalt', 'retirement.signed.json'), {}, other.out, other.err)).toBe(0);
    expect(runDigest(signed, { check: other.lines[0] as string }, capture().out, capture().err)).toBe(1);
    const malformed = capture();
    expect(runDigest(signed, { check: 'not-a-digest' }, malformed.out, malformed.err)).toBe(
      catalogueExit('DIGEST_INVALID'),
    );
    expect(malformed.errors[0]).toMatch(/^digest: .*: DIGEST_INVALID: /);
  });
});

describe('registry verbs over HTTP: credentials exit 2 (401 and 403 alike), a refusal 1', () => {
  let server: TestServer;
  let base: string;
  beforeAll(async () => {
    server = await startLedgerServer();
    base = `http://127.0.0.1:${server.port}`;
  }, 60_000);
  afterAll(async () => server?.stop());

  const account = async (env: NodeJS.ProcessEnv) => {
    const c = capture();
    const code = await runLedgerVerb(ACCOUNT_VERB, { registry: base, body: api('account-coop') }, c.out, c.err, env);
    return { code, error: c.errors.join('\n') };
  };

  it('no key (API_KEY_MISSING), a key the server does not know (401), a key without the scope (403): exit 2', async () => {
    expect(await account({} as NodeJS.ProcessEnv)).toMatchObject({
      code: 2,
      error: expect.stringContaining('API_KEY_MISSING'),
    });
    expect(
      await account({ UNTP_CREDITS_API_KEY: 'uck_not-a-key-of-this-registry' } as NodeJS.ProcessEnv),
    ).toMatchObject({
      code: 2,
      error: expect.stringContaining('UNAUTHENTICATED'),
    });
    const holder = await server.keyFor('holder:ACC-XX-0000');
    expect(await account({ UNTP_CREDITS_API_KEY: holder } as NodeJS.ProcessEnv)).toMatchObject({
      code: 2,
      error: expect.stringContaining('FORBIDDEN'),
    });
    // The same key with the scope: done (0); the same account again: the registry refuses (1).
    const admin = { UNTP_CREDITS_API_KEY: await server.keyFor('admin') } as NodeJS.ProcessEnv;
    expect(await account(admin)).toMatchObject({ code: 0 });
    expect(await account(admin)).toMatchObject({ code: 1, error: expect.stringContaining('ACCOUNT_EXISTS') });
    const unknown = capture();
    expect(await runLookup('RCC-NOPE-1', { registry: base }, unknown.out, unknown.err, {} as NodeJS.ProcessEnv)).toBe(
      1,
    );
    expect(unknown.errors[0]).toMatch(/^lookup: SERIAL_NOT_FOUND: /);
  }, 60_000);
});

describe('REGISTRY_LOCKED: one exit code from every verb that opens the data directory', () => {
  const dataDir = join(work, 'locked');
  let holder: Awaited<ReturnType<typeof openServerDatabase>>;
  beforeAll(async () => {
    holder = await openServerDatabase({ dataDir });
  }, 60_000);
  afterAll(async () => holder?.close());

  it('bundle, lookup, status, serve, init and apikey all exit 2 with REGISTRY_LOCKED', async () => {
    const env = {} as NodeJS.ProcessEnv;
    const stderr: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr.push(String(chunk));
      return true;
    });
    const lines: string[] = [];
    const err = (l: string) => lines.push(l);
    try {
      const codes = {
        bundle: await runBundle({ retirement: 'RET-1', dataDir }, capture().out, err, env),
        lookup: await runLookup('RCC-1', { dataDir }, capture().out, err, env),
        status: await runStatus('RET-1', { dataDir }, capture().out, err, env),
        serve: await runServe({ demo: true, dataDir, port: '0' }, env, capture().out),
        init: await runInit({ dataDir, publicUrl: 'https://registry.example' }, env, capture().out),
        apikey: await runApiKeyCreate({ scope: ['admin'], dataDir }, env, capture().out),
      };
      expect(codes).toEqual({ bundle: 2, lookup: 2, status: 2, serve: 2, init: 2, apikey: 2 });
    } finally {
      write.mockRestore();
    }
    const all = [...lines, ...stderr];
    expect(all).toHaveLength(6);
    for (const line of all) expect(line).toMatch(/^[a-z]+: REGISTRY_LOCKED: /);
  }, 60_000);
});
