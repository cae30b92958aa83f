import type { JsonLdProcessor } from '../../jsonld/types.js';
import { hash as hashBytes } from '../../lib/hash.js';

/**
 * RDFC-1.0 canonical N-Quads of a JSON-LD document, through the project's JSON-LD processor
 * (its `toRdf`, never jsonld.js directly). `hash` is the RDFC internal digest (sha256, or sha384 for P-384).
 */
export async function canonicalNQuads(
  document: unknown,
  jsonld: JsonLdProcessor,
  hash: 'sha256' | 'sha384' = 'sha256',
): Promise<string> {
  const dataset = await jsonld.toRdf(document);
  // Loaded on first use: a process that verifies JOSE credentials only does not pay for it.
  const { default: rdfCanonize } = await import('rdf-canonize');
  return rdfCanonize.canonize(dataset, {
    algorithm: 'RDFC-1.0',
    messageDigestAlgorithm: hash === 'sha256' ? 'SHA-256' : 'SHA-384',
  });
}

export function digest(text: string, hash: 'sha256' | 'sha384'): Uint8Array {
  return hashBytes(hash, text);
}
