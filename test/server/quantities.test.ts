import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, example, runCobaltStory, startLedgerServer, type TestServer } from './helpers.js';

type Json = Record<string, any>;

describe('POST /registry/retirements: the over-claim check cannot be bypassed by the unit (25 t retired)', () => {
  let server: TestServer;
  let buyer: string;

  beforeAll(async () => {
    server = await startLedgerServer();
    buyer = await server.keyFor('holder:ACC-DE-0042');
    await runCobaltStory(server, { retire: false }); // 65 of the 120 credits now at the buyer
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

  it('an issuance of 10^15 t of cobalt is refused with ISSUANCE_EXCEEDS_CAP (default cap 1 000 000)', async () => {
    const body = { ...(await example('issuance')), issuanceId: 'RCC-HUGE', prefix: 'RCC-HUGE', quantity: 1e15 };
    const response = await server.post('/registry/issuances', body, { key: ADMIN_KEY });
    expect({ status: response.status, body: await response.json() }).toMatchObject({
      status: 422,
      body: { code: 'ISSUANCE_EXCEEDS_CAP', path: '/quantity' },
    });
  });

  it('a correct claim, 25 000 KGM against 25 t, is retired', async () => {
    const before = await tradable();
    const { status, body } = await claim(25000, 'KGM', 'RET-KGM');
    expect(status, JSON.stringify(body)).toBe(201);
    expect(body.quantity).toBe(25);
    expect(await tradable()).toBe(before - 25);
  });
});

describe('registry API answers with exact totals: all issuances together stay within 2^53 − 1', () => {
  const MAX = Number.MAX_SAFE_INTEGER;
  let server: TestServer;

  beforeAll(async () => {
    // A registry that lifts the per-issuance cap to the limit, to reach the ceiling.
    server = await startLedgerServer({}, { maxIssuanceQuantity: MAX });
    const response = await server.post('/registry/accounts', await example('account-coop'), { key: ADMIN_KEY });
    expect(response.status).toBe(201);
  });
  afterAll(async () => server?.stop());

  const issuance = async (id: string, quantity: number) =>
    server.post(
      '/registry/issuances',
      { ...(await example('issuance')), issuanceId: id, prefix: id, quantity },
      {
        key: ADMIN_KEY,
      },
    );

  it('two issuances of 2^53 − 1 plus 40: the second and the 40 are refused; the account total is exact', async () => {
    const first = await issuance('RCC-MAX-A', MAX);
    expect(first.status, await first.clone().text()).toBe(201);
    for (const [id, quantity] of [
      ['RCC-MAX-B', MAX],
      ['RCC-MAX-C', 40],
    ] as const) {
      const refused = await issuance(id, quantity);
      expect({ status: refused.status, body: await refused.json() }).toMatchObject({
        status: 422,
        body: { code: 'TOTAL_OUT_OF_RANGE', path: '/quantity' },
      });
    }
    const holdings = await server.get('/registry/accounts/ACC-CD-0001/holdings', { accept: 'application/json' });
    const text = await holdings.text();
    expect(JSON.parse(text).totals).toEqual({ tradable: MAX });
    expect(text).toContain('"tradable":9007199254740991');
  });
});
