import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, example, startLedgerServer, type TestServer } from './helpers.js';

type Json = Record<string, any>;

describe('POST /registry/retirements: the over-claim check cannot be bypassed by the unit (25 t retired)', () => {
  let server: TestServer;
  let buyer: string;

  beforeAll(async () => {
    server = await startLedgerServer();
    buyer = await server.keyFor('holder:ACC-DE-0042');
    for (const [path, name] of [
      ['/registry/accounts', 'account-coop'],
      ['/registry/accounts', 'account-buyer'],
      ['/registry/issuances', 'issuance'],
      ['/registry/transfers', 'transfer'],
    ] as const) {
      const response = await server.post(path, await example(name), { key: ADMIN_KEY });
      expect(response.status, `${path} ${await response.clone().text()}`).toBe(201);
    }
  });
  afterAll(async () => server?.stop());

  async function claim(value: number, unit: string, retirementId: string): Promise<{ status: number; body: Json }> {
    const body = await example('retirement');
    (body.claimBoundary as Json).coveredQuantity = { value, unit };
    body.retirementId = retirementId;
    const response = await server.post('/registry/retirements', body, { key: buyer });
    return { status: response.status, body: (await response.json()) as Json };
  }

  async function tradable(): Promise<number> {
    const response = await server.get('/registry/accounts/ACC-DE-0042/holdings', { accept: 'application/json' });
    return ((await response.json()) as Json).totals.tradable;
  }

  it.each([
    [1e12, 'MGM', 'RET-MGM'],
    [1000, 'DTN', 'RET-DTN'],
    [25000.00000001, 'KGM', 'RET-KGM-OVER'],
  ])('%s %s is refused with CLAIM_EXCEEDS_RETIRED, and nothing is retired', async (value, unit, id) => {
    const before = await tradable();
    expect(await claim(value, unit, id)).toMatchObject({
      status: 422,
      body: { code: 'CLAIM_EXCEEDS_RETIRED', path: '/claimBoundary/coveredQuantity/value' },
    });
    expect(await tradable()).toBe(before);
  });

  it('10^9 kg (not a Rec 20 code) is refused with UNIT_UNSUPPORTED naming the field', async () => {
    const before = await tradable();
    expect(await claim(1e9, 'kg', 'RET-KG')).toMatchObject({
      status: 422,
      body: { code: 'UNIT_UNSUPPORTED', path: '/claimBoundary/coveredQuantity/unit' },
    });
    expect(await tradable()).toBe(before);
  });

  it('a correct claim, 25 000 KGM against 25 t, is retired', async () => {
    const before = await tradable();
    const { status, body } = await claim(25000, 'KGM', 'RET-KGM');
    expect(status, JSON.stringify(body)).toBe(201);
    expect(body.quantity).toBe(25);
    expect(await tradable()).toBe(before - 25);
  });
});
