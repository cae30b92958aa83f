import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestMultibase, jwsOf } from '../../src/lib/digest.js';
import { commitBeneficiary, WITHHELD_BENEFICIARY_POINTER } from '../../src/credits/beneficiary.js';
import { releaseDisclosure } from '../../src/disclosure/release.js';
import { presentSdJwt } from '../../src/secure/sd-jwt/sign.js';
import { issueSdJwt } from '../../src/issue.js';
import { createDidResolver } from '../../src/keys/resolver.js';
import { identityDidDocument, identitySigner } from '../../src/server/identity.js';
import { verify } from '../../src/verify/verify.js';
import { ADMIN_KEY, example, startLedgerServer, type TestServer } from '../server/helpers.js';

type Json = Record<string, any>;

/**
 * The delayed-beneficiary story over the HTTP API with an injectable clock: a buyer retires 25
 * credits for a beneficiary it may not name until 2027-03-31; the registry publishes the retirement
 * with a salted-hash commitment; it verifies before the date ("withheld until"), and after the
 * date the same credential (same id, same digest, same serials) verifies together with the
 * registry's signed disclosure release.
 */
describe('withheld beneficiary, end to end through the registry API', () => {
  // The ledger stamps retiredAt with the system clock; the verifier's and the release's clock is injected.
  let now = new Date();
  let server: TestServer;
  let buyer: string;
  const DISCLOSURE_DATE = `${now.getUTCFullYear() + 1}-03-31`;
  const AFTER = new Date(`${now.getUTCFullYear() + 1}-04-01T08:00:00Z`);
  // A retirement agent's customer, who may not be named before its report is out (not the account holder).
  const beneficiary = {
    id: 'did:web:nordlicht-automotive.example',
    name: 'Nordlicht Automotive AG (fictional)',
    jurisdiction: 'DE',
    onBehalfOf: true,
  };

  beforeAll(async () => {
    server = await startLedgerServer({ clock: () => now });
    const coop = await server.keyFor('holder:ACC-CD-0001');
    buyer = await server.keyFor('holder:ACC-DE-0042');
    const issuer = await server.keyFor('issuer');
    for (const [path, body, key] of [
      ['/registry/accounts', await example('account-coop'), ADMIN_KEY],
      ['/registry/accounts', await example('account-buyer'), ADMIN_KEY],
      ['/registry/issuances', await example('issuance'), issuer],
      ['/registry/transfers', await example('transfer'), coop],
    ] as const) {
      const response = await server.post(path, body, { key });
      expect(response.status, `${path}: ${(await response.clone().text()).slice(0, 300)}`).toBe(201);
    }
  });
  afterAll(async () => server?.stop());

  it('publishes a retirement whose beneficiary is a commitment, and releases it after the date', async () => {
    const body = (await example('retirement')) as Json;
    const { commitment, disclosure } = commitBeneficiary(beneficiary, DISCLOSURE_DATE);
    const { beneficiary: _named, ...rest } = body;
    const posted = await server.post(
      '/registry/retirements',
      { ...rest, withheldBeneficiary: commitment },
      { key: buyer },
    );
    const retired = (await posted.json()) as Json;
    expect(posted.status, JSON.stringify(retired).slice(0, 400)).toBe(201);

    // The public credential names no beneficiary: only the commitment.
    const published = (await (await server.get('/registry/retirements/RET-2026-0007/credential')).json()) as Json;
    const jws = jwsOf(JSON.stringify(published));
    const text = Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8');
    expect(text).not.toContain(beneficiary.name);
    expect(text).not.toContain(beneficiary.id);
    const payload = JSON.parse(text) as Json;
    expect(payload.credentialSubject.creditRetirement.withheldBeneficiary).toEqual(commitment);
    const serials = payload.credentialSubject.creditRetirement.retiredUnits.map((u: Json) => u.serialBlock);

    now = new Date();
    const resolver = createDidResolver({ documents: [await identityDidDocument(server.identity)] });

    // Before the date: verifies, and says "withheld until".
    const before = await verify(published, { resolver, clock: () => now });
    expect(before.verified, JSON.stringify(before.steps)).toBe(true);
    expect(before.steps.find((s) => s.name === 'disclosure')).toMatchObject({
      ok: true,
      code: 'FIELD_WITHHELD',
      message: `beneficiary withheld until ${DISCLOSURE_DATE}`,
    });
    expect(before.warnings).toContainEqual(
      expect.objectContaining({ code: 'FIELD_WITHHELD', path: WITHHELD_BENEFICIARY_POINTER }),
    );
    // The server's own verifier (VC-API) agrees.
    const viaApi = (await (
      await server.post('/credentials/verify', { verifiableCredential: published })
    ).json()) as Json;
    expect(viaApi.verified, JSON.stringify(viaApi.steps)).toBe(true);
    expect(viaApi.warnings).toContainEqual(expect.objectContaining({ code: 'FIELD_WITHHELD' }));

    // The public statement page does not leak the beneficiary either.
    const page = await server.get('/registry/retirements/RET-2026-0007', { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain(beneficiary.name);

    // The registry will not release before the date.
    const signer = await identitySigner(server.identity);
    await expect(
      releaseDisclosure({ credentialJws: jws, disclosure: disclosure.disclosure, now }, signer),
    ).rejects.toMatchObject({ code: 'DISCLOSURE_NOT_DUE' });

    // After the date, without a release: still verifies, with DISCLOSURE_OVERDUE.
    now = AFTER;
    const overdue = await verify(published, { resolver, clock: () => now });
    expect(overdue.verified).toBe(true);
    expect(overdue.warnings).toContainEqual(expect.objectContaining({ code: 'DISCLOSURE_OVERDUE' }));

    // The release: the same credential (same id, same digest, same serials) and the disclosure verify together.
    const release = await releaseDisclosure({ credentialJws: jws, disclosure: disclosure.disclosure, now }, signer);
    const again = (await (await server.get('/registry/retirements/RET-2026-0007/credential')).json()) as Json;
    expect(digestMultibase(jwsOf(JSON.stringify(again)))).toBe(digestMultibase(jws));
    const after = await verify(again, { resolver, clock: () => now, disclosures: [release] });
    expect(after.verified, JSON.stringify(after.steps)).toBe(true);
    expect(after.credential?.id).toBe(payload.id);
    expect(
      (after.credential as Json).credentialSubject.creditRetirement.retiredUnits.map((u: Json) => u.serialBlock),
    ).toEqual(serials);
    expect(after.steps.find((s) => s.name === 'disclosure')).toMatchObject({ ok: true, code: 'FIELD_DISCLOSED' });
    expect(after.withheld).toEqual([
      expect.objectContaining({ field: 'beneficiary', state: 'disclosed', value: { ...beneficiary } }),
    ]);

    // No second retirement of the same units: the serials stay retired once.
    const record = (await (
      await server.get('/registry/retirements/RET-2026-0007', { accept: 'application/json' })
    ).json()) as Json;
    expect(record).toMatchObject({ retirementId: 'RET-2026-0007', quantity: 25 });
    const [first] = serials as { prefix: string; start: number; end: number }[];
    const { quantity: _q, ...unsized } = rest;
    const second = await server.post(
      '/registry/retirements',
      {
        ...unsized,
        retirementId: 'RET-2027-0001',
        beneficiary,
        ranges: [{ prefix: first!.prefix, start: first!.start, end: first!.end }],
      },
      { key: buyer },
    );
    expect(second.status, await second.clone().text()).toBe(409);
  });

  it("verifies an SD-JWT copy of the retirement through the server's VC-API, with some claims withheld", async () => {
    const published = (await (await server.get('/registry/retirements/RET-2026-0007/credential')).json()) as Json;
    const payload = JSON.parse(
      Buffer.from(jwsOf(JSON.stringify(published)).split('.')[1]!, 'base64url').toString('utf8'),
    ) as Json;
    const sd = await issueSdJwt(payload, {
      signer: await identitySigner(server.identity),
      disclosable: ['/credentialSubject/creditRetirement/purposeDetails'],
    });
    const shown = await presentSdJwt(sd, { disclose: [] });
    const response = await server.post('/credentials/verify', { verifiableCredential: shown });
    const report = (await response.json()) as Json;
    expect(response.status, JSON.stringify(report.steps)).toBe(200);
    expect(report).toMatchObject({ verified: true, format: 'sd-jwt' });
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ code: 'CLAIMS_MAY_BE_WITHHELD', path: '/credentialSubject/creditRetirement' }),
    );
    expect(report.credential.credentialSubject.creditRetirement.purposeDetails).toBeUndefined();
  });
});
