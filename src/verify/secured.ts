import { UntpCreditsError, isUntpCreditsError } from '../errors.js';
import { createDidResolver, type DidResolver } from '../keys/resolver.js';
import { SIGNATURE_ALGORITHMS, type VerificationRelationship } from '../keys/types.js';
import { defaultJsonLd } from '../secure/lib/jsonld.js';
import {
  checkProof,
  splitProofs,
  verifyDataIntegritySignature,
  type CheckedProof,
} from '../secure/data-integrity/verify.js';
import { VC_JWT_PREFIX, VP_JWT_PREFIX } from '../lib/envelope.js';
import { checkJoseHeader, decodeCompactJws, verifyJwsSignature, type DecodedJws } from '../secure/jose/verify.js';
import { resolveKey, type ResolvedKey } from '../secure/lib/methods.js';
import type { VerifyOptions } from './options.js';
import { type StepName, type VerificationStep } from './report.js';
import { type SdJwtFormat, type SecuringFormat } from '../lib/envelope.js';
import { holderIdOf, issuerIdOf } from '../lib/credential.js';
import { checkKeyBinding, checkSdJwtHeader, resolveDisclosures } from '../secure/sd-jwt/verify.js';
import { decodeSdJwt, sdJwtOfInput } from '../secure/sd-jwt/decode.js';
import type { Issue } from '../validate/report.js';
import { didOf } from '../keys/did.js';
import { checkProofSet, type ProofReport } from './proof-set.js';
import {
  checkLegacyHeader,
  isLegacyJwt,
  legacyDocument,
  legacyKeyId,
  LEGACY_JWT_PREFIX,
} from '../secure/jose/legacy.js';

const VCDM2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

/** JOSE-level members of a vp+jwt payload that carry the challenge (`nonce`) and domain (`aud`). */
export const JOSE_PRESENTATION_CLAIMS = ['nonce', 'aud'] as const;

export type Kind = 'credential' | 'presentation';

/** The outcome of the cryptographic steps shared by credentials and presentations. */
export interface SecuredResult {
  ok: boolean;
  steps: VerificationStep[];
  format: SecuringFormat | SdJwtFormat | null;
  /** The credential / presentation (JOSE: the payload, less nonce/aud for presentations; DI: without `proof`). */
  document: Record<string, unknown> | null;
  signer: string | null;
  /** Presentation binding as signed: JOSE nonce/aud, Data Integrity challenge/domain. */
  binding: { challenge?: unknown; domain?: unknown };
  /** JOSE: the compact JWS (withheld-field releases are bound to its digest). */
  jws?: string;
  /** SD-JWT: pointers of objects/arrays that still hold undisclosed digests. */
  withheld?: string[];
  /** Data Integrity proof sets and chains: each proof's outcome. */
  proofs?: ProofReport[];
  /** SD-JWT: warnings of the securing steps (e.g. KEY_BINDING_NOT_CHALLENGED). */
  warnings?: Issue[];
}

/** Runs one step: a thrown UntpCreditsError becomes a failed step with its code; anything else INTERNAL_ERROR. */
export async function runStep<T>(
  steps: VerificationStep[],
  name: StepName,
  fn: () => T | Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false }> {
  try {
    const value = await fn();
    steps.push({ name, ok: true });
    return { ok: true, value };
  } catch (error) {
    const code = isUntpCreditsError(error) ? error.code : 'INTERNAL_ERROR';
    steps.push({ name, ok: false, code, message: (error as Error)?.message ?? String(error) });
    return { ok: false };
  }
}

export function resolverOf(options: VerifyOptions): DidResolver {
  return options.resolver ?? createDidResolver({ documents: options.didDocuments ?? [] });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function typesOf(value: Record<string, unknown>): string[] {
  const type = value.type;
  return typeof type === 'string'
    ? [type]
    : Array.isArray(type)
      ? type.filter((t): t is string => typeof t === 'string')
      : [];
}

type Decoded =
  | { format: 'jose'; jws: DecodedJws; legacy: boolean }
  | { format: 'data-integrity'; document: Record<string, unknown>; proofs: Record<string, unknown>[] };

/** The decode step: what the input is and how it is secured. */
function decode(input: unknown, kind: Kind): Decoded {
  const prefix = kind === 'credential' ? VC_JWT_PREFIX : VP_JWT_PREFIX;
  const envelopeType = kind === 'credential' ? 'EnvelopedVerifiableCredential' : 'EnvelopedVerifiablePresentation';
  let jws: string | undefined;
  const strip = (text: string) =>
    text.startsWith(prefix)
      ? text.slice(prefix.length)
      : text.startsWith(LEGACY_JWT_PREFIX)
        ? text.slice(LEGACY_JWT_PREFIX.length)
        : undefined;
  if (typeof input === 'string') {
    const text = input.trim();
    jws = strip(text) ?? text;
  } else if (isObject(input) && typesOf(input).includes(envelopeType)) {
    jws = typeof input.id === 'string' ? strip(input.id) : undefined;
    if (jws === undefined) {
      throw new UntpCreditsError('ENVELOPE_INVALID', `an ${envelopeType}'s id must be a ${prefix}<JWS> data URL`);
    }
    checkEnvelopeContext(input, envelopeType);
  } else if (isObject(input)) {
    return { format: 'data-integrity', ...splitProofs(input) };
  } else {
    throw new UntpCreditsError(
      'INPUT_INVALID',
      `expected a secured ${kind} (enveloped, compact JWS, or with a proof), not ${input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input}`,
    );
  }
  const decoded = decodeCompactJws(jws);
  return {
    format: 'jose',
    jws: decoded,
    legacy: isLegacyJwt(decoded.header, decoded.payload, kind === 'credential' ? 'vc' : 'vp'),
  };
}

/** VCDM 2.0 §4.13: an envelope is itself a VCDM 2.0 object, so its own @context begins with the base context. */
function checkEnvelopeContext(envelope: Record<string, unknown>, envelopeType: string): void {
  const context = envelope['@context'];
  const first = Array.isArray(context) ? context[0] : context;
  if (first !== VCDM2_CONTEXT)
    throw new UntpCreditsError(
      'ENVELOPE_INVALID',
      `an ${envelopeType}'s @context must begin with ${VCDM2_CONTEXT}, not ${JSON.stringify(context ?? null)}`,
    );
}

/**
 * The DID the signing key must belong to: the issuer (holder) when named; for a presentation without
 * holder (VCDM 2.0 makes it optional) the key's own DID, with the warning PRESENTATION_HOLDER_ABSENT.
 */
function expectedSigner(result: SecuredResult, kind: Kind, keyId: unknown): string | null {
  if (result.signer !== null || kind !== 'presentation' || typeof keyId !== 'string' || !keyId.startsWith('did:'))
    return result.signer;
  result.signer = didOf(keyId);
  (result.warnings ??= []).push({
    code: 'PRESENTATION_HOLDER_ABSENT',
    path: '/holder',
    message: `the presentation names no holder; it is bound only to ${result.signer}, whose key signed it`,
  });
  return result.signer;
}

/**
 * The cryptographic steps: decode → header (JOSE) / proof (Data Integrity) → key → signature.
 * Stops at the first failed step.
 */
export async function checkSecured(input: unknown, kind: Kind, options: VerifyOptions): Promise<SecuredResult> {
  const result: SecuredResult = { ok: false, steps: [], format: null, document: null, signer: null, binding: {} };
  const relationship: VerificationRelationship = kind === 'credential' ? 'assertionMethod' : 'authentication';
  const signerOf = (doc: Record<string, unknown>) => (kind === 'credential' ? issuerIdOf(doc) : holderIdOf(doc));
  const clock = options.clock ?? (() => new Date());
  const resolver = resolverOf(options);

  const sdJwt = kind === 'credential' ? sdJwtOfInput(input) : null;
  if (sdJwt !== null) return checkSdJwtSecured(sdJwt, result, options);

  // Named even when decoding fails, so the report says what the input claimed to be.
  if (typeof input === 'string' || (isObject(input) && typesOf(input).some((t) => t.startsWith('Enveloped'))))
    result.format = 'jose';
  const decoded = await runStep(result.steps, 'decode', () => decode(input, kind));
  if (!decoded.ok) return result;

  if (decoded.value.format === 'jose' && decoded.value.legacy)
    return checkLegacySecured(decoded.value.jws, kind, result, options);
  if (decoded.value.format === 'jose') {
    const { jws } = decoded.value;
    const payload = { ...jws.payload };
    if (kind === 'presentation') {
      if (payload.nonce !== undefined) result.binding.challenge = payload.nonce;
      if (payload.aud !== undefined) result.binding.domain = payload.aud;
      for (const claim of JOSE_PRESENTATION_CLAIMS) delete payload[claim];
    }
    result.format = 'jose';
    result.jws = jws.jws;
    result.document = payload;
    result.signer = signerOf(payload);
    const header = await runStep(result.steps, 'header', () =>
      checkJoseHeader(jws.header, kind === 'credential' ? 'vc' : 'vp', options.algorithms ?? SIGNATURE_ALGORITHMS),
    );
    if (!header.ok) return result;
    const key = await runStep(result.steps, 'key', () =>
      resolveKey(jws.header.kid, expectedSigner(result, kind, jws.header.kid), relationship, resolver),
    );
    if (!key.ok) return result;
    const signature = await runStep(result.steps, 'signature', () =>
      verifyJwsSignature(jws, header.value, key.value.publicJwk, key.value.algorithm),
    );
    result.ok = signature.ok;
    return result;
  }

  const { document, proofs } = decoded.value;
  result.document = document;
  result.signer = signerOf(document);
  const proof = proofs[0] as Record<string, unknown>;
  if (
    typeof proof.cryptosuite === 'string' &&
    (proof.cryptosuite === 'eddsa-rdfc-2022' || proof.cryptosuite === 'ecdsa-rdfc-2019')
  )
    result.format = proof.cryptosuite;
  if (proofs.length > 1) {
    const set = await checkProofSet(document, proofs, result.signer, relationship, resolver, options);
    result.steps.push(...set.steps);
    result.proofs = set.proofs;
    if (set.challenge !== undefined) result.binding.challenge = set.challenge;
    if (set.domain !== undefined) result.binding.domain = set.domain;
    result.ok = set.ok;
    return result;
  }
  const checked = await runStep<CheckedProof>(result.steps, 'proof', () => checkProof(proof, relationship, clock()));
  if (!checked.ok) return result;
  if (checked.value.challenge !== undefined) result.binding.challenge = checked.value.challenge;
  if (checked.value.domain !== undefined) result.binding.domain = checked.value.domain;
  const key = await runStep<ResolvedKey>(result.steps, 'key', () =>
    resolveKey(
      checked.value.verificationMethod,
      expectedSigner(result, kind, checked.value.verificationMethod),
      relationship,
      resolver,
    ),
  );
  if (!key.ok) return result;
  const jsonld = options.jsonld ?? options.validateOptions?.jsonld ?? defaultJsonLd();
  const signature = await runStep(result.steps, 'signature', () =>
    verifyDataIntegritySignature(document, checked.value, key.value.publicJwk, key.value.algorithm, jsonld),
  );
  result.ok = signature.ok;
  return result;
}

/**
 * VC-JWT 1.1 (read only): header (alg, kid) → key (kid relative to `iss`) → signature; the document is
 * the `vc`/`vp` claim with the registered claims mapped in, and the warning VC_JWT_1_1_READ_ONLY.
 */
async function checkLegacySecured(
  jws: DecodedJws,
  kind: Kind,
  result: SecuredResult,
  options: VerifyOptions,
): Promise<SecuredResult> {
  result.format = 'jose';
  result.jws = jws.jws;
  (result.warnings ??= []).push({
    code: 'VC_JWT_1_1_READ_ONLY',
    path: '',
    message: `a VC-JWT 1.1 (${kind === 'credential' ? 'vc' : 'vp'} claim): read for interoperability, never issued; prefer vc+jwt / vp+jwt`,
  });
  const header = await runStep(result.steps, 'header', () => {
    const alg = checkLegacyHeader(jws.header, options.algorithms ?? SIGNATURE_ALGORITHMS);
    result.document = legacyDocument(jws.payload, kind === 'credential' ? 'vc' : 'vp');
    return alg;
  });
  if (!header.ok || !result.document) return result;
  const document = result.document;
  if (kind === 'presentation') {
    if (jws.payload.nonce !== undefined) result.binding.challenge = jws.payload.nonce;
    if (jws.payload.aud !== undefined) result.binding.domain = jws.payload.aud;
  }
  result.signer = kind === 'credential' ? issuerIdOf(document) : holderIdOf(document);
  const keyId = legacyKeyId(jws.header, jws.payload);
  const key = await runStep(result.steps, 'key', () =>
    resolveKey(
      keyId,
      expectedSigner(result, kind, keyId),
      kind === 'credential' ? 'assertionMethod' : 'authentication',
      resolverOf(options),
    ),
  );
  if (!key.ok) return result;
  const signature = await runStep(result.steps, 'signature', () =>
    verifyJwsSignature(jws, header.value, key.value.publicJwk, key.value.algorithm),
  );
  result.ok = signature.ok;
  return result;
}

/**
 * SD-JWT (W3C VC-JOSE-COSE vc+sd-jwt): decode → header → key → signature (of the issuer-signed JWT,
 * as for vc+jwt) → disclosures (each against the signed digests) → keyBinding (when present or when
 * the credential names a holder key and a challenge is given).
 */
async function checkSdJwtSecured(
  compact: string,
  result: SecuredResult,
  options: VerifyOptions,
): Promise<SecuredResult> {
  result.format = 'sd-jwt';
  const decoded = await runStep(result.steps, 'decode', () => decodeSdJwt(compact));
  if (!decoded.ok) return result;
  const { jwt } = decoded.value;
  result.signer = issuerIdOf(jwt.payload);
  const header = await runStep(result.steps, 'header', () =>
    checkSdJwtHeader(jwt.header, options.algorithms ?? SIGNATURE_ALGORITHMS),
  );
  if (!header.ok) return result;
  const key = await runStep(result.steps, 'key', () =>
    resolveKey(jwt.header.kid, result.signer, 'assertionMethod', resolverOf(options)),
  );
  if (!key.ok) return result;
  const signature = await runStep(result.steps, 'signature', () =>
    verifyJwsSignature(jwt, header.value, key.value.publicJwk, key.value.algorithm),
  );
  if (!signature.ok) return result;
  const disclosed = await runStep(result.steps, 'disclosures', () => resolveDisclosures(decoded.value));
  if (!disclosed.ok) return result;
  result.document = disclosed.value.document;
  result.withheld = disclosed.value.withheld;
  result.warnings = disclosed.value.withheld.map((path) => ({
    code: 'CLAIMS_MAY_BE_WITHHELD',
    path,
    message: `claims may be withheld at ${path || '/'} (undisclosed SD-JWT digests)`,
  }));
  if (
    decoded.value.kb ||
    (options.challenge !== undefined && (jwt.payload.cnf as { jwk?: unknown } | undefined)?.jwk)
  ) {
    const kb = await runStep(result.steps, 'keyBinding', () =>
      checkKeyBinding(decoded.value, {
        now: (options.clock ?? (() => new Date()))(),
        ...(options.challenge !== undefined ? { challenge: options.challenge } : {}),
        ...(options.domain !== undefined ? { domain: options.domain } : {}),
        ...(options.keyBindingMaxAge !== undefined ? { maxAgeSeconds: options.keyBindingMaxAge } : {}),
        ...(options.algorithms ? { algorithms: options.algorithms } : {}),
      }),
    );
    if (!kb.ok) return result;
    result.warnings.push(...kb.value.warnings);
  }
  result.ok = true;
  return result;
}
