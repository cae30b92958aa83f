import { InvalidInputError } from '../../errors.js';
import type { JsonLdProcessor } from '../../jsonld/types.js';
import { didOf } from '../../keys/did.js';
import type { Signer } from '../../keys/types.js';
import { type SecuringFormat } from '../../lib/envelope.js';
import { holderIdOf } from '../../lib/credential.js';
import { signDataIntegrity } from '../data-integrity/sign.js';
import { signCompactJws, type EnvelopedPresentation } from '../jose/sign.js';
import { envelopeContext, VP_JWT_PREFIX } from '../../lib/envelope.js';

const VCDM2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

/** An unsigned VCDM 2.0 presentation of secured credentials (enveloped or with proofs), held by `holder`. */
export function createPresentation(
  holder: string,
  credentials: readonly unknown[],
  id?: string,
): Record<string, unknown> {
  return {
    '@context': [VCDM2_CONTEXT],
    ...(id ? { id } : {}),
    type: ['VerifiablePresentation'],
    holder,
    verifiableCredential: [...credentials],
  };
}

export interface PresentationSignOptions {
  format: SecuringFormat;
  signer: Signer;
  /** The verifier's challenge. JOSE: the `nonce` claim of the vp+jwt payload; Data Integrity: `proof.challenge`. */
  challenge?: string;
  /** The verifier's domain. JOSE: the `aud` claim; Data Integrity: `proof.domain`. */
  domain?: string;
  jsonld?: JsonLdProcessor;
  clock?: () => Date;
}

/**
 * Signs a presentation for authentication. The holder must be the signer's DID (HOLDER_KEY_MISMATCH).
 * JOSE: a vp+jwt (`typ: vp+jwt`, `cty: vp`) whose payload is the presentation plus the JOSE-level
 * claims `nonce` (challenge) and `aud` (domain), returned as an EnvelopedVerifiablePresentation.
 * Data Integrity: a proof with proofPurpose `authentication`, `challenge` and `domain`.
 */
export async function signPresentation(
  presentation: Record<string, unknown>,
  options: PresentationSignOptions,
): Promise<Record<string, unknown>> {
  const holder = holderIdOf(presentation);
  if (holder !== didOf(options.signer.keyId)) {
    throw new InvalidInputError(
      'HOLDER_KEY_MISMATCH',
      `the presentation's holder ${String(holder)} is not the DID of key ${options.signer.keyId}`,
      '/holder',
    );
  }
  for (const claim of ['nonce', 'aud'] as const) {
    if (claim in presentation)
      throw new InvalidInputError(
        'PRESENTATION_INVALID',
        `a presentation must not carry the JOSE claim ${claim}; pass challenge/domain instead`,
        `/${claim}`,
      );
  }
  if (options.format === 'jose') {
    const payload: Record<string, unknown> = { ...presentation };
    if (options.challenge !== undefined) payload.nonce = options.challenge;
    if (options.domain !== undefined) payload.aud = options.domain;
    const jws = await signCompactJws(payload, options.signer, 'vp');
    const enveloped: EnvelopedPresentation = {
      '@context': envelopeContext(presentation),
      type: 'EnvelopedVerifiablePresentation',
      id: `${VP_JWT_PREFIX}${jws}`,
    };
    return { ...enveloped };
  }
  return signDataIntegrity(presentation, {
    cryptosuite: options.format,
    signer: options.signer,
    proofPurpose: 'authentication',
    ...(options.challenge !== undefined ? { challenge: options.challenge } : {}),
    ...(options.domain !== undefined ? { domain: options.domain } : {}),
    ...(options.jsonld ? { jsonld: options.jsonld } : {}),
    ...(options.clock ? { created: options.clock() } : {}),
  });
}
