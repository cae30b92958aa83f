import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwsOf, jwsPayload } from '../../src/lib/digest.js';
import { issue } from '../../src/issue.js';
import { identitySigner } from '../../src/server/identity.js';
import { ADMIN_KEY, plainCredential, runCobaltStory, startLedgerServer, type TestServer } from './helpers.js';

type Report = { verified: boolean; issuer: string; steps: Array<{ name: string; ok: boolean; code?: string }> };

const exampleCredential = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../examples/${path}`, import.meta.url), 'utf8')) as Record<string, unknown>;

const headerOf = (vc: { id: string }): { kid: string } =>
  JSON.parse(Buffer.from(vc.id.split(',')[1]!.split('.')[0]!, 'base64url').toString()) as { kid: string };

describe('only the ledger signs credit credentials; the VC-API issuer has its own identity', () => {
  let server: TestServer;
  let issuerKey: string;

  beforeAll(async () => {
    server = await startLedgerServer();
    issuerKey = await server.keyFor('issuer');
    await runCobaltStory(server);
  });
  afterAll(async () => server?.stop());

  const issueVc = (credential: Record<string, unknown>, options: Record<string, unknown> = {}) =>
    server.post('/credentials/issue', { credential, options }, { key: issuerKey });
  const verifyVc = async (vc: unknown): Promise<{ status: number; report: Report }> => {
    const response = await server.post('/credentials/verify', { verifiableCredential: vc });
    return { status: response.status, report: (await response.json()) as Report };
  };
  const failed = (report: Report) => report.steps.find((s) => !s.ok);

  describe('POST /credentials/issue refuses the registry DID and every credit type', () => {
    it('the registry DID as issuer: 422 ISSUER_RESERVED, as a string or an object', async () => {
      for (const issuer of [server.identity.did, { id: server.identity.did, name: 'x' }]) {
        const response = await issueVc(plainCredential({ issuer }));
        expect(response.status).toBe(422);
        expect(await response.json()).toMatchObject({ code: 'ISSUER_RESERVED', path: '/credential/issuer' });
      }
    });

    for (const [type, path] of [
      ['CreditIssuanceCredential', 'cobalt/issuance.json'],
      ['CreditRetirementCredential', 'cobalt/retirement.json'],
      ['PremiumAllocationCredential', 'impact/allocation.json'],
    ] as const) {
      it(`${type}: 422 CREDIT_CREDENTIAL_REFUSED, with its issuer, without it, and named only by type`, async () => {
        const credential = exampleCredential(path);
        expect(credential.type).toContain(type);
        const { issuer: _issuer, ...withoutIssuer } = credential;
        const typeOnly = plainCredential({ type: ['VerifiableCredential', type] });
        for (const body of [credential, withoutIssuer, typeOnly]) {
          const response = await issueVc(body);
          expect(response.status).toBe(422);
          expect(await response.json()).toMatchObject({ code: 'CREDIT_CREDENTIAL_REFUSED' });
        }
      });
    }

    it('the untp-credits context or a credit term alone is refused too; a plain credential is issued', async () => {
      const context = await issueVc(
        plainCredential({
          '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/untp-credits/context/v1'],
        }),
      );
      expect(context.status).toBe(422);
      expect(await context.json()).toMatchObject({ code: 'CREDIT_CREDENTIAL_REFUSED', path: '/credential/@context/1' });
      const term = await issueVc(plainCredential({ credentialSubject: { id: 'did:example:s', creditRetirement: {} } }));
      expect(term.status).toBe(422);
      expect(await term.json()).toMatchObject({
        code: 'CREDIT_CREDENTIAL_REFUSED',
        path: '/credential/credentialSubject/creditRetirement',
      });
      expect((await issueVc(plainCredential())).status).toBe(201);
    });
  });

  it('a credential without issuer is signed by the vc-api DID (its own key, its own DID document) and verifies', async () => {
    const vcApiDid = `${server.identity.did}:vc-api`;
    const response = await issueVc(plainCredential());
    expect(response.status).toBe(201);
    const vc = ((await response.json()) as { verifiableCredential: { id: string } }).verifiableCredential;
    expect(jwsPayload(jwsOf(JSON.stringify(vc))).issuer).toMatchObject({ id: vcApiDid });
    expect(headerOf(vc).kid.startsWith(`${vcApiDid}#`)).toBe(true);
    const { status, report } = await verifyVc(vc);
    expect(status).toBe(200);
    expect(report.issuer).toBe(vcApiDid);

    const generic = (await (await server.get('/vc-api/did.json')).json()) as { id: string; assertionMethod: string[] };
    expect(generic.id).toBe(vcApiDid);
    expect(generic.assertionMethod).toContain(headerOf(vc).kid);
    // The registry DID document lists ledger keys only: the VC-API key is not among them.
    const registry = (await (await server.get('/.well-known/did.json')).json()) as {
      id: string;
      assertionMethod: string[];
      verificationMethod: Array<{ id: string }>;
    };
    expect(registry.id).toBe(server.identity.did);
    expect(registry.assertionMethod.every((id) => id.startsWith(`${server.identity.did}#`))).toBe(true);
    expect(registry.verificationMethod.some((m) => m.id === headerOf(vc).kid)).toBe(false);
    // Negative twin: the same credential signed with the registry key is refused as naming the VC-API issuer.
    const wrong = await issue(
      { ...jwsPayload(jwsOf(JSON.stringify(vc))), issuer: vcApiDid },
      { format: 'jose', signer: await identitySigner(server.identity, 'jose') },
    ).catch((error: { code?: string }) => error);
    expect(wrong).toMatchObject({ code: 'ISSUER_KEY_MISMATCH' });
  });

  it('VC-API round trip: issue with status → verify ok → POST /credentials/status revoke → verify fails with the status code', async () => {
    const response = await issueVc(plainCredential({ id: 'urn:uuid:round-trip' }), {
      credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
    });
    expect(response.status).toBe(201);
    const vc = ((await response.json()) as { verifiableCredential: unknown }).verifiableCredential;
    const entry = jwsPayload(jwsOf(JSON.stringify(vc))).credentialStatus as Record<string, string>;
    const listUrl = String(entry.statusListCredential);
    expect(entry).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation' });
    expect(entry.statusListIndex).toMatch(/^\d+$/);
    expect(listUrl.startsWith(`${server.identity.publicUrl}/vc-api/status/`)).toBe(true);
    expect((await verifyVc(vc)).status).toBe(200);

    // The list credential is served at its URL, signed by the VC-API issuer, with a ttl.
    const listResponse = await server.get(new URL(listUrl).pathname);
    expect(listResponse.status).toBe(200);
    const list = jwsPayload(jwsOf(JSON.stringify(await listResponse.json())));
    expect(list).toMatchObject({
      id: listUrl,
      issuer: `${server.identity.did}:vc-api`,
      credentialSubject: { statusPurpose: 'revocation', ttl: expect.any(Number) },
    });
    const { verified } = (await verifyVc(await (await server.get(new URL(listUrl).pathname)).json())).report;
    expect(verified).toBe(true);

    const revoke = await server.post(
      '/credentials/status',
      {
        credentialId: 'urn:uuid:round-trip',
        credentialStatus: [{ type: 'BitstringStatusListEntry', statusPurpose: 'revocation', status: true }],
      },
      { key: issuerKey },
    );
    expect(revoke.status).toBe(200);
    const after = await verifyVc(vc);
    expect(after.status).toBe(400);
    expect(failed(after.report)).toMatchObject({ name: 'status', code: 'CREDENTIAL_REVOKED' });
    // A revocation is never cleared.
    const clear = await server.post(
      '/credentials/status',
      { credentialId: 'urn:uuid:round-trip', credentialStatus: [{ statusPurpose: 'revocation', status: false }] },
      { key: issuerKey },
    );
    expect(clear.status).toBe(409);
    expect(await clear.json()).toMatchObject({ code: 'STATUS_IRREVERSIBLE' });
  });

  it('suspension from a typed entry: suspended fails with CREDENTIAL_SUSPENDED, lifted verifies again', async () => {
    const response = await issueVc(
      plainCredential({
        id: undefined,
        credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'suspension' },
      }),
    );
    expect(response.status).toBe(201);
    const vc = ((await response.json()) as { verifiableCredential: unknown }).verifiableCredential;
    const payload = jwsPayload(jwsOf(JSON.stringify(vc)));
    expect(String(payload.id)).toMatch(/^urn:uuid:/);
    const set = (status: boolean) =>
      server.post(
        '/credentials/status',
        { credentialId: payload.id, credentialStatus: [{ statusPurpose: 'suspension', status }] },
        { key: issuerKey },
      );
    expect((await set(true)).status).toBe(200);
    expect(failed((await verifyVc(vc)).report)).toMatchObject({ name: 'status', code: 'CREDENTIAL_SUSPENDED' });
    expect((await set(false)).status).toBe(200);
    expect((await verifyVc(vc)).status).toBe(200);
  });

  it('a credit credential with a status entry on a non-ledger list fails STATUS_LIST_NOT_LEDGER; the ledger’s own verifies', async () => {
    const record = (await (
      await server.get('/registry/retirements/RET-2026-0007', { accept: 'application/json' })
    ).json()) as {
      credential: unknown;
    };
    expect((await verifyVc(record.credential)).status).toBe(200);
    // A VC-API list entry, then a retirement credential signed with the registry key outside the ledger that cites it.
    const generic = await issueVc(plainCredential({ id: 'urn:uuid:list-donor' }), { credentialStatus: {} });
    const entry = jwsPayload(
      jwsOf(JSON.stringify(((await generic.json()) as { verifiableCredential: unknown }).verifiableCredential)),
    ).credentialStatus as Record<string, unknown>;
    const payload = jwsPayload(jwsOf(JSON.stringify(record.credential)));
    const signer = await identitySigner(server.identity, 'jose');
    // (Its index an integer, as the UNTP schema types it: a string index already fails validation.)
    const forged = await issue(
      { ...payload, credentialStatus: { ...entry, statusListIndex: Number(entry.statusListIndex) } },
      { format: 'jose', signer },
    );
    const { status, report } = await verifyVc(forged);
    expect(status).toBe(400);
    expect(failed(report)).toMatchObject({ name: 'status', code: 'STATUS_LIST_NOT_LEDGER' });
  });

  it('POST /credentials/status on a ledger credential: 409 STATUS_MANAGED_BY_LEDGER; an unknown id: 404', async () => {
    const record = (await (
      await server.get('/registry/retirements/RET-2026-0007', { accept: 'application/json' })
    ).json()) as {
      credentialId: string;
    };
    const ledger = await server.post(
      '/credentials/status',
      { credentialId: record.credentialId, credentialStatus: [{ statusPurpose: 'revocation', status: true }] },
      { key: ADMIN_KEY },
    );
    expect(ledger.status).toBe(409);
    expect(await ledger.json()).toMatchObject({ code: 'STATUS_MANAGED_BY_LEDGER' });
    const unknown = await server.post(
      '/credentials/status',
      { credentialId: 'urn:uuid:never-issued', credentialStatus: [{ statusPurpose: 'suspension', status: true }] },
      { key: ADMIN_KEY },
    );
    expect(unknown.status).toBe(404);
  });
});
