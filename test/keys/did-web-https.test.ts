import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDidDocument } from '../../src/keys/did-document.js';
import { fetchDidWebDocument } from '../../src/keys/did-web-https.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { createDidResolver } from '../../src/keys/resolver.js';
import { createTrackedResolver } from '../../src/trust/provenance.js';

const ca = readFileSync('test/fixtures/keys/tls-localhost.crt');
let server: Server;
let base: string;

beforeAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a test server: a failure fails the request
  server = createServer({ cert: ca, key: readFileSync('test/fixtures/keys/tls-localhost.key') }, async (req, res) => {
    const segment = req.url?.split('/')[1];
    const did = `${base}:${segment}`;
    if (segment === 'ok' || segment === 'wrong') {
      const document = await createDidDocument(segment === 'ok' ? did : 'did:web:elsewhere.example', [
        generateKeyPair().publicJwk,
      ]);
      res.setHeader('content-type', 'application/did+json');
      res.end(JSON.stringify(document));
    } else if (segment === 'redirect') {
      res.statusCode = 302;
      res.setHeader('location', `https://localhost:${(server.address() as AddressInfo).port}/ok/did.json`);
      res.end();
    } else if (segment === 'badmethods') {
      res.end(JSON.stringify({ id: did, verificationMethod: 'not a list' }));
    } else if (segment === 'big') {
      res.end(`{"id":"${did}","pad":"${'x'.repeat(300_000)}"}`);
    } else if (segment === 'slow') {
      setTimeout(() => res.end('{}'), 3000);
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `did:web:localhost%3A${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

// The local test server is on loopback, which is refused by default; these tests allow it explicitly.
const local = { ca, isAllowedAddress: () => true, timeoutMs: 1000 };

describe('did:web over HTTPS (explicitly allowed)', () => {
  it('fetches and checks a DID document', async () => {
    const resolver = createDidResolver({ https: local });
    expect((await resolver.resolve(`${base}:ok`)).id).toBe(`${base}:ok`);
    await expect(resolver.resolve(`${base}:wrong`)).rejects.toMatchObject({ code: 'DID_DOCUMENT_INVALID' });
    await expect(resolver.resolve(`${base}:missing`)).rejects.toMatchObject({ code: 'DID_RESOLUTION_FAILED' });
  });

  it('refuses redirects, oversized documents, slow hosts and (by default) loopback', async () => {
    await expect(fetchDidWebDocument(`${base}:redirect`, local)).rejects.toMatchObject({
      code: 'DID_WEB_REDIRECT_REFUSED',
    });
    await expect(fetchDidWebDocument(`${base}:big`, local)).rejects.toMatchObject({ code: 'DID_DOCUMENT_TOO_LARGE' });
    await expect(fetchDidWebDocument(`${base}:slow`, { ...local, timeoutMs: 300 })).rejects.toMatchObject({
      code: 'DID_RESOLUTION_TIMEOUT',
    });
    await expect(fetchDidWebDocument(`${base}:ok`, { ca })).rejects.toMatchObject({ code: 'DID_WEB_ADDRESS_REFUSED' });
  });

  it("the bundle verifier's tracked resolver applies the same checks to what it fetches", async () => {
    for (const resolver of [createDidResolver({ https: local }), createTrackedResolver({ https: local })]) {
      await expect(resolver.resolve(`${base}:badmethods`)).rejects.toMatchObject({ code: 'DID_DOCUMENT_INVALID' });
      await expect(resolver.resolve(`${base}:wrong`)).rejects.toMatchObject({ code: 'DID_DOCUMENT_INVALID' });
    }
    const tracked = createTrackedResolver({ https: local });
    expect((await tracked.resolve(`${base}:ok`)).id).toBe(`${base}:ok`);
    expect(tracked.sourceOf(`${base}:ok`)?.source).toBe('network');
  });

  it('is off unless allowed', async () => {
    await expect(createDidResolver().resolve(`${base}:ok`)).rejects.toMatchObject({ code: 'DID_NOT_FOUND' });
  });
});
