import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../src/bundle/verify.js';
import { ACCOUNT_VERB } from '../../src/cli/account.js';
import { runBundle } from '../../src/cli/bundle.js';
import { ISSUE_VERB } from '../../src/cli/issue.js';
import { guardedTransport, runLedgerVerb } from '../../src/cli/registry-access.js';
import { RETIRE_VERB } from '../../src/cli/retire.js';
import { TRANSFER_VERB } from '../../src/cli/transfer.js';
import { checkFetchUrl, guardedFetch } from '../../src/net/guarded-fetch.js';
import { ROOT } from '../helpers.js';
import { startLedgerServer, type TestServer } from '../server/helpers.js';

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l: string) => lines.push(l), err: (l: string) => errors.push(l) };
}

const api = (name: string) => join(ROOT, 'examples', 'api', `${name}.json`);
const work = mkdtempSync(join(tmpdir(), 'untp-transport-'));

describe('guarded fetcher: POST and plain-HTTP loopback, opt-in only', () => {
  let echo: Server;
  let port = 0;
  const seen: Array<{ method: string; headers: Record<string, unknown>; body: string }> = [];
  beforeAll(async () => {
    echo = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        seen.push({ method: String(req.method), headers: req.headers, body });
        if (req.url === '/redirect') {
          res.writeHead(302, { location: 'http://127.0.0.1/' }).end();
          return;
        }
        res
          .writeHead(req.url === '/missing' ? 404 : 201, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: req.url !== '/missing' }));
      });
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    port = (echo.address() as AddressInfo).port;
  });
  afterAll(async () => new Promise<void>((resolve) => echo.close(() => resolve())));

  it('refuses plain HTTP without the opt-in, and non-loopback HTTP with it', async () => {
    expect(() => checkFetchUrl(`http://127.0.0.1:${port}/`)).toThrow(/only https/);
    await expect(guardedFetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' })).rejects.toMatchObject({
      code: 'FETCH_URL_REFUSED',
    });
    for (const url of [
      'http://10.0.0.1/',
      'http://registry.example/',
      'http://192.168.1.1:8080/',
      'http://u:p@127.0.0.1/',
    ]) {
      expect(() => checkFetchUrl(url, { allowLoopbackHttp: true }), url).toThrow();
    }
    expect(checkFetchUrl(`http://localhost:${port}/x`, { allowLoopbackHttp: true }).pathname).toBe('/x');
    expect(seen).toHaveLength(0);
  });

  it('POSTs a JSON body with the given headers; with anyStatus, a 4xx answer comes back with its body; redirects stay refused', async () => {
    const posted = await guardedFetch(`http://127.0.0.1:${port}/write`, {
      method: 'POST',
      body: '{"a":1}',
      headers: { authorization: 'Bearer k', 'idempotency-key': 'i-1' },
      allowLoopbackHttp: true,
      anyStatus: true,
    });
    expect(posted.status).toBe(201);
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      body: '{"a":1}',
      headers: {
        authorization: 'Bearer k',
        'idempotency-key': 'i-1',
        'content-type': 'application/json',
        'content-length': '7',
      },
    });
    const missing = await guardedFetch(`http://127.0.0.1:${port}/missing`, {
      allowLoopbackHttp: true,
      anyStatus: true,
    });
    expect([missing.status, new TextDecoder().decode(missing.body)]).toEqual([404, '{"ok":false}']);
    await expect(guardedFetch(`http://127.0.0.1:${port}/missing`, { allowLoopbackHttp: true })).rejects.toMatchObject({
      code: 'FETCH_FAILED',
    });
    await expect(
      guardedFetch(`http://127.0.0.1:${port}/redirect`, { allowLoopbackHttp: true, anyStatus: true }),
    ).rejects.toMatchObject({ code: 'FETCH_REDIRECT_REFUSED' });
    const viaTransport = await guardedTransport({
      method: 'GET',
      url: `http://localhost:${port}/read`,
      headers: { accept: 'application/json' },
    });
    expect(viaTransport.status).toBe(201);
  });
});

describe('registry verbs against a running server (--registry http://127.0.0.1:PORT)', () => {
  let server: TestServer;
  let base: string;
  beforeAll(async () => {
    server = await startLedgerServer();
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => server?.stop());

  it('account, issue, transfer and retire through the API with UNTP_CREDITS_API_KEY; bundle --registry fetches a bundle that verifies', async () => {
    const admin = { UNTP_CREDITS_API_KEY: await server.keyFor('admin', 'issuer') } as NodeJS.ProcessEnv;
    const run = async (spec: typeof ISSUE_VERB, options: Record<string, unknown>, env: NodeJS.ProcessEnv) => {
      const c = capture();
      const code = await runLedgerVerb(spec, { registry: base, json: true, ...options }, c.out, c.err, env);
      return { code, c };
    };
    for (const name of ['account-coop', 'account-buyer'])
      expect((await run(ACCOUNT_VERB, { body: api(name) }, admin)).code).toBe(0);
    const issued = await run(ISSUE_VERB, { body: api('issuance'), key: 'cli-iss-1' }, admin);
    expect(issued.code, issued.c.errors.join('\n')).toBe(0);
    expect(JSON.parse(issued.c.lines.join('\n'))).toMatchObject({ issuanceId: 'RCC-2026-Q1-0001' });
    // The idempotency key travels: the same key replays instead of conflicting.
    expect((await run(ISSUE_VERB, { body: api('issuance'), key: 'cli-iss-1' }, admin)).code).toBe(0);
    expect((await run(TRANSFER_VERB, { body: api('transfer') }, admin)).code).toBe(0);

    // retire: the holder's key; a key without the scope is refused with the server's code (FORBIDDEN: exit 2, could not run).
    const stranger = await run(RETIRE_VERB, { body: api('retirement') }, {
      UNTP_CREDITS_API_KEY: await server.keyFor('holder:ACC-XX-0000'),
    } as NodeJS.ProcessEnv);
    expect(stranger.code).toBe(2);
    expect(stranger.c.errors[0]).toContain('FORBIDDEN');
    const retired = await run(RETIRE_VERB, { body: api('retirement') }, {
      UNTP_CREDITS_API_KEY: await server.keyFor('holder:ACC-DE-0042'),
    } as NodeJS.ProcessEnv);
    expect(retired.code, retired.c.errors.join('\n')).toBe(0);
    expect(JSON.parse(retired.c.lines.join('\n'))).toMatchObject({ retirementId: 'RET-2026-0007', quantity: 25 });

    const file = join(work, 'RET-2026-0007.bundle.json');
    const b = capture();
    expect(
      await runBundle(
        { retirement: 'RET-2026-0007', registry: base, out: file },
        b.out,
        b.err,
        {} as NodeJS.ProcessEnv,
      ),
      b.errors.join('\n'),
    ).toBe(0);
    const report = await verifyBundle(JSON.parse(readFileSync(file, 'utf8')), { allowUntrusted: true });
    expect(report.verified, JSON.stringify(report.steps.filter((s) => !s.ok))).toBe(true);
    const none = capture();
    expect(
      await runBundle({ retirement: 'RET-NOPE', registry: base }, none.out, none.err, {} as NodeJS.ProcessEnv),
    ).toBe(1);
  });
});
