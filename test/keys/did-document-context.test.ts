import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArtefactRegistry } from '../../src/artefacts/registry.js';
import { createJsonLdProcessor, JsonLdJsProcessor } from '../../src/jsonld/index.js';
import {
  addKeyToDidDocument,
  createDidDocument,
  DID_CONTEXTS,
  keyMethodIds,
  revokeKeyInDidDocument,
} from '../../src/keys/did-document.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { publicJwkOfMethod } from '../../src/keys/jwk.js';
import type { DidDocument } from '../../src/keys/types.js';
import { identityDidDocument, type RegistryIdentity } from '../../src/server/identity.js';
import { ROOT } from '../helpers.js';
import { startTestServer } from '../server/helpers.js';

const CID_V1 = 'https://www.w3.org/ns/cid/v1';
const SEC = 'https://w3id.org/security#';
/** What our DID documents carried before the CID context: neither entry defines JsonWebKey or publicKeyJwk. */
const PRE_CID_CONTEXTS = [
  'https://www.w3.org/ns/did/v1',
  'https://w3id.org/security/multikey/v1',
  'https://w3id.org/security/suites/jws-2020/v1',
];
const DID = 'did:web:registry.example.com:issuers:mine-001';

type Node = Record<string, unknown>;

async function documentWithKeys(): Promise<DidDocument> {
  return createDidDocument(DID, [
    generateKeyPair('EdDSA').publicJwk,
    generateKeyPair('ES256').publicJwk,
    generateKeyPair('ES384').publicJwk,
  ]);
}

/** The expanded verification methods of a DID document, keyed by method id. */
function expandedMethods(expanded: unknown[] | null): Map<string, Node> {
  const top = (expanded ?? [])[0] as Node | undefined;
  const methods = (top?.[`${SEC}verificationMethod`] ?? []) as Node[];
  return new Map(methods.map((m) => [String(m['@id']), m]));
}

describe('the DID documents we emit declare a context defining JsonWebKey and Multikey', () => {
  it('put the W3C CID v1 context right after the DID core context', async () => {
    const document = await documentWithKeys();
    expect(DID_CONTEXTS[0]).toBe('https://www.w3.org/ns/did/v1');
    expect(DID_CONTEXTS[1]).toBe(CID_V1);
    expect(document['@context']).toEqual([...DID_CONTEXTS]);
  });

  it('expand with no term dropped and no safe-mode event, in both the fast processor and jsonld.js', async () => {
    const document = await documentWithKeys();
    const fast = await createJsonLdProcessor().check(document);
    expect(fast.engine).toBe('fast');
    expect(fast.errors).toEqual([]);
    expect(fast.warnings).toEqual([]);
    const reference = await new JsonLdJsProcessor().check(document);
    expect(reference.errors).toEqual([]);
    expect(reference.warnings).toEqual([]);
    expect(fast.expanded).toEqual(reference.expanded);
  });

  it('publicKeyJwk and publicKeyMultibase expand to the CID (security vocabulary) IRIs, with their types', async () => {
    const document = await documentWithKeys();
    const { expanded } = await createJsonLdProcessor().check(document);
    const methods = expandedMethods(expanded);
    expect(methods.size).toBe(6);
    for (const method of document.verificationMethod ?? []) {
      const node = methods.get(method.id);
      expect(node, method.id).toBeDefined();
      if (method.type === 'JsonWebKey') {
        expect(node!['@type']).toEqual([`${SEC}JsonWebKey`]);
        expect(node![`${SEC}publicKeyJwk`]).toEqual([{ '@type': '@json', '@value': method.publicKeyJwk }]);
      } else {
        expect(method.type).toBe('Multikey');
        expect(node!['@type']).toEqual([`${SEC}Multikey`]);
        expect(node![`${SEC}publicKeyMultibase`]).toEqual([
          { '@type': `${SEC}multibase`, '@value': method.publicKeyMultibase },
        ]);
      }
      expect(node![`${SEC}controller`]).toEqual([{ '@id': DID }]);
    }
  });

  it('the same document with the old context drops publicKeyJwk (what this change fixes)', async () => {
    const document = { ...(await documentWithKeys()), '@context': PRE_CID_CONTEXTS };
    for (const processor of [createJsonLdProcessor(), new JsonLdJsProcessor()]) {
      const { errors } = await processor.check(document);
      const dropped = errors.filter((e) => e.code === 'JSONLD_TERM_DROPPED');
      expect(dropped.map((e) => e.path).sort(), processor.constructor.name).toEqual([
        '/verificationMethod/0/publicKeyJwk',
        '/verificationMethod/2/publicKeyJwk',
        '/verificationMethod/4/publicKeyJwk',
      ]);
      // and the type JsonWebKey is not a defined term either: a relative @type reference
      expect(
        errors.some((e) => e.code === 'JSONLD_UNSAFE' && /relative @type/.test(e.message)),
        processor.constructor.name,
      ).toBe(true);
    }
  });

  it('the CID context is bundled: it resolves offline by URL, with the published digest', async () => {
    const registry = ArtefactRegistry.bundled();
    const entry = registry.provenance().find((e) => e.url === CID_V1);
    expect(entry).toMatchObject({
      kind: 'context',
      file: 'w3c/cid-v1.jsonld',
      sha256: 'ea216ecc1cb02cd39b693dba2250141e270ba0bf95890be107dd9a9e8e43de85',
      license: 'W3C Software and Document License',
    });
    const loaded = await registry.documentLoader(CID_V1);
    const context = (loaded.document as { '@context': Record<string, any> })['@context'];
    expect(context['@protected']).toBe(true);
    expect(context.JsonWebKey['@id']).toBe(`${SEC}JsonWebKey`);
    expect(context.JsonWebKey['@context'].publicKeyJwk).toEqual({ '@id': `${SEC}publicKeyJwk`, '@type': '@json' });
    expect(context.Multikey['@context'].publicKeyMultibase).toEqual({
      '@id': `${SEC}publicKeyMultibase`,
      '@type': `${SEC}multibase`,
    });
  });

  it('the did:web document the server serves (identityDidDocument) has the context and expands cleanly, revoked keys included', async () => {
    const did = 'did:web:registry.example.com';
    const keys = await Promise.all(
      ['EdDSA', 'ES256'].map(async (alg, i) => {
        const pair = generateKeyPair(alg as 'EdDSA' | 'ES256');
        const ids = await keyMethodIds(did, pair.publicJwk);
        return {
          kid: ids.jose,
          publicJwk: pair.publicJwk,
          keyRef: 'db',
          active: i === 1,
          revoked: i === 0,
          createdAt: '2026-01-01T00:00:00Z',
        };
      }),
    );
    const identity: RegistryIdentity = {
      did,
      publicUrl: 'https://registry.example.com',
      name: 'Registry',
      demo: false,
      keys,
    };
    const document = await identityDidDocument(identity);
    expect(document['@context']).toEqual([...DID_CONTEXTS]);
    expect(document.verificationMethod).toHaveLength(4);
    const { errors, warnings } = await createJsonLdProcessor().check(document);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('GET /.well-known/did.json serves it with the context', async () => {
    const server = await startTestServer();
    try {
      const response = await server.get('/.well-known/did.json');
      expect(response.status).toBe(200);
      const document = (await response.json()) as DidDocument;
      expect(document['@context']).toEqual([...DID_CONTEXTS]);
      expect((await createJsonLdProcessor().check(document)).errors).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  it('method ids are unchanged: the committed example DID documents differ from what we build now only in @context', async () => {
    for (const host of ['registry.mineral-credits.example', 'elbe-cells.example', 'lindqvist-kabel.example']) {
      const committed = JSON.parse(
        readFileSync(join(ROOT, 'examples', 'keys', `${host}.did.json`), 'utf8'),
      ) as DidDocument;
      const jwks = (committed.verificationMethod ?? []).filter((m) => m.type === 'JsonWebKey').map(publicJwkOfMethod);
      const rebuilt = await createDidDocument(committed.id, jwks);
      expect({ ...rebuilt, '@context': null }, host).toEqual({ ...committed, '@context': null });
    }
  });

  it('rotation upgrades a document we emitted with the old context and leaves any other context alone', async () => {
    const first = generateKeyPair();
    const old: DidDocument = {
      ...(await createDidDocument(DID, [first.publicJwk])),
      '@context': [...PRE_CID_CONTEXTS],
    };
    const rotated = await addKeyToDidDocument(old, generateKeyPair('ES256').publicJwk);
    expect(rotated['@context']).toEqual([...DID_CONTEXTS]);
    expect(rotated.verificationMethod!.slice(0, 2)).toEqual(old.verificationMethod);
    expect(old['@context']).toEqual(PRE_CID_CONTEXTS); // the input is not modified

    const custom = ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'];
    const other = await addKeyToDidDocument({ ...old, '@context': custom }, generateKeyPair().publicJwk);
    expect(other['@context']).toEqual(custom);
    // revocation (compromise) never rewrites the context
    const revoked = await revokeKeyInDidDocument(old, (await keyMethodIds(DID, first.publicJwk)).jose);
    expect(revoked['@context']).toEqual(PRE_CID_CONTEXTS);
  });
});
