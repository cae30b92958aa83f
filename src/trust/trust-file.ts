import { nodeFs, requireNodeBuiltin } from '../lib/platform.js';
import { digestMultibase } from '../lib/digest.js';
import { InvalidInputError } from '../errors.js';
import { isDid } from '../keys/did.js';

/**
 * The verifier's trust file: per DID, the keys (RFC 7638 JWK thumbprints) or the DID-document
 * digest it accepts, and the roots whose UNTP Digital Identity Anchor credentials may vouch for
 * issuers. Offline, trust comes only from here: a DID document carried in a bundle proves nothing
 * by itself, since whoever can write one can sign anything.
 *
 * ```json
 * { "type": "UntpCreditsTrust", "version": 1,
 *   "issuers": [{ "did": "did:web:registry.example", "name": "…", "keys": ["<thumbprint>"], "didDocumentDigest": "z…" }],
 *   "roots": [{ "did": "did:web:business-register.example", "name": "…", "keys": ["<thumbprint>"] }],
 *   "anchors": ["<compact JWS of a DigitalIdentityAnchor>"] }
 * ```
 */
export interface TrustFile {
  type: 'UntpCreditsTrust';
  version: 1;
  issuers: PinnedDid[];
  roots: PinnedDid[];
  /** DIA credentials (compact JWS or enveloped) the verifier keeps with its trust file. */
  anchors: string[];
}

/** One DID the verifier pins: at least one of `keys` or `didDocumentDigest`. */
export interface PinnedDid {
  did: string;
  name?: string;
  /** JWK thumbprints (RFC 7638, SHA-256, base64url) of the keys accepted for this DID. */
  keys: string[];
  /** digestMultibase of the DID document (canonical JSON) accepted as a whole. */
  didDocumentDigest?: string;
}

export const TRUST_FILE_TYPE = 'UntpCreditsTrust';
/** RFC 9278 JWK Thumbprint URI prefix, used by anchors to name the keys they vouch for. */
export const JWK_THUMBPRINT_URI = 'urn:ietf:params:oauth:jwk-thumbprint:sha-256:';

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function pinned(value: unknown, path: string): PinnedDid {
  if (!isObject(value))
    throw new InvalidInputError(
      'TRUST_FILE_INVALID',
      `${path} must be an object { did, keys?, didDocumentDigest? }`,
      path,
    );
  if (!isDid(value.did)) throw new InvalidInputError('TRUST_FILE_INVALID', `${path}/did must be a DID`, `${path}/did`);
  const keys = value.keys ?? [];
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(k))) {
    throw new InvalidInputError(
      'TRUST_FILE_INVALID',
      `${path}/keys must list SHA-256 JWK thumbprints (43 base64url characters)`,
      `${path}/keys`,
    );
  }
  const digest = value.didDocumentDigest;
  if (digest !== undefined && (typeof digest !== 'string' || !/^[zu][A-Za-z0-9_-]+$/.test(digest))) {
    throw new InvalidInputError(
      'TRUST_FILE_INVALID',
      `${path}/didDocumentDigest must be a z… or u… multibase digest`,
      `${path}/didDocumentDigest`,
    );
  }
  if (keys.length === 0 && digest === undefined)
    throw new InvalidInputError('TRUST_FILE_INVALID', `${path} pins nothing: give keys or didDocumentDigest`, path);
  return {
    did: value.did,
    ...(typeof value.name === 'string' ? { name: value.name } : {}),
    keys: keys as string[],
    ...(digest !== undefined ? { didDocumentDigest: digest as string } : {}),
  };
}

/**
 * Checks a parsed trust file. Code: TRUST_FILE_INVALID (with the JSON pointer).
 *
 * @example
 *   const trust = parseTrustFile({ type: 'UntpCreditsTrust', version: 1, issuers: [{ did, keys: [thumbprint] }] });
 */
export function parseTrustFile(value: unknown): TrustFile {
  if (!isObject(value) || value.type !== TRUST_FILE_TYPE)
    throw new InvalidInputError(
      'TRUST_FILE_INVALID',
      `a trust file is a JSON object with "type": "${TRUST_FILE_TYPE}"`,
      '/type',
    );
  if (value.version !== 1)
    throw new InvalidInputError(
      'TRUST_FILE_INVALID',
      `trust file version ${JSON.stringify(value.version)} is not supported (1)`,
      '/version',
    );
  const list = (name: 'issuers' | 'roots') => {
    const raw = value[name] ?? [];
    if (!Array.isArray(raw)) throw new InvalidInputError('TRUST_FILE_INVALID', `/${name} must be an array`, `/${name}`);
    return raw.map((entry, i) => pinned(entry, `/${name}/${i}`));
  };
  const anchors = value.anchors ?? [];
  if (!Array.isArray(anchors))
    throw new InvalidInputError('TRUST_FILE_INVALID', '/anchors must be an array', '/anchors');
  return {
    type: TRUST_FILE_TYPE,
    version: 1,
    issuers: list('issuers'),
    roots: list('roots'),
    anchors: anchors.map((a, i) => {
      if (typeof a === 'string') return a;
      if (isObject(a) && typeof a.id === 'string' && a.id.startsWith('data:application/vc+jwt,'))
        return a.id.slice('data:application/vc+jwt,'.length);
      throw new InvalidInputError(
        'TRUST_FILE_INVALID',
        `/anchors/${i} must be a compact JWS or an enveloped credential`,
        `/anchors/${i}`,
      );
    }),
  };
}

/** Reads and checks a trust file. Codes: TRUST_FILE_UNREADABLE, TRUST_FILE_INVALID. */
export function readTrustFile(path: string): TrustFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(requireNodeBuiltin(nodeFs, 'reading a trust file').readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InvalidInputError('TRUST_FILE_UNREADABLE', `${path}: ${(error as Error).message}`);
  }
  return parseTrustFile(parsed);
}

/**
 * Canonical JSON (RFC 8785 JCS for the JSON a DID document holds: object members sorted by code
 * unit, no whitespace, ECMAScript number and string forms).
 *
 * @example
 *   canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new InvalidInputError('JSON_NOT_CANONICALIZABLE', 'non-finite numbers have no JSON form');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The digestMultibase of a DID document: sha2-256 over its canonical JSON. What a trust file's
 * `didDocumentDigest` and a bundle manifest pin.
 *
 * @example
 *   didDocumentDigest(JSON.parse(readFileSync('did.json', 'utf8'))); // 'zQm…'
 */
export function didDocumentDigest(document: unknown): string {
  return digestMultibase(canonicalJson(document));
}

/**
 * A trust file pinning the given DIDs' keys (thumbprints) — what `demo` writes and a registry
 * hands to the platforms that rely on it.
 *
 * @example
 *   const trust = trustFileFor([{ did: 'did:web:registry.example', name: 'Registry', keys: [await jwkThumbprint(publicJwk)] }]);
 */
export function trustFileFor(issuers: PinnedDid[], roots: PinnedDid[] = [], anchors: string[] = []): TrustFile {
  return parseTrustFile({ type: TRUST_FILE_TYPE, version: 1, issuers, roots, anchors });
}
