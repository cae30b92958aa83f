import * as base64url from 'jose/base64url';
import { isObject } from '../credits/check.js';
import { digestMultibase, jwsPayload } from '../lib/digest.js';
import { InvalidInputError } from '../errors.js';
import { didOf } from '../keys/did.js';
import type { Signer } from '../keys/types.js';
import { VC_JWT_PREFIX } from '../lib/envelope.js';
import { didDocumentDigest } from '../trust/trust-file.js';
import {
  BUNDLE_TYPE,
  BUNDLE_VERSION,
  MANIFEST_TYP,
  type BundledLogEvidence,
  type BundleManifest,
  type VerificationBundle,
} from './format.js';

/** What goes into a bundle; credentials as compact JWS (or enveloped / data URL, unwrapped here). */
export interface BundleParts {
  retirement: string | Record<string, unknown>;
  issuances: Array<string | Record<string, unknown>>;
  statusLists: Array<string | Record<string, unknown>>;
  didDocuments: Record<string, unknown>[];
  anchors?: Array<string | Record<string, unknown>>;
  /** Disclosure releases of the retirement's withheld fields (compact JWS; carried, not in the manifest). */
  disclosures?: string[];
  /** Each credit credential's log entry, inclusion proof and checkpoint (carried, not in the manifest). */
  log?: BundledLogEvidence[];
  /** Default: now. */
  bundledAt?: string;
}

/** The compact JWS of a published credential: a compact JWS, a data URL, or an EnvelopedVerifiableCredential. */
export function compactJwsOf(value: string | Record<string, unknown>, path = ''): string {
  const text =
    typeof value === 'string' ? value.trim() : isObject(value) && typeof value.id === 'string' ? value.id : '';
  const jws = text.startsWith(VC_JWT_PREFIX) ? text.slice(VC_JWT_PREFIX.length) : text;
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/.test(jws))
    throw new InvalidInputError(
      'JWS_NOT_FOUND',
      `${path || 'the credential'} is not a compact JWS or an enveloped credential`,
      path,
    );
  return jws;
}

function idOf(jws: string): string {
  return String(jwsPayload(jws).id ?? '');
}

function issuerOf(payload: Record<string, unknown>): string | undefined {
  const issuer = payload.issuer;
  return typeof issuer === 'string'
    ? issuer
    : isObject(issuer) && typeof issuer.id === 'string'
      ? issuer.id
      : undefined;
}

/** Signs a manifest as a compact JWS with `typ: untp-bundle-manifest+jwt`. */
export async function signManifest(manifest: BundleManifest, signer: Signer): Promise<string> {
  const header = { alg: signer.algorithm, kid: signer.keyId, typ: MANIFEST_TYP };
  const signingInput = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(manifest))}`;
  const signature = await signer.sign(new TextEncoder().encode(signingInput));
  return `${signingInput}.${base64url.encode(signature)}`;
}

/**
 * Assembles and signs an offline verification bundle. The signer must be a key of the registry
 * that issued the retirement (BUNDLE_SIGNER_MISMATCH otherwise); every issuance it cites must be
 * included (BUNDLE_ISSUANCE_MISSING). Duplicates are dropped. Pure apart from signing.
 *
 * @example
 *   const bundle = await buildBundle({ retirement: retirementJws, issuances: [issuanceJws], statusLists: [listJws], didDocuments: [registryDid] }, registrySigner);
 *   writeFileSync('RET-2026-0007.bundle.json', JSON.stringify(bundle, null, 2));
 */
export async function buildBundle(parts: BundleParts, signer: Signer): Promise<VerificationBundle> {
  const retirement = compactJwsOf(parts.retirement, '/retirement');
  const unique = (values: string[]) => [...new Set(values)];
  const issuances = unique(parts.issuances.map((v, i) => compactJwsOf(v, `/issuances/${i}`)));
  const statusLists = unique(parts.statusLists.map((v, i) => compactJwsOf(v, `/statusLists/${i}`)));
  const anchors = unique((parts.anchors ?? []).map((v, i) => compactJwsOf(v, `/anchors/${i}`)));
  const docs = new Map<string, Record<string, unknown>>();
  for (const doc of parts.didDocuments) docs.set(String(doc.id), doc);

  const payload = jwsPayload(retirement);
  const registry = issuerOf(payload);
  if (registry === undefined || didOf(signer.keyId) !== registry) {
    throw new InvalidInputError(
      'BUNDLE_SIGNER_MISMATCH',
      `the manifest must be signed by the retirement's issuer ${String(registry)}, not by ${signer.keyId}`,
      '/signer',
    );
  }
  const ext =
    isObject(payload.credentialSubject) && isObject(payload.credentialSubject.creditRetirement)
      ? payload.credentialSubject.creditRetirement
      : {};
  const cited = (Array.isArray(ext.retiredUnits) ? ext.retiredUnits : [])
    .filter(isObject)
    .map((u) => (isObject(u.issuanceCredential) ? String(u.issuanceCredential.digestMultibase) : ''));
  const included = new Set(issuances.map((jws) => digestMultibase(jws)));
  const missing = cited.filter((d) => !included.has(d));
  if (missing.length > 0)
    throw new InvalidInputError(
      'BUNDLE_ISSUANCE_MISSING',
      `the retirement cites issuance credential(s) ${missing.join(', ')} that are not included`,
      '/issuances',
    );

  const manifest: BundleManifest = {
    type: 'UntpCreditsBundleManifest',
    iss: registry,
    bundledAt: parts.bundledAt ?? new Date().toISOString(),
    retirement: { id: idOf(retirement), digestMultibase: digestMultibase(retirement) },
    issuances: issuances.map((jws) => ({ id: idOf(jws), digestMultibase: digestMultibase(jws) })),
    statusLists: statusLists.map((jws) => {
      const list = jwsPayload(jws);
      return {
        id: String(list.id ?? ''),
        digestMultibase: digestMultibase(jws),
        ...(typeof list.validFrom === 'string' ? { validFrom: list.validFrom } : {}),
      };
    }),
    didDocuments: [...docs.values()].map((doc) => ({ id: String(doc.id), digestMultibase: didDocumentDigest(doc) })),
    anchors: anchors.map((jws) => ({ id: idOf(jws), digestMultibase: digestMultibase(jws) })),
  };
  return {
    type: BUNDLE_TYPE,
    version: BUNDLE_VERSION,
    manifest: await signManifest(manifest, signer),
    retirement,
    issuances,
    statusLists,
    didDocuments: [...docs.values()],
    anchors,
    ...(parts.disclosures && parts.disclosures.length > 0
      ? { disclosures: unique(parts.disclosures.map((v, i) => compactJwsOf(v, `/disclosures/${i}`))) }
      : {}),
    ...(parts.log && parts.log.length > 0 ? { log: parts.log } : {}),
  };
}
