import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, example, startLedgerServer, type TestServer } from './helpers.js';

type Json = Record<string, any>;

describe('registry API over the ledger (examples/api bodies)', () => {
  let server: TestServer;
  let issuer: string;
  let admin: string;
  let coop: string;
  let buyer: string;
  let other: string;

  beforeAll(async () => {
    server = await startLedgerServer();
    issuer = await server.keyFor('issuer');
    admin = await server.keyFor('admin');
    coop = await server.keyFor('holder:ACC-CD-0001');
    buyer = await server.keyFor('holder:ACC-DE-0042');
    other = await server.keyFor('holder:ACC-XX-0000');
  });
  afterAll(async () => server?.stop());

  async function created(
    path: string,
    body: unknown,
    key: string,
    headers: Record<string, string> = {},
  ): Promise<Json> {
    const response = await server.post(path, body, { key, headers });
    const json = (await response.json()) as Json;
    expect(response.status, `${path}: ${JSON.stringify(json).slice(0, 400)}`).toBe(201);
    return json;
  }

  it('runs the whole life of a credit: accounts, issuance, transfer, retirement, reads', async () => {
    // Accounts: admin only.
    expect((await server.post('/registry/accounts', await example('account-coop'), { key: issuer })).status).toBe(403);
    await created('/registry/accounts', await example('account-coop'), admin);
    await created('/registry/accounts', await example('account-buyer'), ADMIN_KEY);

    // Issuance: issuer only; 201 with the enveloped credential.
    expect((await server.post('/registry/issuances', await example('issuance'), { key: admin })).status).toBe(403);
    expect((await server.post('/registry/issuances', await example('issuance'))).status).toBe(401);
    const issued = await created('/registry/issuances', await example('issuance'), issuer, {
      'idempotency-key': 'iss-1',
    });
    expect(issued.issuanceId).toBe('RCC-2026-Q1-0001');
    expect(issued.credential.type).toBe('EnvelopedVerifiableCredential');
    expect(issued.serialBlock).toMatchObject({ start: 1, end: 120, quantity: 120 });
    // The same Idempotency-Key replays; a second issuance with the same id conflicts.
    const replay = await server.post('/registry/issuances', await example('issuance'), {
      key: issuer,
      headers: { 'idempotency-key': 'iss-1' },
    });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotency-replayed')).toBe('true');
    const again = await server.post('/registry/issuances', await example('issuance'), { key: issuer });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: expect.stringMatching(/ISSUANCE_EXISTS|SERIALS_OVERLAP/) });

    // The issuance credential verifies here (own DID document, own status list).
    const verified = await server.post('/credentials/verify', { verifiableCredential: issued.credential });
    const report = (await verified.json()) as Json;
    expect(verified.status, JSON.stringify(report.steps)).toBe(200);
    expect(report.steps.find((s: Json) => s.name === 'status')).toMatchObject({ ok: true });
    expect(report.steps.find((s: Json) => s.name === 'status').code).toBeUndefined();

    // Transfer: holder of the debited account, or admin.
    expect((await server.post('/registry/transfers', await example('transfer'), { key: buyer })).status).toBe(403);
    const moved = await created('/registry/transfers', await example('transfer'), coop);
    expect(moved.quantity).toBe(65);

    // Retirement: holder of the retiring account.
    expect((await server.post('/registry/retirements', await example('retirement'), { key: other })).status).toBe(403);
    expect((await server.post('/registry/retirements', await example('retirement'), { key: coop })).status).toBe(403);
    const retired = await created('/registry/retirements', await example('retirement'), buyer);
    expect(retired.retirementId).toBe('RET-2026-0007');
    expect(retired.quantity).toBe(25);
    expect(retired.credential.type).toBe('EnvelopedVerifiableCredential');
    expect(retired.recordUrl).toBe('https://registry.example.test/registry/retirements/RET-2026-0007');
    const dup = await server.post('/registry/retirements', await example('retirement'), { key: buyer });
    expect(dup.status).toBe(409);
    // RETIREMENT_EXISTS (or CONFLICT from the unique key, on PGlite where the ledger's pre-check misses).
    expect(await dup.json()).toMatchObject({ code: expect.stringMatching(/RETIREMENT_EXISTS|CONFLICT/) });
    // Retiring more than held: 409.
    const tooMuch = await server.post(
      '/registry/retirements',
      { ...(await example('retirement')), retirementId: 'RET-BIG', quantity: 1000 },
      { key: buyer },
    );
    expect(tooMuch.status).toBe(409);
    expect(await tooMuch.json()).toMatchObject({ code: 'INSUFFICIENT_HOLDING' });
    // A list of blocks.
    const blocks = await created('/registry/retirements', await example('retirement-blocks'), buyer);
    expect(blocks.quantity).toBe(10);

    // Reads are public.
    const issuance = (await (await server.get('/registry/issuances/RCC-2026-Q1-0001')).json()) as Json;
    expect(issuance).toMatchObject({ issuanceId: 'RCC-2026-Q1-0001', revoked: false });
    expect((await server.get('/registry/issuances/RCC-2026-Q1-0001/credential')).status).toBe(200);
    const record = (await (
      await server.get('/registry/retirements/RET-2026-0007', { accept: 'application/json' })
    ).json()) as Json;
    expect(record).toMatchObject({ retirementId: 'RET-2026-0007', quantity: 25, account: 'ACC-DE-0042' });
    const credential = (await (await server.get('/registry/retirements/RET-2026-0007/credential')).json()) as Json;
    expect(credential).toEqual(record.credential);
    const payload = JSON.parse(Buffer.from(String(String(credential.id).split('.')[1]), 'base64url').toString());
    const byId = await server.get(new URL(payload.id).pathname);
    expect(byId.status).toBe(200);
    expect(await byId.json()).toEqual(credential);
    const statusUrl = new URL(
      payload.credentialStatus.statusListCredential ?? payload.credentialStatus[0].statusListCredential,
    );
    expect(statusUrl.pathname).toMatch(/^\/registry\/status\/\d+$/);
    const list = await server.get(statusUrl.pathname);
    expect(list.status).toBe(200);
    expect((await server.get(`/status-lists/${statusUrl.pathname.split('/').pop()}`)).status).toBe(200);

    const page1 = (await (await server.get('/registry/retirements?limit=1')).json()) as Json;
    expect(page1.items).toHaveLength(1);
    expect(page1.next).toBeDefined();
    const page2 = (await (await server.get(`/registry/retirements?limit=1&cursor=${page1.next}`)).json()) as Json;
    expect(page2.items).toHaveLength(1);
    expect(page2.items[0].retirementId).not.toBe(page1.items[0].retirementId);
    expect(page2.next).toBeUndefined();
    expect((await server.get('/registry/retirements?limit=0')).status).toBe(400);

    const serial = (await (await server.get('/registry/serials/RCC-CD-LU-1532-2026Q1-3')).json()) as Json;
    expect(serial).toMatchObject({ state: 'retired', holder: 'ACC-DE-0042' });
    expect((await server.get('/registry/serials/RCC-CD-LU-1532-2026Q1-999')).status).toBe(404);
    expect((await server.get('/registry/serials/nonsense')).status).toBe(400);

    const holdings = (await (await server.get('/registry/accounts/ACC-DE-0042/holdings')).json()) as Json;
    expect(holdings.totals).toMatchObject({ retired: 35, tradable: 30 });
    expect((await server.get('/registry/accounts/NOPE/holdings')).status).toBe(404);

    const events = (await (await server.get('/registry/events?limit=2')).json()) as Json;
    expect(events.items).toHaveLength(2);
    const ndjson = await server.get('/registry/events', { accept: 'application/x-ndjson' });
    expect(ndjson.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await ndjson.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Json);
    expect(lines.map((e) => e.type)).toEqual(
      expect.arrayContaining(['account.opened', 'issued', 'transferred', 'retired']),
    );
    expect(lines.map((e) => e.seq)).toEqual([...lines.map((e) => e.seq)].sort((a, b) => a - b));

    const invariants = (await (await server.get('/registry/invariants')).json()) as Json;
    expect(invariants).toMatchObject({ ok: true, violations: [] });

    for (const missing of [
      '/registry/issuances/NOPE',
      '/registry/retirements/NOPE',
      '/registry/retirements/NOPE/credential',
      '/registry/credentials/nope',
    ]) {
      const response = await server.get(missing);
      expect(response.status, missing).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('admin commands: suspend/unsuspend, amend, cancel, invalidate, correct (admin scope only)', async () => {
    for (const [path, name] of [
      ['/registry/suspensions', 'suspension'],
      ['/registry/retirement-amendments', 'retirement-amendment'],
      ['/registry/cancellations', 'cancellation'],
      ['/registry/invalidations', 'invalidation'],
      ['/registry/corrections', 'correction'],
      ['/registry/unsuspensions', 'unsuspension'],
    ] as const) {
      expect((await server.post(path, await example(name), { key: buyer })).status, path).toBe(403);
      expect((await server.post(path, await example(name), { key: issuer })).status, path).toBe(403);
    }
    const suspended = await created('/registry/suspensions', await example('suspension'), admin);
    expect(suspended.quantity).toBe(5);
    await created('/registry/unsuspensions', await example('unsuspension'), admin);

    const amended = await created('/registry/retirement-amendments', await example('retirement-amendment'), admin);
    expect(amended.credential.type).toBe('EnvelopedVerifiableCredential');
    expect(amended.revoked).toHaveLength(1);
    // The old retirement credential is revoked now: verification fails with CREDENTIAL_REVOKED.
    const old = await (await server.get('/registry/retirements/RET-2026-0007/credential')).json();
    const oldReport = await server.post('/credentials/verify', { verifiableCredential: old });
    expect(oldReport.status).toBe(400);
    expect(((await oldReport.json()) as Json).steps.find((s: Json) => !s.ok)).toMatchObject({
      name: 'status',
      code: 'CREDENTIAL_REVOKED',
    });
    const record = (await (await server.get('/registry/retirements/RET-2026-0007')).json()) as Json;
    expect(record.replacedBy).toBe('RET-2026-0007-A1');
    // The old statement says it was amended, and links the new one.
    const oldPage = await (await server.get('/registry/retirements/RET-2026-0007', { accept: 'text/html' })).text();
    expect(oldPage).toContain('was <strong>amended</strong>');
    expect(oldPage).toContain('href="./RET-2026-0007-A1"');

    const cancelled = await created('/registry/cancellations', await example('cancellation'), admin);
    expect(cancelled.quantity).toBe(5);
    const invalidated = await created('/registry/invalidations', await example('invalidation'), admin);
    expect(invalidated.retirementId).toBe('RET-2026-0008');
    expect(await (await server.get('/registry/retirements/RET-2026-0008', { accept: 'text/html' })).text()).toContain(
      '<strong>invalidated</strong>',
    );
    const again = await server.post('/registry/invalidations', await example('invalidation'), { key: admin });
    expect(again.status).toBe(409);
    const corrected = await server.post('/registry/corrections', await example('correction'), { key: admin });
    // A correction needs the unretired units with one holder; here they sit with two accounts.
    expect([201, 409, 422]).toContain(corrected.status);

    // VC-API status updates do not bypass the ledger for credit credentials.
    const status = await server.post(
      '/credentials/status',
      {
        credentialId: record.credentialId,
        credentialStatus: [{ type: 'BitstringStatusListEntry', statusPurpose: 'revocation', status: true }],
      },
      { key: admin },
    );
    expect(status.status).toBe(409);
    expect(await status.json()).toMatchObject({ code: 'STATUS_MANAGED_BY_LEDGER' });
    const unknown = await server.post(
      '/credentials/status',
      {
        credentialId: 'https://registry.example.test/registry/credentials/nope',
        credentialStatus: [{ statusPurpose: 'revocation', status: true }],
      },
      { key: admin },
    );
    expect(unknown.status).toBe(404);

    expect(await (await server.get('/registry/invariants')).json()).toMatchObject({ ok: true });
  });

  it('admin acts on behalf of holders; a revoked key is refused', async () => {
    const moved = await created('/registry/transfers', { from: 'ACC-DE-0042', to: 'ACC-CD-0001', quantity: 1 }, admin);
    expect(moved.quantity).toBe(1);
    const { revokeApiKey, listApiKeys } = await import('../../src/server/auth.js');
    const keys = await listApiKeys(server.db);
    const coopKey = keys.find((k) => k.scopes.includes('holder:ACC-CD-0001' as never));
    expect(await revokeApiKey(server.db, coopKey?.id as string)).toBe(true);
    const refused = await server.post(
      '/registry/transfers',
      { from: 'ACC-CD-0001', to: 'ACC-DE-0042', quantity: 1 },
      { key: coop },
    );
    expect(refused.status).toBe(401);
  });

  it('refuses bad bodies with 400/422 and never 5xx', async () => {
    const bad = await server.post('/registry/issuances', { issuanceId: 'X-1', holder: 'ACC-CD-0001' }, { key: issuer });
    expect(bad.status).toBe(400);
    const invalid = await server.post(
      '/registry/issuances',
      { issuanceId: 'X-2', quantity: 5, holder: 'ACC-CD-0001', vintage: 2026 },
      { key: issuer },
    );
    expect(invalid.status).toBe(422);
    const unknownAccount = await server.post(
      '/registry/transfers',
      { from: 'ACC-CD-0001', to: 'NOBODY', quantity: 1 },
      { key: admin },
    );
    expect(unknownAccount.status).toBe(404);
    expect(await unknownAccount.json()).toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
    const blocks = await server.post('/registry/retirements', { account: 'ACC-DE-0042', blocks: 'x' }, { key: buyer });
    expect(blocks.status).toBe(400);
    // The body's schema names the field that is wrong, as a JSON pointer.
    const fractional = await server.post(
      '/registry/retirements',
      { account: 'ACC-DE-0042', blocks: [{ issuanceId: 'RCC-2026-Q1-0001', quantity: 0.5 }] },
      { key: buyer },
    );
    expect(fractional.status).toBe(400);
    expect(await fractional.json()).toMatchObject({ code: 'REQUEST_INVALID', path: '/blocks/0/quantity' });
    const huge = await server.post(
      '/registry/transfers',
      { from: 'ACC-CD-0001', to: 'ACC-DE-0042', quantity: 2 ** 53 },
      { key: admin },
    );
    expect(await huge.json()).toMatchObject({ status: 400, code: 'REQUEST_INVALID', path: '/quantity' });
  });
});
