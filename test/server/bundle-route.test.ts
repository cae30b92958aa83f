import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../src/bundle/verify.js';
import { ADMIN_KEY, example, startLedgerServer, type TestServer } from './helpers.js';

type Json = Record<string, any>;

describe('GET /registry/retirements/:id/bundle', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startLedgerServer();
    for (const [path, name] of [
      ['/registry/accounts', 'account-coop'],
      ['/registry/accounts', 'account-buyer'],
      ['/registry/issuances', 'issuance'],
      ['/registry/transfers', 'transfer'],
      ['/registry/retirements', 'retirement'],
    ] as const) {
      const response = await server.post(path, await example(name), { key: ADMIN_KEY });
      expect(response.status, `${path}: ${await response.clone().text()}`).toBe(201);
    }
  });
  afterAll(async () => server?.stop());

  it('returns the signed offline bundle, which verifies with no network', async () => {
    const response = await server.get('/registry/retirements/RET-2026-0007/bundle');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const bundle = (await response.json()) as Json;
    expect(bundle.type).toBe('UntpCreditsVerificationBundle');
    expect(bundle.issuances).toHaveLength(1);
    const record = (await (await server.get('/registry/retirements/RET-2026-0007')).json()) as Json;
    expect(`data:application/vc+jwt,${bundle.retirement}`).toBe(record.credential.id);
    const report = await verifyBundle(bundle, { allowUntrusted: true });
    expect(report.verified, JSON.stringify(report.steps.filter((s) => !s.ok))).toBe(true);
  });

  it('answers 404 problem+json for an unknown retirement', async () => {
    const response = await server.get('/registry/retirements/RET-NOPE/bundle');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await response.json()).toMatchObject({ code: 'RETIREMENT_NOT_FOUND' });
  });
});
