import { UntpCreditsError, isUntpCreditsError } from '../../errors.js';
import type { JsonLdProcessor } from '../../jsonld/types.js';
import type { SignatureAlgorithm } from '../../keys/types.js';
import { canonicalNQuads, digest } from '../lib/canonicalize.js';

export type DataIntegrityCryptosuite = 'eddsa-rdfc-2022' | 'ecdsa-rdfc-2019';
export const DATA_INTEGRITY_CRYPTOSUITES: readonly DataIntegrityCryptosuite[] = ['eddsa-rdfc-2022', 'ecdsa-rdfc-2019'];

/** The key algorithms a cryptosuite signs with. */
export function cryptosuiteAllows(cryptosuite: DataIntegrityCryptosuite, algorithm: SignatureAlgorithm): boolean {
  return cryptosuite === 'eddsa-rdfc-2022' ? algorithm === 'EdDSA' : algorithm === 'ES256' || algorithm === 'ES384';
}

/**
 * The data a Data Integrity proof signs (transformation + hashing of eddsa-rdfc-2022 / ecdsa-rdfc-2019):
 * hash(RDFC-1.0(proof config)) ‖ hash(RDFC-1.0(document)), where the proof config is the proof without
 * `proofValue`, under the document's `@context` (with `previousProofs`, the document carries them as its `proof`). SHA-256, or SHA-384 for P-384 keys. Canonicalization
 * goes through the project's JSON-LD processor. Errors: PROOF_CANONICALIZATION_FAILED.
 */
export async function dataIntegrityHashData(
  document: Record<string, unknown>,
  proof: Record<string, unknown>,
  algorithm: SignatureAlgorithm,
  jsonld: JsonLdProcessor,
  previousProofs?: readonly Record<string, unknown>[],
): Promise<Uint8Array> {
  const hash = algorithm === 'ES384' ? 'sha384' : 'sha256';
  const { proofValue: _ignored, ...rest } = proof;
  const proofConfig = { '@context': document['@context'], ...rest };
  const unsecured = { ...document };
  delete unsecured.proof;
  // A proof chain (VC Data Integrity 1.0 §4.3): a proof naming previousProof signs the document with those proofs.
  if (previousProofs !== undefined && previousProofs.length > 0) unsecured.proof = [...previousProofs];
  let configHash: Uint8Array;
  let documentHash: Uint8Array;
  try {
    [configHash, documentHash] = await Promise.all([
      canonicalNQuads(proofConfig, jsonld, hash).then((n) => digest(n, hash)),
      canonicalNQuads(unsecured, jsonld, hash).then((n) => digest(n, hash)),
    ]);
  } catch (error) {
    const inner = isUntpCreditsError(error) ? `${error.code}: ` : '';
    throw new UntpCreditsError(
      'PROOF_CANONICALIZATION_FAILED',
      `the document cannot be canonicalized: ${inner}${(error as Error).message}`,
      { cause: error },
    );
  }
  const out = new Uint8Array(configHash.length + documentHash.length);
  out.set(configHash, 0);
  out.set(documentHash, configHash.length);
  return out;
}
