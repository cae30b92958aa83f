import { createDidDocument, keyMethodIds } from '../../src/keys/did-document.js';
import { generateKeyPair, type GeneratedKeyPair } from '../../src/keys/generate.js';
import { createLocalSigner } from '../../src/keys/signer.js';
import type { DidDocument, Signer, SignatureAlgorithm } from '../../src/keys/types.js';

export interface TestIssuer {
  did: string;
  keys: GeneratedKeyPair;
  document: DidDocument;
  jose: Signer;
  dataIntegrity: Signer;
}

/** A did:web issuer with one fresh key, its DID document, and a signer for each use. */
export async function testIssuer(
  did = 'did:web:issuer.example.com',
  algorithm: SignatureAlgorithm = 'EdDSA',
): Promise<TestIssuer> {
  const keys = generateKeyPair(algorithm);
  const ids = await keyMethodIds(did, keys.publicJwk);
  return {
    did,
    keys,
    document: await createDidDocument(did, [keys.publicJwk]),
    jose: createLocalSigner(keys.privateJwk, ids.jose),
    dataIntegrity: createLocalSigner(keys.privateJwk, ids.dataIntegrity),
  };
}

/** A small W3C-only credential (fast to canonicalize). */
export function smallCredential(issuer: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: 'urn:uuid:6a1ba5c2-2d4e-4f1a-9c39-0c3e2f4b9d11',
    type: ['VerifiableCredential'],
    issuer,
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:subject', name: 'Copper cathode lot 42' },
    ...extra,
  };
}

export const NOW = () => new Date('2026-01-01T00:00:00Z');
