import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runApiKeyCreate } from '../../src/cli/apikey.js';
import { runInit } from '../../src/cli/init.js';
import { runServe } from '../../src/cli/serve.js';
import { openServerDatabase } from '../../src/server/bootstrap.js';
import { ROOT } from '../helpers.js';
import { example } from './helpers.js';

const dirs: string[] = [];
/** A data directory whose parent does not exist yet (as ./data/registry on a fresh clone). */
function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'untp-credits-cli-'));
  dirs.push(dir);
  return join(dir, 'data', 'registry');
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function capture(): { lines: string[]; out: (line: string) => void } {
  const lines: string[] = [];
  return { lines, out: (line) => lines.push(line) };
}

describe('untp-credits init and apikey', () => {
  it('init creates the identity once; needs PUBLIC_URL; refuses another; rotates keys', async () => {
    const dataDir = tmp();
    // No PUBLIC_URL is a usage error (PUBLIC_URL_REQUIRED: exit 2); another PUBLIC_URL is refused (IDENTITY_MISMATCH: 1).
    expect(await runInit({ dataDir }, {}, capture().out)).toBe(2);
    const first = capture();
    expect(await runInit({ dataDir, publicUrl: 'https://registry.example.org' }, {}, first.out)).toBe(0);
    expect(first.lines.join('\n')).toContain('did:web:registry.example.org');
    expect(first.lines.join('\n')).toContain('DID document https://registry.example.org/.well-known/did.json');
    expect(await runInit({ dataDir }, { PUBLIC_URL: 'https://other.example.org' }, capture().out)).toBe(1);
    const rotated = capture();
    expect(await runInit({ dataDir, rotateKey: true }, {}, rotated.out)).toBe(0);
    expect(rotated.lines.join('\n')).toContain('2 key(s)');
    const doc = capture();
    expect(await runInit({ dataDir, printDidDocument: true }, {}, doc.out)).toBe(0);
    expect(JSON.parse(doc.lines.join('\n')).verificationMethod).toHaveLength(5); // two keys × (JsonWebKey + Multikey), and the log key
  });

  it('apikey create prints the key once and stores only its hash', async () => {
    const dataDir = tmp();
    const created = capture();
    expect(await runApiKeyCreate({ scope: ['holder:ACC-1', 'issuer'], dataDir }, {}, created.out)).toBe(0);
    const key = created.lines[0] as string;
    expect(key).toMatch(/^uck_[A-Za-z0-9_-]{40,}$/);
    expect(await runApiKeyCreate({ scope: ['root'], dataDir }, {}, capture().out)).toBe(2);
    const db = await openServerDatabase({ dataDir });
    try {
      const { rows } = await db.query<{ hash: string; scopes: string[] }>('SELECT hash, scopes FROM server_api_keys');
      expect(rows).toHaveLength(1);
      expect(rows[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(rows)).not.toContain(key);
      expect(rows[0]?.scopes).toEqual(['holder:ACC-1', 'issuer']);
    } finally {
      await db.close();
    }
  });
});

const MAIN = join(ROOT, 'dist/cli/main.js');

/** Runs `node dist/cli/main.js serve …` and waits for its first output line. */
function serve(
  args: string[],
  env: Record<string, string>,
): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [MAIN, 'serve', ...args], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (/admin key|statement|serving .*\n.*\n.*\n/.test(text) || child.exitCode !== null) {
        clearInterval(timer);
        resolve({ child, output: () => text, exited });
      }
    }, 100);
  });
}

describe.skipIf(!existsSync(MAIN))('untp-credits serve (built CLI; run npm run build first)', () => {
  it('refuses to start without PUBLIC_URL outside demo mode', async () => {
    const { output, exited } = await serve(['--data-dir', tmp()], { PUBLIC_URL: '', ISSUER_DID: '', DATABASE_URL: '' });
    expect(await exited).toBe(2);
    expect(output()).toContain('PUBLIC_URL_REQUIRED');
  });

  it('refuses a failed-auth limit that is not a whole number, naming the flag', async () => {
    const { output, exited } = await serve(['--demo', '--data-dir', tmp(), '--failed-auth-limit', 'ten'], {
      DATABASE_URL: '',
    });
    expect(await exited).toBe(2);
    expect(output()).toMatch(/OPTION_INVALID: --failed-auth-limit ten/);
    const exponent = await serve(['--demo', '--data-dir', tmp(), '--failed-auth-limit', '1e2'], { DATABASE_URL: '' });
    expect(await exponent.exited).toBe(2);
  });

  it('refuses an issuance cap that is not a whole number of credits from 1 to 2^53 − 1 (flag or MAX_ISSUANCE_QUANTITY)', async () => {
    const errors: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (errors.push(String(chunk)), true));
    try {
      for (const value of ['0', '1e6', '-1', '9007199254740992', 'lots'])
        expect(await runServe({ demo: true, dataDir: tmp(), maxIssuance: value }, {}), value).toBe(2);
      expect(await runServe({ demo: true, dataDir: tmp() }, { MAX_ISSUANCE_QUANTITY: '2.5' })).toBe(2);
    } finally {
      stderr.mockRestore();
    }
    expect(errors.join('')).toMatch(/OPTION_INVALID: --max-issuance 1e6 is not a whole number of credits/);
    expect(errors).toHaveLength(6);
  });

  it('--demo prints its URL, seeds the examples, serves the statement, and stops cleanly on SIGTERM', async () => {
    const dataDir = tmp();
    // An empty FAILED_AUTH_LIMIT (as a deployment template leaves it) keeps the default limit.
    const { child, output, exited } = await serve(['--demo', '--data-dir', dataDir, '--max-issuance', '200'], {
      DATABASE_URL: '',
      UNTP_CREDITS_ADMIN_KEY: '',
      FAILED_AUTH_LIMIT: '',
    });
    try {
      const url = /serving (http:\/\/localhost:\d+)/.exec(output())?.[1];
      expect(url, output()).toBeDefined();
      expect(output()).toContain('DEMO');
      const statement = /statement (http\S+)/.exec(output())?.[1] as string;
      const key = /demo admin key \(this run only\): (\S+)/.exec(output())?.[1] as string;
      const local = (u: string) => u.replace('localhost', '127.0.0.1');
      const page = await fetch(local(statement), { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('DEMO');
      // The seeded story ends with the committee's allocation of the premium ("Where the premium went").
      const retirementId = decodeURIComponent(statement.split('/').pop() as string);
      const premium = (await (
        await fetch(local(`${url}/overview/retirements/${encodeURIComponent(retirementId)}`), {
          headers: { accept: 'application/json' },
        })
      ).json()) as { allocations: Array<{ received: string; allocated: string }> };
      expect(premium.allocations).toHaveLength(1);
      expect(premium.allocations[0]).toMatchObject({ received: '37500.00', allocated: '34500.00' });
      const issued = await fetch(local(`${url}/credentials/issue`), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({
          credential: {
            '@context': ['https://www.w3.org/ns/credentials/v2'],
            type: ['VerifiableCredential'],
            credentialSubject: { id: 'did:example:1' },
          },
        }),
      });
      expect(issued.status).toBe(201);
      // --max-issuance 200: the seeded 120 went through, 201 in one issuance does not.
      const tooLarge = await fetch(local(`${url}/registry/issuances`), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({
          ...(await example('issuance')),
          issuanceId: 'RCC-CAP',
          prefix: 'RCC-CAP',
          quantity: 201,
        }),
      });
      expect(await tooLarge.json()).toMatchObject({ status: 422, code: 'ISSUANCE_EXCEEDS_CAP', path: '/quantity' });
      const guesses: number[] = [];
      for (let i = 0; i < 21; i++)
        guesses.push(
          (
            await fetch(local(`${url}/credentials/issue`), {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer guess-${i}` },
              body: '{}',
            })
          ).status,
        );
      expect(guesses.indexOf(429)).toBe(20);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });
});
