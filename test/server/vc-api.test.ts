import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPresentation, signPresentation } from '../../src/secure/presentation/sign.js';
import { signJoseCredential } from '../../src/secure/jose/sign.js';
import { didKeyOf } from '../../src/keys/did-key.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { createLocalSigner } from '../../src/keys/signer.js';
import { ADMIN_KEY, fakeStatusLists, plainCredential, startTestServer, type TestServer } from './helpers.js';

describe('W3C VC-API', () => {
  let server: TestServer;
  let issuerKey: string;
  let holderKey: string;
  const statusLists = fakeStatusLists();

  beforeAll(async () => {
    server = await startTestServer({ services: () => ({ statusLists }) });
    issuerKey = await server.keyFor('issuer');
    holderKey = await server.keyFor('holder:acct-1');
  });
  afterAll(async () => server?.stop());

  async function issued(
    credential = plainCredential(),
    options: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> {
    const response = await server.post('/credentials/issue', { credential, options }, { key: issuerKey });
    expect(response.status).toBe(201);
    return ((await response.json()) as { verifiableCredential: Record<string, unknown> }).verifiableCredential;
  }

  describe('POST /credentials/issue', () => {
    it('201 with an enveloped credential signed as the VC-API issuer (not the registry), issuer filled in', async () => {
      const vc = await issued();
      expect(vc.type).toBe('EnvelopedVerifiableCredential');
      const verified = await server.post('/credentials/verify', { verifiableCredential: vc });
      const report = (await verified.json()) as { verified: boolean; issuer: string };
      expect(verified.status).toBe(200);
      expect(report).toMatchObject({ verified: true, issuer: `${server.identity.did}:vc-api` });
    });

    it('Data Integrity on request (options.format), and unknown options are ignored', async () => {
      const vc = await issued(plainCredential(), { format: 'eddsa-rdfc-2022', someFutureOption: { x: 1 } });
      expect((vc.proof as { cryptosuite: string }).cryptosuite).toBe('eddsa-rdfc-2022');
      const verified = await server.post('/credentials/verify', {
        verifiableCredential: vc,
        options: { unknown: true },
      });
      expect(verified.status).toBe(200);
    });

    it('401 without a key or with an unknown key (problem+json, WWW-Authenticate)', async () => {
      for (const key of [undefined, 'nope']) {
        const response = await server.post('/credentials/issue', { credential: plainCredential() }, key ? { key } : {});
        expect(response.status).toBe(401);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(response.headers.get('www-authenticate')).toContain('Bearer');
        expect(await response.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      }
    });

    it('403 for a key without the issuer scope; the bootstrap admin key holds every scope', async () => {
      const refused = await server.post('/credentials/issue', { credential: plainCredential() }, { key: holderKey });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ code: 'FORBIDDEN' });
      const admin = await server.post('/credentials/issue', { credential: plainCredential() }, { key: ADMIN_KEY });
      expect(admin.status).toBe(201);
    });

    it('400 for a body without a credential object; 422 for an invalid credential, with every error', async () => {
      const missing = await server.post('/credentials/issue', { nothing: true }, { key: issuerKey });
      expect(missing.status).toBe(400);
      expect(await missing.json()).toMatchObject({ code: 'REQUEST_INVALID', path: '/credential' });
      const invalid = await server.post(
        '/credentials/issue',
        { credential: plainCredential({ '@context': ['https://example.com/not-vcdm'] }) },
        { key: issuerKey },
      );
      expect(invalid.status).toBe(422);
      const body = (await invalid.json()) as { code: string; errors: unknown[] };
      expect(body.code).toBe('CREDENTIAL_INVALID');
      expect(body.errors.length).toBeGreaterThan(0);
    });

    it('422 when the credential names another issuer; 400 for an unknown format', async () => {
      const other = await server.post(
        '/credentials/issue',
        { credential: plainCredential({ issuer: 'did:web:someone-else.example' }) },
        { key: issuerKey },
      );
      expect(other.status).toBe(422);
      expect(await other.json()).toMatchObject({ code: 'ISSUER_KEY_MISMATCH' });
      const format = await server.post(
        '/credentials/issue',
        { credential: plainCredential(), options: { format: 'rot13' } },
        { key: issuerKey },
      );
      expect(format.status).toBe(400);
      expect(await format.json()).toMatchObject({ code: 'FORMAT_UNSUPPORTED' });
    });

    it('Idempotency-Key: a retry gets the first answer; another body with the same key is 422', async () => {
      const headers = { 'idempotency-key': 'issue-once-1' };
      const first = await server.post(
        '/credentials/issue',
        { credential: plainCredential() },
        { key: issuerKey, headers },
      );
      const again = await server.post(
        '/credentials/issue',
        { credential: plainCredential() },
        { key: issuerKey, headers },
      );
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotency-replayed')).toBe('true');
      expect(await again.json()).toEqual(await first.json());
      const different = await server.post(
        '/credentials/issue',
        { credential: plainCredential({ id: 'urn:uuid:other' }) },
        { key: issuerKey, headers },
      );
      expect(different.status).toBe(422);
      expect(await different.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    });
  });

  describe('POST /credentials/verify', () => {
    it('400 with the report for a tampered credential (bad proof)', async () => {
      const vc = await issued();
      const id = vc.id as string;
      const [head, payload, signature] = id.slice('data:application/vc+jwt,'.length).split('.') as [
        string,
        string,
        string,
      ];
      const changed = Buffer.from(
        JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), name: 'forged' }),
      ).toString('base64url');
      const response = await server.post('/credentials/verify', {
        verifiableCredential: { ...vc, id: `data:application/vc+jwt,${head}.${changed}.${signature}` },
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/json');
      const report = (await response.json()) as {
        verified: boolean;
        steps: Array<{ name: string; ok: boolean; code?: string }>;
      };
      expect(report.verified).toBe(false);
      expect(report.steps.find((s) => !s.ok)).toMatchObject({ name: 'signature' });
    });

    it('400 with the report for a signed credential that breaks the data model', async () => {
      const signer = await server.context.signer('jose');
      const bad = await signJoseCredential(
        { ...plainCredential(), issuer: server.identity.did, credentialSubject: 'not an object' },
        signer,
      );
      const response = await server.post('/credentials/verify', { verifiableCredential: bad });
      expect(response.status).toBe(400);
      const report = (await response.json()) as { steps: Array<{ name: string; ok: boolean; code?: string }> };
      expect(report.steps.find((s) => !s.ok)).toMatchObject({ name: 'validation', code: 'VALIDATION_FAILED' });
    });

    it('400 with the report for an expired credential', async () => {
      const vc = await issued(plainCredential({ validUntil: '2025-06-01T00:00:00Z' }));
      const response = await server.post('/credentials/verify', { verifiableCredential: vc });
      expect(response.status).toBe(400);
      const report = (await response.json()) as { steps: Array<{ name: string; ok: boolean; code?: string }> };
      expect(report.steps.find((s) => !s.ok)).toMatchObject({ name: 'validity', code: 'CREDENTIAL_EXPIRED' });
    });

    it('revocation through POST /credentials/status makes verification fail with CREDENTIAL_REVOKED', async () => {
      const credential = plainCredential({ id: 'urn:uuid:to-revoke' });
      const vc = await issued(credential, { credentialStatus: { type: 'BitstringStatusListEntry' } });
      expect((await server.post('/credentials/verify', { verifiableCredential: vc })).status).toBe(200);
      const update = await server.post(
        '/credentials/status',
        {
          credentialId: 'urn:uuid:to-revoke',
          credentialStatus: [{ type: 'BitstringStatusListEntry', statusPurpose: 'revocation', status: true }],
        },
        { key: issuerKey },
      );
      expect(update.status).toBe(200);
      const response = await server.post('/credentials/verify', { verifiableCredential: vc });
      expect(response.status).toBe(400);
      const report = (await response.json()) as { steps: Array<{ name: string; ok: boolean; code?: string }> };
      expect(report.steps.find((s) => !s.ok)).toMatchObject({ name: 'status', code: 'CREDENTIAL_REVOKED' });
    });

    it('a bare compact vc+jwt verifies too', async () => {
      const vc = await issued();
      const response = await server.post('/credentials/verify', {
        verifiableCredential: (vc.id as string).slice('data:application/vc+jwt,'.length),
      });
      expect(response.status).toBe(200);
    });

    it('problem+json (not a report) when the request cannot be processed', async () => {
      const missing = await server.post('/credentials/verify', { credential: {} });
      expect(missing.status).toBe(400);
      expect(missing.headers.get('content-type')).toContain('application/problem+json');
      expect(await missing.json()).toMatchObject({ code: 'REQUEST_INVALID' });
      const options = await server.post('/credentials/verify', { verifiableCredential: {}, options: 'x' });
      expect(options.status).toBe(400);
    });
  });

  describe('POST /presentations/verify', () => {
    it('checks options.challenge and options.domain', async () => {
      const keys = generateKeyPair();
      const { did, keyId } = didKeyOf(keys.publicJwk);
      const vc = await issued();
      const signer = createLocalSigner(keys.privateJwk, keyId);
      const vp = await signPresentation(createPresentation(did, [vc]), {
        format: 'jose',
        signer,
        challenge: 'c-123',
        domain: 'verifier.example',
      });
      const ok = await server.post('/presentations/verify', {
        verifiablePresentation: vp,
        options: { challenge: 'c-123', domain: 'verifier.example' },
      });
      expect(ok.status).toBe(200);
      const wrong = await server.post('/presentations/verify', {
        verifiablePresentation: vp,
        options: { challenge: 'other', domain: 'verifier.example' },
      });
      expect(wrong.status).toBe(400);
      const report = (await wrong.json()) as { steps: Array<{ name: string; ok: boolean; code?: string }> };
      expect(report.steps.find((s) => !s.ok)).toMatchObject({
        name: 'challenge',
        code: 'PRESENTATION_CHALLENGE_MISMATCH',
      });
      const missing = await server.post('/presentations/verify', { options: {} });
      expect(missing.status).toBe(400);
      expect(await missing.json()).toMatchObject({ code: 'REQUEST_INVALID' });
    });

    it('400 NOT_A_PRESENTATION for a plain credential, with or without a challenge; it still verifies as a credential', async () => {
      const vc = await issued();
      expect((await server.post('/credentials/verify', { verifiableCredential: vc })).status).toBe(200);
      for (const options of [{ challenge: 'c-123', domain: 'verifier.example' }, {}]) {
        const response = await server.post('/presentations/verify', { verifiablePresentation: vc, options });
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(await response.json()).toMatchObject({ code: 'NOT_A_PRESENTATION', path: '/verifiablePresentation' });
      }
    });
  });

  describe('POST /credentials/status and GET /status-lists/:id', () => {
    it('needs issuer or admin scope; validates the body', async () => {
      const body = {
        credentialId: 'urn:uuid:x',
        credentialStatus: [{ type: 'BitstringStatusListEntry', statusPurpose: 'revocation', status: true }],
      };
      expect((await server.post('/credentials/status', body)).status).toBe(401);
      expect((await server.post('/credentials/status', body, { key: holderKey })).status).toBe(403);
      expect((await server.post('/credentials/status', body, { key: ADMIN_KEY })).status).toBe(200);
      const bad = await server.post(
        '/credentials/status',
        { credentialId: 'urn:uuid:x', credentialStatus: [] },
        { key: issuerKey },
      );
      expect(bad.status).toBe(400);
      const unsupported = await server.post(
        '/credentials/status',
        { credentialId: 'urn:uuid:x', credentialStatus: [{ statusPurpose: 'message', status: true }] },
        { key: issuerKey },
      );
      expect(unsupported.status).toBe(422);
      expect(await unsupported.json()).toMatchObject({ code: 'STATUS_PURPOSE_UNSUPPORTED' });
    });

    it('serves a list as JSON or as application/vc+jwt; 404 for an unknown list', async () => {
      const json = await server.get('/status-lists/1');
      expect(json.status).toBe(200);
      expect(await json.json()).toMatchObject({ type: 'EnvelopedVerifiableCredential' });
      const jwt = await server.get('/status-lists/1', { accept: 'application/vc+jwt' });
      expect(jwt.headers.get('content-type')).toContain('application/vc+jwt');
      expect(await jwt.text()).toBe('eyJ.eyJ.sig');
      const missing = await server.get('/status-lists/999');
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ code: 'STATUS_LIST_NOT_FOUND' });
    });
  });
});

describe('VC-API without status lists', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.stop());

  it('503 LEDGER_UNAVAILABLE for the registry routes without a ledger', async () => {
    const write = await server.post('/registry/issuances', { issuanceId: 'X', quantity: 1 }, { key: ADMIN_KEY });
    expect(write.status).toBe(503);
    expect(await write.json()).toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
    expect((await server.get('/registry/retirements')).status).toBe(503);
  });

  it('home page: HTML, or the identity as JSON', async () => {
    expect(await (await server.get('/', { accept: 'application/json' })).json()).toMatchObject({
      did: 'did:web:registry.example.test',
      demo: false,
    });
    const html = await (await server.get('/', { accept: 'text/html' })).text();
    expect(html).toContain('did:web:registry.example.test');
    expect(html).not.toContain('data-demo');
  });

  it('503 STATUS_LISTS_UNAVAILABLE for the ledger lists; 404 for a status update of a credential never issued', async () => {
    expect((await server.get('/status-lists/1')).status).toBe(503);
    const update = await server.post(
      '/credentials/status',
      { credentialId: 'x', credentialStatus: [{ statusPurpose: 'revocation', status: true }] },
      { key: ADMIN_KEY },
    );
    expect(update.status).toBe(404);
    expect(await update.json()).toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
  });
});
