import { isObject } from '../credits/check.js';
import { InvalidInputError } from '../errors.js';
import { VC_JWT_PREFIX } from '../lib/envelope.js';
import { parseLogEvidence, type LogEvidence } from '../verify/log.js';

/**
 * The offline verification bundle (docs/bundles.md): one JSON file holding a retirement
 * credential, the issuance credential(s) it cites, the status-list credentials as of bundling,
 * the DID documents needed, optional Digital Identity Anchors, and a manifest of their digests
 * signed by the registry (a compact JWS, `typ: untp-bundle-manifest+jwt`). Credentials are kept as
 * the compact JWS the registry published, so every digest is over the exact signed bytes.
 */
export const BUNDLE_TYPE = 'UntpCreditsVerificationBundle';
export const BUNDLE_VERSION = 1;
export const MANIFEST_TYP = 'untp-bundle-manifest+jwt';

export interface VerificationBundle {
  type: typeof BUNDLE_TYPE;
  version: typeof BUNDLE_VERSION;
  /** The signed manifest (compact JWS). */
  manifest: string;
  /** The retirement credential (compact JWS). */
  retirement: string;
  /** The issuance credentials the retirement cites (compact JWS each). */
  issuances: string[];
  /** The status-list credentials as of bundling (compact JWS each). */
  statusLists: string[];
  /** The DID documents needed to check the signatures (carried: trusted only when pinned). */
  didDocuments: Record<string, unknown>[];
  /** Digital Identity Anchor credentials vouching for the issuer (compact JWS each). */
  anchors: string[];
  /**
   * Optional: the registry's disclosure releases of the retirement's withheld fields (compact JWS
   * each, docs/privacy.md), passed to `verify(retirement, { disclosures })`. Not in the manifest:
   * each release is signed by the registry and bound to the retirement's id and digest itself.
   */
  disclosures?: string[];
  /**
   * Optional: per credit credential (by credential id), its place in the registry's transparency
   * log — the entry, its inclusion proof and the signed checkpoint with any witness cosignatures.
   * Not in the manifest: the checkpoint is signed by the log key and the proof ties the entry to it.
   */
  log?: BundledLogEvidence[];
}

/** One credential's log evidence in a bundle. */
export interface BundledLogEvidence extends LogEvidence {
  credentialId: string;
}

/** One component named by the manifest: its id and the digestMultibase of its bytes. */
export interface ManifestEntry {
  id: string;
  digestMultibase: string;
}

/** The manifest payload. */
export interface BundleManifest {
  type: 'UntpCreditsBundleManifest';
  /** The registry (the retirement's issuer) that signed the manifest. */
  iss: string;
  /** When the bundle was made: the status lists are as of this time. */
  bundledAt: string;
  retirement: ManifestEntry;
  issuances: ManifestEntry[];
  /** Status lists: id (URL) and digest, plus the list's own validFrom. */
  statusLists: Array<ManifestEntry & { validFrom?: string }>;
  /** DID documents: id (DID) and the digest of their canonical JSON. */
  didDocuments: ManifestEntry[];
  anchors: ManifestEntry[];
}

function jwsString(value: unknown, path: string): string {
  if (typeof value === 'string' && value.startsWith(VC_JWT_PREFIX)) return value.slice(VC_JWT_PREFIX.length);
  if (isObject(value) && typeof value.id === 'string' && value.id.startsWith(VC_JWT_PREFIX))
    return value.id.slice(VC_JWT_PREFIX.length);
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/.test(value)) {
    throw new InvalidInputError('BUNDLE_INVALID', `${path} must be a compact JWS`, path);
  }
  return value;
}

function jwsList(value: unknown, path: string, min = 0): string[] {
  if (value === undefined && min === 0) return [];
  if (!Array.isArray(value) || value.length < min)
    throw new InvalidInputError(
      'BUNDLE_INVALID',
      `${path} must be an array${min > 0 ? ` of at least ${min}` : ''}`,
      path,
    );
  return value.map((v, i) => jwsString(v, `${path}/${i}`));
}

function logList(value: unknown): BundledLogEvidence[] {
  if (!Array.isArray(value)) throw new InvalidInputError('BUNDLE_INVALID', '/log must be an array', '/log');
  return value.map((v, i) => {
    if (!isObject(v) || typeof v.credentialId !== 'string')
      throw new InvalidInputError('BUNDLE_INVALID', `/log/${i} must name its credentialId`, `/log/${i}`);
    try {
      return { credentialId: v.credentialId, ...parseLogEvidence(v) };
    } catch (error) {
      throw new InvalidInputError('BUNDLE_INVALID', `/log/${i}: ${(error as Error).message}`, `/log/${i}`);
    }
  });
}

/** True when `value` looks like a bundle (its `type`), so verify can tell bundles from credentials. */
export function isBundle(value: unknown): boolean {
  return isObject(value) && value.type === BUNDLE_TYPE;
}

/**
 * Reads a bundle's structure (not its signatures). Code: BUNDLE_INVALID with the JSON pointer.
 *
 * @example
 *   const bundle = parseBundle(JSON.parse(readFileSync('RET-2026-0007.bundle.json', 'utf8')));
 */
export function parseBundle(value: unknown): VerificationBundle {
  if (!isObject(value) || value.type !== BUNDLE_TYPE)
    throw new InvalidInputError('BUNDLE_INVALID', `a bundle is a JSON object with "type": "${BUNDLE_TYPE}"`, '/type');
  if (value.version !== BUNDLE_VERSION)
    throw new InvalidInputError(
      'BUNDLE_INVALID',
      `bundle version ${JSON.stringify(value.version)} is not supported (${BUNDLE_VERSION})`,
      '/version',
    );
  const docs = value.didDocuments ?? [];
  if (!Array.isArray(docs) || docs.some((d) => !isObject(d)))
    throw new InvalidInputError('BUNDLE_INVALID', '/didDocuments must be an array of objects', '/didDocuments');
  return {
    type: BUNDLE_TYPE,
    version: BUNDLE_VERSION,
    manifest: jwsString(value.manifest, '/manifest'),
    retirement: jwsString(value.retirement, '/retirement'),
    issuances: jwsList(value.issuances, '/issuances', 1),
    statusLists: jwsList(value.statusLists, '/statusLists'),
    didDocuments: docs as Record<string, unknown>[],
    anchors: jwsList(value.anchors, '/anchors'),
    ...(value.disclosures !== undefined ? { disclosures: jwsList(value.disclosures, '/disclosures') } : {}),
    ...(value.log !== undefined ? { log: logList(value.log) } : {}),
  };
}
