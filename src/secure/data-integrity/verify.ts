import { base58btc } from 'multiformats/bases/base58';
import { UntpCreditsError } from '../../errors.js';
import type { JsonLdProcessor } from '../../jsonld/types.js';
import type { PublicJwk, SignatureAlgorithm, VerificationRelationship } from '../../keys/types.js';
import { verifyRawSignature } from '../lib/raw-signature.js';
import {
  cryptosuiteAllows,
  dataIntegrityHashData,
  DATA_INTEGRITY_CRYPTOSUITES,
  type DataIntegrityCryptosuite,
} from './lib.js';

export interface CheckedProof {
  proof: Record<string, unknown>;
  cryptosuite: DataIntegrityCryptosuite;
  verificationMethod: string;
  signature: Uint8Array;
  challenge?: unknown;
  domain?: unknown;
}

/** Splits a secured document into the unsecured document and its proofs (a set, or one). Errors: PROOF_MISSING, PROOF_INVALID. */
export function splitProofs(secured: Record<string, unknown>): {
  document: Record<string, unknown>;
  proofs: Record<string, unknown>[];
} {
  const proof = secured.proof;
  if (proof === undefined) throw new UntpCreditsError('PROOF_MISSING', 'the document carries no proof');
  const proofs = Array.isArray(proof) ? proof : [proof];
  if (proofs.length === 0) throw new UntpCreditsError('PROOF_MISSING', 'the document carries an empty proof set');
  proofs.forEach((entry, i) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
      throw new UntpCreditsError('PROOF_INVALID', `proof ${i} is not an object`);
  });
  const document = { ...secured };
  delete document.proof;
  return { document, proofs: proofs as Record<string, unknown>[] };
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The proof step: type DataIntegrityProof (PROOF_TYPE_UNSUPPORTED), a supported cryptosuite
 * (CRYPTOSUITE_UNSUPPORTED), the expected proofPurpose (PROOF_PURPOSE_MISMATCH), a verificationMethod
 * and a base58btc multibase proofValue (PROOF_INVALID, PROOF_VALUE_INVALID), well-formed created/expires
 * and not expired (PROOF_EXPIRED).
 */
export function checkProof(proof: Record<string, unknown>, purpose: VerificationRelationship, now: Date): CheckedProof {
  if (proof.type !== 'DataIntegrityProof')
    throw new UntpCreditsError(
      'PROOF_TYPE_UNSUPPORTED',
      `proof type ${JSON.stringify(proof.type)} is not supported (DataIntegrityProof)`,
    );
  const cryptosuite = proof.cryptosuite;
  if (!(DATA_INTEGRITY_CRYPTOSUITES as readonly unknown[]).includes(cryptosuite)) {
    throw new UntpCreditsError(
      'CRYPTOSUITE_UNSUPPORTED',
      `cryptosuite ${JSON.stringify(cryptosuite)} is not supported (${DATA_INTEGRITY_CRYPTOSUITES.join(', ')})`,
    );
  }
  if (proof.proofPurpose !== purpose)
    throw new UntpCreditsError(
      'PROOF_PURPOSE_MISMATCH',
      `proofPurpose must be ${purpose}, not ${JSON.stringify(proof.proofPurpose)}`,
    );
  const vm = proof.verificationMethod;
  const verificationMethod =
    typeof vm === 'string' ? vm : vm !== null && typeof vm === 'object' ? (vm as { id?: unknown }).id : undefined;
  if (typeof verificationMethod !== 'string')
    throw new UntpCreditsError('PROOF_INVALID', 'the proof names no verificationMethod');
  for (const member of ['created', 'expires'] as const) {
    const value = proof[member];
    if (
      value !== undefined &&
      (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))
    ) {
      throw new UntpCreditsError('PROOF_INVALID', `proof.${member} is not an XSD dateTimeStamp`);
    }
  }
  if (typeof proof.expires === 'string' && Date.parse(proof.expires) < now.getTime())
    throw new UntpCreditsError('PROOF_EXPIRED', `the proof expired at ${proof.expires}`);
  const value = proof.proofValue;
  if (typeof value !== 'string' || !value.startsWith('z'))
    throw new UntpCreditsError('PROOF_VALUE_INVALID', 'proofValue must be a base58btc multibase string (z…)');
  let signature: Uint8Array;
  try {
    signature = base58btc.decode(value);
  } catch {
    throw new UntpCreditsError('PROOF_VALUE_INVALID', 'proofValue is not valid base58btc');
  }
  const checked: CheckedProof = {
    proof,
    cryptosuite: cryptosuite as DataIntegrityCryptosuite,
    verificationMethod,
    signature,
  };
  if (proof.challenge !== undefined) checked.challenge = proof.challenge;
  if (proof.domain !== undefined) checked.domain = proof.domain;
  return checked;
}

/** The signature step of a Data Integrity proof. Errors: KEY_ALGORITHM_MISMATCH, PROOF_CANONICALIZATION_FAILED, SIGNATURE_INVALID. */
export async function verifyDataIntegritySignature(
  document: Record<string, unknown>,
  checked: CheckedProof,
  publicJwk: PublicJwk,
  keyAlgorithm: SignatureAlgorithm,
  jsonld: JsonLdProcessor,
  previousProofs?: readonly Record<string, unknown>[],
): Promise<void> {
  if (!cryptosuiteAllows(checked.cryptosuite, keyAlgorithm)) {
    throw new UntpCreditsError('KEY_ALGORITHM_MISMATCH', `${checked.cryptosuite} does not use ${keyAlgorithm} keys`);
  }
  const hashData = await dataIntegrityHashData(document, checked.proof, keyAlgorithm, jsonld, previousProofs);
  if (!verifyRawSignature(keyAlgorithm, publicJwk, hashData, checked.signature)) {
    throw new UntpCreditsError('SIGNATURE_INVALID', `the ${checked.cryptosuite} proof signature does not verify`);
  }
}
