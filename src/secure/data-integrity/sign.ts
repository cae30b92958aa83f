import { base58btc } from 'multiformats/bases/base58';
import { InvalidInputError } from '../../errors.js';
import type { JsonLdProcessor } from '../../jsonld/types.js';
import type { Signer, VerificationRelationship } from '../../keys/types.js';
import { defaultJsonLd } from '../lib/jsonld.js';
import { cryptosuiteAllows, dataIntegrityHashData, type DataIntegrityCryptosuite } from './lib.js';

export interface DataIntegritySignOptions {
  cryptosuite: DataIntegrityCryptosuite;
  signer: Signer;
  /** assertionMethod (credentials, the default) or authentication (presentations). */
  proofPurpose?: VerificationRelationship;
  challenge?: string;
  domain?: string;
  /** The proof's `created` time (default now); null leaves it out. */
  created?: Date | null;
  jsonld?: JsonLdProcessor;
}

/**
 * Adds a Data Integrity proof (DataIntegrityProof with eddsa-rdfc-2022 or ecdsa-rdfc-2019) to a
 * JSON-LD document, canonicalized (RDFC-1.0) through the project's JSON-LD processor. Returns a copy.
 * Does not validate: use `issue()` / `signPresentation()`.
 */
export async function signDataIntegrity(
  document: Record<string, unknown>,
  options: DataIntegritySignOptions,
): Promise<Record<string, unknown>> {
  const { cryptosuite, signer } = options;
  if (!cryptosuiteAllows(cryptosuite, signer.algorithm)) {
    throw new InvalidInputError('KEY_ALGORITHM_MISMATCH', `${cryptosuite} cannot sign with a ${signer.algorithm} key`);
  }
  if (document.proof !== undefined)
    throw new InvalidInputError(
      'PROOF_EXISTS',
      'the document already carries a proof (proof sets and chains are not supported)',
    );
  const proof: Record<string, unknown> = { type: 'DataIntegrityProof', cryptosuite };
  const created = options.created === undefined ? new Date() : options.created;
  if (created) proof.created = created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  proof.verificationMethod = signer.keyId;
  proof.proofPurpose = options.proofPurpose ?? 'assertionMethod';
  if (options.challenge !== undefined) proof.challenge = options.challenge;
  if (options.domain !== undefined) proof.domain = options.domain;
  const hashData = await dataIntegrityHashData(document, proof, signer.algorithm, options.jsonld ?? defaultJsonLd());
  proof.proofValue = base58btc.encode(await signer.sign(hashData));
  return { ...document, proof };
}
