import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../src/bundle/verify.js';
import { digestMultibase, jwsOf } from '../../src/lib/digest.js';
import { commitBeneficiary } from '../../src/credits/beneficiary.js';
import { ADMIN_KEY, example, startLedgerServer, type TestServer } from './helpers.js';

type Json = Record<string, any>;

/**
 * A withheld beneficiary over the registry API with the server's injectable clock (which the ledger
 * uses too): retire → record and statement say "withheld until D" → verify before the date → early
 * release refused → release after the date (stored, served with the record) → verify with the
 * release → the statement names the beneficiary.
 */
describe('withheld beneficiary on the server: releases stored and served', () => {
  // Three days ago, to the second: distinct from the system clock, so retiredAt shows which clock the ledger used.
  let now = new Date(Math.floor(Date.now() / 1000) * 1000 - 3 * 86_400_000);
  const retiredAt = now.toISOString();
  const year = now.getUTCFullYear() + 1;
  const DISCLOSURE_DATE = `${year}-03-31`;
  const AFTER = new Date(`${year}-04-01T08:00:00Z`);
  const beneficiary = {
    id: 'did:web:nordlicht-automotive.example',
    name: 'Nordlicht Automotive AG (fictional)',
    jurisdiction: 'DE',
    onBehalfOf: true,
  };
  const { commitment, disclosure } = commitBeneficiary(beneficiary, DISCLOSURE_DATE);
  const other = commitBeneficiary(
    { ...beneficiary, name: 'Someone Else GmbH (fictional)' },
    DISCLOSURE_DATE,
  ).disclosure;
  let server: TestServer;
  let buyer: string;
  let stranger: string;

  beforeAll(async () => {
    server = await startLedgerServer({ clock: () => now });
    buyer = await server.keyFor('holder:ACC-DE-0042');
    stranger = await server.keyFor('holder:ACC-XX-0000');
    for (const [path, name] of [
      ['/registry/accounts', 'account-coop'],
      ['/registry/accounts', 'account-buyer'],
      ['/registry/issuances', 'issuance'],
      ['/registry/transfers', 'transfer'],
    ] as const) {
      const response = await server.post(path, await example(name), { key: ADMIN_KEY });
      expect(response.status, `${path}: ${(await response.clone().text()).slice(0, 300)}`).toBe(201);
    }
  });
  afterAll(async () => server?.stop());

  const record = async () =>
    (await server.get('/registry/retirements/RET-2026-0007', { accept: 'application/json' })).json() as Promise<Json>;
  const page = async () => (await server.get('/registry/retirements/RET-2026-0007', { accept: 'text/html' })).text();
  const release = (body: Json, key = buyer) =>
    server.post('/registry/retirements/RET-2026-0007/disclosures', body, { key });

  it('retires, verifies before the date, refuses an early release, releases after the date, verifies with the release', async () => {
    const { beneficiary: _named, ...rest } = await example('retirement');
    const posted = await server.post(
      '/registry/retirements',
      { ...rest, withheldBeneficiary: commitment },
      { key: buyer },
    );
    expect(posted.status, (await posted.clone().text()).slice(0, 300)).toBe(201);

    // (e) the ledger stamps with the server's clock; (c) the record carries the withheld state.
    const before = await record();
    expect(before.retiredAt).toBe(retiredAt);
    expect(before.disclosures).toEqual([]);
    expect(before.withheld).toEqual([
      expect.objectContaining({
        field: 'beneficiary',
        state: 'withheld',
        disclosureDate: DISCLOSURE_DATE,
        text: `Beneficiary withheld until ${DISCLOSURE_DATE}`,
      }),
    ]);
    const jws = jwsOf(JSON.stringify(before.credential));
    const digest = digestMultibase(jws);
    expect(before.digestMultibase).toBe(digest);

    // (a) the statement page says "withheld until D" and names no one.
    const html = await page();
    expect(html).toContain(`withheld until ${DISCLOSURE_DATE}`);
    expect(html).toMatch(/data-field="beneficiary" data-withheld="withheld"/);
    expect(html).not.toContain(beneficiary.name);

    // Before the date the credential verifies (d: the server's verifier), withheld.
    const early = (await (
      await server.post('/credentials/verify', { verifiableCredential: before.credential })
    ).json()) as Json;
    expect(early.verified, JSON.stringify(early.steps)).toBe(true);
    expect(early.steps.find((s: Json) => s.name === 'disclosure')).toMatchObject({ ok: true, code: 'FIELD_WITHHELD' });

    // (b) early release refused (409); a stranger may not release (403); a bad body is 400.
    const notDue = await release({ disclosure: disclosure.disclosure });
    expect(notDue.status).toBe(409);
    expect(await notDue.json()).toMatchObject({ code: 'DISCLOSURE_NOT_DUE' });
    expect((await release({ disclosure: disclosure.disclosure }, stranger)).status).toBe(403);
    expect(
      (await server.post('/registry/retirements/RET-2026-0007/disclosures', { disclosure: disclosure.disclosure }))
        .status,
    ).toBe(401);
    expect((await release({ disclosure: 42 })).status).toBe(400);
    expect((await release({ disclosure: disclosure.disclosure, early: 'yes' })).status).toBe(400);
    expect(
      (
        await server.post(
          '/registry/retirements/RET-NOPE/disclosures',
          { disclosure: disclosure.disclosure },
          { key: ADMIN_KEY },
        )
      ).status,
    ).toBe(404);
    // Not admin: no retirement, or an issuer key, is a 403 (scope first).
    expect(
      (
        await server.post(
          '/registry/retirements/RET-NOPE/disclosures',
          { disclosure: disclosure.disclosure },
          { key: buyer },
        )
      ).status,
    ).toBe(403);
    expect((await release({ disclosure: disclosure.disclosure }, await server.keyFor('issuer'))).status).toBe(403);
    expect((await record()).disclosures).toEqual([]);

    // After the date: a disclosure that does not open the commitment is 422; the right one is released and stored.
    now = AFTER;
    expect((await record()).withheld[0]).toMatchObject({ state: 'overdue' });
    const mismatch = await release({ disclosure: other.disclosure });
    expect(mismatch.status).toBe(422);
    expect(await mismatch.json()).toMatchObject({ code: 'DISCLOSURE_MISMATCH' });
    const released = await release({ disclosure: disclosure.disclosure });
    const answer = (await released.json()) as Json;
    expect(released.status, JSON.stringify(answer)).toBe(201);
    expect(answer).toMatchObject({
      retirementId: 'RET-2026-0007',
      commitment: '/credentialSubject/creditRetirement/withheldBeneficiary',
      releasedAt: AFTER.toISOString(),
    });
    // Asking again answers the stored release.
    expect(((await (await release({ disclosure: disclosure.disclosure }, ADMIN_KEY)).json()) as Json).release).toBe(
      answer.release,
    );

    // (c) the record serves the release and the disclosed state; the credential is the same (id, digest).
    const after = await record();
    expect(after.disclosures).toEqual([answer.release]);
    expect(after.withheld).toEqual([
      expect.objectContaining({
        state: 'disclosed',
        value: beneficiary,
        text: expect.stringContaining(beneficiary.name),
      }),
    ]);
    expect(after.digestMultibase).toBe(digest);
    expect(after.credentialId).toBe(before.credentialId);

    // (d) verify with the release through the server.
    const verified = (await (
      await server.post('/credentials/verify', {
        verifiableCredential: after.credential,
        options: { disclosures: after.disclosures },
      })
    ).json()) as Json;
    expect(verified.verified, JSON.stringify(verified.steps)).toBe(true);
    expect(verified.steps.find((s: Json) => s.name === 'disclosure')).toMatchObject({
      ok: true,
      code: 'FIELD_DISCLOSED',
    });
    expect(verified.credential.id).toBe(before.credentialId);
    expect(
      (
        await server.post('/credentials/verify', {
          verifiableCredential: after.credential,
          options: { disclosures: 'x' },
        })
      ).status,
    ).toBe(400);
    // A release for another credential fails the step.
    const forged = (await (
      await server.post('/credentials/verify', {
        verifiableCredential: after.credential,
        options: { disclosures: ['not-a-jws'] },
      })
    ).json()) as Json;
    expect(forged.verified).toBe(false);

    // The statement page names the beneficiary now.
    const shown = await page();
    expect(shown).toContain(beneficiary.name);
    expect(shown).toMatch(/data-field="beneficiary" data-withheld="disclosed"/);

    // The offline bundle carries the stored release, and verifies with it.
    const bundle = (await (await server.get('/registry/retirements/RET-2026-0007/bundle')).json()) as Json;
    expect(bundle.disclosures).toEqual([answer.release]);
    const report = await verifyBundle(bundle, { clock: () => now, allowUntrusted: true });
    expect(report.verified, JSON.stringify(report.steps.filter((s) => !s.ok))).toBe(true);
    expect(report.credentials.find((c) => c.role === 'retirement')!.report.withheld).toEqual([
      expect.objectContaining({ state: 'disclosed' }),
    ]);
  });
});
