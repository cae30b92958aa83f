import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtefactRegistry } from '../../src/artefacts/registry.js';
import {
  didDocumentPath,
  didWebForUrl,
  ensureIdentity,
  loadIdentity,
  publicUrlForDid,
  rotateSigningKey,
} from '../../src/server/identity.js';
import { openTestDatabase } from '../support/database.js';
import { issue } from '../../src/issue.js';
import { identitySigner } from '../../src/server/identity.js';
import { plainCredential, startTestServer, type TestServer } from './helpers.js';

describe('did:web and published artefacts', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.stop());

  it('serves the DID document at /.well-known/did.json, every key listed', async () => {
    const response = await server.get('/.well-known/did.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/did+json');
    const doc = (await response.json()) as {
      id: string;
      verificationMethod: Array<{ id: string }>;
      assertionMethod: string[];
    };
    expect(doc.id).toBe('did:web:registry.example.test');
    expect(doc.verificationMethod).toHaveLength(3); // JsonWebKey + Multikey of one key, and the log key
    expect(doc.assertionMethod).toHaveLength(2);
  });

  it('rotation: a new key signs, the old one stays listed so old credentials still verify', async () => {
    // Signed with the registry key itself (as a ledger command would): the VC-API signs as its own DID.
    const signWithRegistryKey = async () =>
      (await issue(
        { ...plainCredential(), issuer: server.identity.did },
        { format: 'jose', signer: await identitySigner((await loadIdentity(server.db))!, 'jose') },
      )) as unknown as { id: string };
    const old = await signWithRegistryKey();
    await rotateSigningKey(server.db);
    await new Promise((r) => setTimeout(r, 2100)); // the identity cache lives 2 s
    const doc = (await (await server.get('/.well-known/did.json')).json()) as { verificationMethod: unknown[] };
    expect(doc.verificationMethod).toHaveLength(5);
    const fresh = await signWithRegistryKey();
    const kidOf = (vc: { id: string }) =>
      JSON.parse(Buffer.from(vc.id.split(',')[1]!.split('.')[0]!, 'base64url').toString()).kid as string;
    expect(kidOf(fresh)).not.toBe(kidOf(old));
    for (const vc of [old, fresh])
      expect((await server.post('/credentials/verify', { verifiableCredential: vc })).status).toBe(200);
  });

  it('serves the VC-API issuer its own DID document at /vc-api/did.json; it is not the registry document', async () => {
    const response = await server.get('/vc-api/did.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/did+json');
    const doc = (await response.json()) as { id: string; assertionMethod: string[] };
    expect(doc.id).toBe('did:web:registry.example.test:vc-api');
    expect(doc.assertionMethod.length).toBeGreaterThan(0);
    const registry = (await (await server.get('/.well-known/did.json')).json()) as { assertionMethod: string[] };
    expect(registry.assertionMethod.some((id) => doc.assertionMethod.includes(id))).toBe(false);
    expect((await server.get('/other/did.json')).status).toBe(404);
  });

  it('serves our context, scheme and schemas at their published paths', async () => {
    const registry = ArtefactRegistry.bundled();
    const own = registry.urls().filter((u) => u.startsWith('https://w3id.org/untp-credits/'));
    expect(own.length).toBeGreaterThanOrEqual(3);
    for (const url of own) {
      const response = await server.get(new URL(url).pathname);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type')).toMatch(
        registry.kindOf(url) === 'schema' ? /application\/schema\+json/ : /application\/ld\+json/,
      );
      // byte for byte as bundled, so the SHA-256 in the index (and any relatedResource digest) holds
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex'), url).toBe(registry.entryOf(url)?.sha256);
      expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual(registry.get(url));
    }
    expect((await server.get('/untp-credits/context/v2')).status).toBe(404);
  });
});

describe('registry identity', () => {
  it('did:web from a public URL and back', () => {
    expect(didWebForUrl('https://registry.example.com')).toBe('did:web:registry.example.com');
    expect(didWebForUrl('http://localhost:8080')).toBe('did:web:localhost%3A8080');
    expect(didWebForUrl('https://example.com/reg/one/')).toBe('did:web:example.com:reg:one');
    expect(publicUrlForDid('did:web:example.com:reg')).toBe('https://example.com/reg');
    expect(publicUrlForDid('did:web:localhost%3A8080')).toBe('http://localhost:8080');
    expect(didDocumentPath('did:web:example.com:reg')).toBe('/reg/did.json');
  });

  it('needs PUBLIC_URL (https) outside demo mode, is created once and refuses another identity', async () => {
    const db = await openTestDatabase();
    try {
      await expect(ensureIdentity(db, {})).rejects.toMatchObject({ code: 'PUBLIC_URL_REQUIRED' });
      await expect(ensureIdentity(db, { publicUrl: 'http://registry.example.com' })).rejects.toMatchObject({
        code: 'PUBLIC_URL_INVALID',
      });
      const first = await ensureIdentity(db, { publicUrl: 'https://registry.example.com' });
      const again = await ensureIdentity(db, { publicUrl: 'https://registry.example.com/' });
      expect(again.keys[0]?.kid).toBe(first.keys[0]?.kid);
      expect(await ensureIdentity(db, {})).toMatchObject({ did: first.did }); // stored: no PUBLIC_URL needed any more
      await expect(ensureIdentity(db, { publicUrl: 'https://other.example.com' })).rejects.toMatchObject({
        code: 'IDENTITY_MISMATCH',
      });
      await expect(ensureIdentity(db, { demo: true, publicUrl: 'http://localhost:1234' })).rejects.toMatchObject({
        code: 'IDENTITY_MISMATCH',
      });
      const byDid = await openTestDatabase();
      expect(await ensureIdentity(byDid, { issuerDid: 'did:web:example.org:credits' })).toMatchObject({
        publicUrl: 'https://example.org/credits',
      });
      await byDid.close();
    } finally {
      await db.close();
    }
  });

  it('refuses to move a demo registry to another port (its credentials name the port) and says how to go on', async () => {
    const db = await openTestDatabase();
    try {
      const first = await ensureIdentity(db, { demo: true, publicUrl: 'http://localhost:8080' });
      expect((await ensureIdentity(db, { demo: true, publicUrl: 'http://localhost:8080' })).keys).toEqual(first.keys);
      await expect(ensureIdentity(db, { demo: true, publicUrl: 'http://localhost:8081' })).rejects.toMatchObject({
        code: 'IDENTITY_MISMATCH',
        message: expect.stringMatching(/demo registry did:web:localhost%3A8080.*--port 8080.*--data-dir DIR.*delete/),
      });
      expect(await loadIdentity(db)).toMatchObject({ did: first.did, keys: first.keys }); // unchanged
    } finally {
      await db.close();
    }
  });

  it('serves the DID document at the path a did:web with a path names', async () => {
    const server = await startTestServer({ publicUrl: 'https://example.org/credits' });
    try {
      const doc = (await (await server.get('/credits/did.json')).json()) as { id: string };
      expect(doc.id).toBe('did:web:example.org:credits');
      expect((await server.get('/elsewhere/did.json')).status).toBe(404);
    } finally {
      await server.stop();
    }
  });
});
