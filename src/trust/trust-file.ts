import { nodeFs, requireNodeBuiltin } from '../lib/platform.js';
import { digestMultibase } from '../lib/digest.js';
import { InvalidInputError } from '../errors.js';
import { isDid } from '../keys/did.js';
import { parseVerifierKey, SIGNATURE_TYPE_COSIGNATURE_V1, SIGNATURE_TYPE_ED25519 } from '../log/index.js';
import type { TrustedLog } from '../verify/log.js';

/**
 * The verifier's trust file: per DID, the keys (RFC 7638 JWK thumbprints) or the DID-document
 * digest it accepts, and the roots whose UNTP Digital Identity Anchor credentials may vouch for
 * issuers. Offline, trust comes only from here: a DID document carried in a bundle proves nothing
 * by itself, since whoever can write one can sign anything.
 *
 * Version 2 adds an issuer's transparency log: its log key(s) as C2SP verifier keys, and the
 * witnesses (cosigner verifier keys) with the number k of them that must have cosigned a
 * checkpoint. A version 1 file is read as before (no log).
 *
 * ```json
 * { "type": "UntpCreditsTrust", "version": 2,
 *   "issuers": [{ "did": "did:web:registry.example", "name": "…", "keys": ["<thumbprint>"], "didDocumentDigest": "z…",
 *                 "log": { "keys": ["registry.example/registry/log+1a2b3c4d+AQ…"], "witnesses": ["witness.example+…+BA…"], "witnessThreshold": 1 } }],
 *   "roots": [{ "did": "did:web:business-register.example", "name": "…", "keys": ["<thumbprint>"] }],
 *   "anchors": ["<compact JWS of a DigitalIdentityAnchor>"] }
 * ```
 */
export interface TrustFile {
  type: 'UntpCreditsTrust';
  version: 1 | 2;
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
  /** Issuers (version 2): the registry's transparency log, checked for its credit credentials. */
  log?: PinnedLog;
}

/** A registry's transparency log as pinned: its log key(s), witnesses and the threshold k. */
export interface PinnedLog {
  /** C2SP verifier keys (Ed25519, type 0x01) named after the log's origin; several during a rotation. */
  keys: string[];
  /** C2SP verifier keys of witnesses (cosigners, type 0x04). */
  witnesses: string[];
  /** How many of the witnesses must have cosigned (0 … witnesses.length). */
  witnessThreshold: number;
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
    ...(value.log !== undefined ? { log: pinnedLog(value.log, `${path}/log`) } : {}),
  };
}

function vkeyList(value: unknown, path: string, type: number, what: string): string[] {
  const list = value ?? [];
  if (!Array.isArray(list)) throw new InvalidInputError('TRUST_FILE_INVALID', `${path} must be an array`, path);
  return list.map((vkey, i) => {
    const at = `${path}/${i}`;
    let parsedType: number;
    try {
      parsedType = parseVerifierKey(String(vkey)).type;
    } catch (error) {
      throw new InvalidInputError('TRUST_FILE_INVALID', `${at}: ${(error as Error).message}`, at);
    }
    if (typeof vkey !== 'string' || parsedType !== type)
      throw new InvalidInputError('TRUST_FILE_INVALID', `${at} must be ${what}`, at);
    return vkey;
  });
}

function pinnedLog(value: unknown, path: string): PinnedLog {
  if (!isObject(value))
    throw new InvalidInputError('TRUST_FILE_INVALID', `${path} must be { keys, witnesses?, witnessThreshold? }`, path);
  const keys = vkeyList(value.keys, `${path}/keys`, SIGNATURE_TYPE_ED25519, 'a log verifier key (Ed25519, type 0x01)');
  if (keys.length === 0)
    throw new InvalidInputError('TRUST_FILE_INVALID', `${path}/keys must name at least one log key`, `${path}/keys`);
  const witnesses = vkeyList(
    value.witnesses,
    `${path}/witnesses`,
    SIGNATURE_TYPE_COSIGNATURE_V1,
    'a witness verifier key (cosignature, type 0x04)',
  );
  const threshold = value.witnessThreshold ?? (witnesses.length > 0 ? 1 : 0);
  if (!Number.isSafeInteger(threshold) || (threshold as number) < 0 || (threshold as number) > witnesses.length)
    throw new InvalidInputError(
      'TRUST_FILE_INVALID',
      `${path}/witnessThreshold must be a whole number from 0 to the number of witnesses (${witnesses.length})`,
      `${path}/witnessThreshold`,
    );
  return { keys, witnesses, witnessThreshold: threshold as number };
}

/**
 * The logs a trust file pins, in the shape `verify({ logs })` takes.
 *
 * @example
 *   await verify(jws, { resolver, logs: trustedLogs(readTrustFile('trust.json')), requireLog: true });
 */
export function trustedLogs(trust: TrustFile | undefined): TrustedLog[] {
  return (trust?.issuers ?? []).flatMap((p) => (p.log ? [{ issuer: p.did, ...p.log }] : []));
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
  if (value.version !== 1 && value.version !== 2)
    throw new InvalidInputError(
      'TRUST_FILE_INVALID',
      `trust file version ${JSON.stringify(value.version)} is not supported (1, 2)`,
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
  const issuers = list('issuers');
  if (value.version === 1 && issuers.some((p) => p.log))
    throw new InvalidInputError('TRUST_FILE_INVALID', 'issuers[].log needs trust file version 2', '/version');
  return {
    type: TRUST_FILE_TYPE,
    version: value.version,
    issuers,
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
  const version = issuers.some((p) => p.log) ? 2 : 1;
  return parseTrustFile({ type: TRUST_FILE_TYPE, version, issuers, roots, anchors });
}
