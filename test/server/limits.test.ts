import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonDepth, MAX_BODY_BYTES } from '../../src/server/body.js';
import { statusForCode } from '../../src/server/problem.js';
import { didKeyOf } from '../../src/keys/did-key.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { createLocalSigner } from '../../src/keys/signer.js';
import { signCompactJws } from '../../src/secure/jose/sign.js';
import { ADMIN_KEY, startTestServer, type TestServer } from './helpers.js';

describe('limits and problem+json', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.stop());

  async function expectProblem(response: Response, status: number, code: string): Promise<void> {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status, code });
    expect(typeof body.type).toBe('string');
    expect(typeof body.title).toBe('string');
  }

  it('413 for a body over 1 MB (declared or streamed)', async () => {
    const big = JSON.stringify({ verifiableCredential: 'x'.repeat(MAX_BODY_BYTES) });
    await expectProblem(await server.post('/credentials/verify', big), 413, 'BODY_TOO_LARGE');
    // Chunked, without Content-Length: refused while streaming.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/credentials/verify',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      const chunk = 'x'.repeat(64 * 1024);
      req.write('{"verifiableCredential":"');
      for (let i = 0; i < 20; i++) req.write(chunk);
      req.end('"}');
    });
    expect(status).toBe(413);
  });

  it('400 for JSON nested deeper than 64 levels; 64 levels are fine', async () => {
    const deep = (n: number) => `{"verifiableCredential":${'['.repeat(n)}${']'.repeat(n)}}`;
    await expectProblem(await server.post('/credentials/verify', deep(70)), 400, 'JSON_TOO_DEEP');
    const ok = await server.post('/credentials/verify', deep(60));
    expect(ok.status).toBe(400); // a verification report: an array is not a credential
    expect(ok.headers.get('content-type')).toContain('application/json');
    await expectProblem(await server.post('/credentials/verify', `{"a":${'['.repeat(100_000)}`), 400, 'JSON_TOO_DEEP');
    expect(jsonDepth('{"a":"[[[[{{{{"}')).toBe(1);
    expect(jsonDepth('{"a":"\\"[[["}')).toBe(1);
  });

  it('415 for a wrong content type; application/ld+json is accepted', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/credentials/verify`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    await expectProblem(response, 415, 'CONTENT_TYPE_UNSUPPORTED');
    const none = await fetch(`http://127.0.0.1:${server.port}/credentials/verify`, {
      method: 'POST',
      body: new Uint8Array([1, 2]),
    });
    await expectProblem(none, 415, 'CONTENT_TYPE_UNSUPPORTED');
    const ld = await fetch(`http://127.0.0.1:${server.port}/credentials/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/ld+json; charset=utf-8' },
      body: '{"verifiableCredential":{}}',
    });
    expect(ld.status).toBe(400);
    expect(ld.headers.get('content-type')).toContain('application/json');
  });

  it('400 for malformed JSON and for a body that is not an object', async () => {
    await expectProblem(await server.post('/credentials/verify', '{"verifiableCredential":'), 400, 'JSON_MALFORMED');
    await expectProblem(await server.post('/credentials/verify', '[1,2]'), 400, 'REQUEST_INVALID');
    await expectProblem(await server.post('/credentials/issue', 'null', { key: ADMIN_KEY }), 400, 'REQUEST_INVALID');
  });

  it('404 problem for unknown routes; malformed URLs do not crash the server', async () => {
    await expectProblem(await server.get('/nope'), 404, 'NOT_FOUND');
    const bad = await server.get('/registry/retirements/%E0%A4%A');
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    expect((await server.get('/healthz')).status).toBe(200);
  });

  it('survives garbage: random bodies never give a 5xx', async () => {
    const bodies = [
      '',
      ' ',
      '"',
      '{"verifiableCredential":null}',
      '{"verifiableCredential":"eyJhbGciOiJub25lIn0.e30."}',
      '{"verifiableCredential":{"type":"EnvelopedVerifiableCredential","id":"data:application/vc+jwt,a.b.c"}}',
      '{"verifiableCredential":{"proof":{"type":"DataIntegrityProof"}}}',
      '{"verifiablePresentation":"x"}',
      '\u0000\u0001',
      '{"__proto__":{"polluted":true},"verifiableCredential":{}}',
    ];
    for (const body of bodies) {
      for (const path of ['/credentials/verify', '/presentations/verify']) {
        const response = await server.post(path, body);
        expect(response.status, `${path} ${body}`).toBeLessThan(500);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await server.get('/healthz')).status).toBe(200);
  });

  it('a credential nested too deep inside a validly signed JWS gets a report, not a 500', async () => {
    const keys = generateKeyPair();
    const { did, keyId } = didKeyOf(keys.publicJwk);
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 3000; i++) deep = { d: deep };
    const credential = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential'],
      issuer: did,
      credentialSubject: { id: 'did:example:s', deep },
    };
    const jws = await signCompactJws(credential, createLocalSigner(keys.privateJwk, keyId));
    const response = await server.post('/credentials/verify', { verifiableCredential: jws });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/json');
    const report = (await response.json()) as {
      verified: boolean;
      credential: unknown;
      steps: Array<{ name: string; ok: boolean; code?: string }>;
    };
    expect(report).toMatchObject({ verified: false, credential: null });
    // Refused while decoding, before the signature check or any recursive walk of the payload.
    expect(report.steps.find((s) => !s.ok)).toMatchObject({ name: 'decode', code: 'INPUT_TOO_DEEP' });
  });

  it('CORS: public reads and verification from any origin; writes get no CORS headers', async () => {
    const preflight = await fetch(`http://127.0.0.1:${server.port}/credentials/verify`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://dpp.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Content-Type');
    const write = await fetch(`http://127.0.0.1:${server.port}/credentials/issue`, {
      method: 'OPTIONS',
      headers: { origin: 'https://dpp.example', 'access-control-request-method': 'POST' },
    });
    expect(write.headers.get('access-control-allow-origin')).toBeNull();
    expect(
      (await server.get('/.well-known/did.json', { origin: 'https://dpp.example' })).headers.get(
        'access-control-allow-origin',
      ),
    ).toBe('*');
  });

  it('maps codes to statuses in one place', () => {
    expect(statusForCode('BODY_TOO_LARGE')).toBe(413);
    expect(statusForCode('RETIREMENT_NOT_FOUND')).toBe(404);
    expect(statusForCode('ACCOUNT_NOT_FOUND')).toBe(404);
    expect(statusForCode('RETIREMENT_EXISTS')).toBe(409);
    expect(statusForCode('INSUFFICIENT_HOLDING')).toBe(409);
    expect(statusForCode('BLOCK_RETIRED')).toBe(409);
    expect(statusForCode('IDEMPOTENCY_KEY_REUSED')).toBe(422);
    expect(statusForCode('CLAIM_EXCEEDS_RETIRED')).toBe(422);
  });
});
