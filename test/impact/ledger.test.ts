import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOWN_COMMODITIES } from '../../src/cli/footprint.js';
import { checkCoverage, computeFootprint, productsFromCsv } from '../../src/footprint/index.js';
import { digestMultibase, jwsOf, jwsPayload } from '../../src/lib/digest.js';
import { allocationsForRetirement, readOverview } from '../../src/impact/ledger.js';
import type { TestServer } from '../server/helpers.js';
import { allocationDraft, postAllocation, retirementJwsOf, seededServer } from './support.js';

describe('premium allocations in the registry', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await seededServer(true);
  }, 60_000);
  afterAll(async () => server?.stop());

  it('records the report against the ledger retirement it cites by digest; the overview numbers match the ledger and the credential', async () => {
    const [record] = await allocationsForRetirement(server.db, 'RET-2026-0007');
    expect(record).toMatchObject({
      reportId: 'PAR-2026-H2-CD-LU-1532',
      currency: 'USD',
      received: '37500.00',
      allocated: '34500.00',
      retirementAmount: '37500.00',
    });
    expect(record!.items.map((i) => [i.impactArea, i.amount])).toEqual([
      ['health-and-safety', '15000.00'],
      ['child-rights', '9000.00'],
      ['cooperative-governance', '6000.00'],
      ['environment', '4500.00'],
    ]);
    const payload = jwsPayload(
      (await server.db.query<{ jws: string }>('SELECT jws FROM impact_allocations')).rows[0]!.jws,
    ) as any;
    expect(payload.credentialSubject.premiumAllocation.premiumReceived[0].retirement.digestMultibase).toBe(
      digestMultibase(await retirementJwsOf(server, 'RET-2026-0007')),
    );

    const overview = await readOverview(server.db);
    expect(overview).toMatchObject({
      issued: 120,
      held: 95,
      retired: 25,
      premium: [
        {
          currency: 'USD',
          received: '37500.00',
          allocated: '34500.00',
          byArea: { 'health-and-safety': '15000.00', environment: '4500.00' },
        },
      ],
    });
    expect(overview.sites).toEqual([
      {
        id: 'https://registry.mineral-credits.example/sites/CD-LU-ZEA-1532',
        name: 'Kasulo-Mutoshi artisanal exploitation zone 1532 (fictional)',
        issued: 120,
        retired: 25,
      },
    ]);
    expect(overview.months.reduce((s, m) => s + m.issued, 0)).toBe(120);
    const site = await readOverview(server.db, overview.sites[0]!.id);
    expect(site).toMatchObject({
      siteName: 'Kasulo-Mutoshi artisanal exploitation zone 1532 (fictional)',
      issued: 120,
      retired: 25,
    });
    expect((await readOverview(server.db, 'https://elsewhere.example/site')).issued).toBe(0);
  });

  it("the ledger signs the report: its id, issuer, status entry (a ledger list) and log entry are the ledger's", async () => {
    const { rows } = await server.db.query<{ jws: string; credential_id: string; digest: string }>(
      'SELECT jws, credential_id, digest FROM impact_allocations',
    );
    const payload = jwsPayload(rows[0]!.jws) as any;
    const identity = await server.context.identity();
    expect(payload.issuer.id).toBe(identity.did);
    expect(payload.id).toBe(rows[0]!.credential_id);
    expect(payload.id.startsWith(`${identity.publicUrl}/registry/credentials/`)).toBe(true);
    expect(payload.credentialStatus.statusListCredential.startsWith(`${identity.publicUrl}/registry/status/`)).toBe(
      true,
    );
    expect(Number.isInteger(payload.credentialStatus.statusListIndex)).toBe(true);
    expect(payload.credentialSubject.id).toBe(`${identity.publicUrl}/registry/allocations/PAR-2026-H2-CD-LU-1532`);
    const verified = await server.post('/credentials/verify', {
      verifiableCredential: {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: 'EnvelopedVerifiableCredential',
        id: `data:application/vc+jwt,${rows[0]!.jws}`,
      },
    });
    expect(verified.status, await verified.clone().text()).toBe(200);
    // One ledger event, `allocated`, whose log entry names the credential and its digest.
    const events = (await (await server.get('/registry/events?limit=500')).json()) as { items: any[] };
    const event = events.items.find((e) => e.type === 'allocated');
    expect(event?.payload).toMatchObject({ reportId: 'PAR-2026-H2-CD-LU-1532', retirementIds: ['RET-2026-0007'] });
    const record = (await (await server.get('/registry/allocations/PAR-2026-H2-CD-LU-1532')).json()) as any;
    expect(record).toMatchObject({ credentialId: payload.id, digestMultibase: rows[0]!.digest });
    expect((await server.get('/registry/allocations/PAR-NOPE')).status).toBe(404);
  });

  it('refuses a report twice, an unknown retirement, a wrong digest, a signed report, a holder key; the database refuses allocated > received and any change', async () => {
    const code = async (response: Response) => ((await response.json()) as { code: string }).code;
    const twice = await postAllocation(server, await allocationDraft(server));
    expect(twice.status).toBe(409);
    expect(await code(twice)).toBe('ALLOCATION_EXISTS');
    const unknown = await postAllocation(
      server,
      await allocationDraft(server, (i) => {
        i.reportId = 'PAR-X1';
        i.premiumReceived[0].retirementId = 'RET-NOPE';
        i.premiumReceived[0].retirement.id = 'https://registry.example.test/credentials/nope';
      }),
    );
    expect(await code(unknown)).toBe('RETIREMENT_NOT_FOUND');
    const digest = await postAllocation(
      server,
      await allocationDraft(server, (i) => {
        i.reportId = 'PAR-X2';
        delete i.premiumReceived[0].retirement.jws;
        i.premiumReceived[0].retirement.digestMultibase = digestMultibase('not it');
      }),
    );
    expect(await code(digest)).toBe('DIGEST_MISMATCH');
    const holder = await postAllocation(server, await allocationDraft(server, (i) => (i.reportId = 'PAR-X3')), {
      key: await server.keyFor('holder:ACC-DE-0042'),
    });
    expect(holder.status).toBe(403);
    const notADraft = await postAllocation(server, { type: ['VerifiableCredential'], credentialSubject: {} });
    expect(notADraft.status).toBe(400);
    expect(await code(notADraft)).toBe('REQUEST_INVALID');
    await expect(
      server.db.query(
        "INSERT INTO impact_allocations (id, credential_id, jws, digest, site_id, site_name, currency, received, allocated, period_start, period_end) VALUES ('X', 'x', 'j', 'd', 's', 's', 'USD', 10, 10.01, '2026-01-01', '2026-01-02')",
      ),
    ).rejects.toThrow();
    await expect(server.db.query('UPDATE impact_allocations SET allocated = 0')).rejects.toThrow(/append-only/);
    expect((await allocationsForRetirement(server.db, 'RET-2026-0007')).length).toBe(1);
  });

  it('serves the overview as JSON and the signed report as an enveloped credential', async () => {
    const json = (await (await server.get('/overview', { accept: 'application/json' })).json()) as any;
    expect(json).toMatchObject({ issued: 120, held: 95, retired: 25 });
    const site = await server.get('/overview/sites/CD-LU-ZEA-1532', { accept: 'application/json' });
    expect(site.status).toBe(200);
    expect((await server.get('/overview/sites/nowhere', { accept: 'application/json' })).status).toBe(404);
    const enveloped = (await (
      await server.get('/overview/allocations/PAR-2026-H2-CD-LU-1532/credential')
    ).json()) as any;
    expect(jwsPayload(jwsOf(JSON.stringify(enveloped))).type).toContain('PremiumAllocationCredential');
  });

  it('the draft retirement request from the footprint is a request the registry accepts, and the retirement covers the footprint period', async () => {
    const draft = JSON.parse(
      readFileSync(new URL('../../examples/footprint/draft-retirement-request.json', import.meta.url), 'utf8'),
    );
    const buyer = await server.keyFor('holder:ACC-DE-0042');
    const response = await server.post(
      '/registry/retirements',
      { ...draft, retirementId: 'RET-FP-2026' },
      { key: buyer },
    );
    const body = (await response.json()) as any;
    expect(response.status, JSON.stringify(body)).toBe(201);
    expect(body.quantity).toBe(25);
    const footprint = computeFootprint(
      {
        products: productsFromCsv(
          readFileSync(new URL('../../examples/footprint/products.csv', import.meta.url), 'utf8'),
        ),
      },
      { commodity: KNOWN_COMMODITIES.Co! },
    );
    const report = checkCoverage(footprint, [body.credential]);
    expect(report.periods.map((p) => [p.period, p.coveredShare])).toEqual([
      ['2026', 1],
      ['2027-H1', 0],
    ]);
    expect(report.overClaimed).toEqual([]);
  });
});
