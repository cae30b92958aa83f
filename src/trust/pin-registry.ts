import { InvalidInputError } from '../errors.js';
import { didMethod, didOf, isDid } from '../keys/did.js';
import { jwkThumbprint, publicJwkOfMethod } from '../keys/jwk.js';
import type { DidDocument, VerificationMethod } from '../keys/types.js';
import { formatVerifierKey, keyId, parseVerifierKey, SIGNATURE_TYPE_ED25519 } from '../log/index.js';
import { parseTrustFile, TRUST_FILE_TYPE, type PinnedDid, type TrustFile } from './trust-file.js';

/** What `trust add` pins for one registry. */
export interface PinRegistryInput {
  /** The registry's DID document (its assertionMethod keys become the pinned issuer keys). */
  didDocument: DidDocument;
  /** The log key as a C2SP verifier key (GET /registry/log/vkey); else found in the DID document. */
  logVkey?: string;
  /** The log's origin when the log key comes from the DID document and is not at <host>/registry/log. */
  logOrigin?: string;
  /** Witness verifier keys (cosigners, type 0x04). */
  witnesses?: readonly string[];
  /** How many witnesses must have cosigned (default: 1 when witnesses are given, else 0). */
  witnessThreshold?: number;
  name?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function absolute(did: string, id: string): string {
  return id.startsWith('#') ? `${did}${id}` : id;
}

function methods(document: DidDocument): VerificationMethod[] {
  const embedded = [...(document.assertionMethod ?? []), ...(document.authentication ?? [])].filter(
    (m): m is VerificationMethod => isObject(m),
  );
  return [...(document.verificationMethod ?? []), ...embedded];
}

/** The default log origin of a did:web registry: `<host>[/<path>]/registry/log`. */
function defaultOrigin(did: string): string | undefined {
  if (didMethod(did) !== 'web') return undefined;
  const [host, ...path] = did.slice('did:web:'.length).split(':');
  return [decodeURIComponent(host ?? ''), ...path.map(decodeURIComponent), 'registry', 'log'].join('/');
}

/**
 * The log key named in a DID document: a verification method `#log-<8 hex key ID>` in no
 * verification relationship (it signs checkpoints, never credentials), as a C2SP verifier key
 * named after the log's origin. The key ID in its fragment must match the origin and key.
 */
export function logVkeyOfDidDocument(document: DidDocument, origin?: string): string | undefined {
  const did = document.id;
  const listed = new Set(
    [...(document.assertionMethod ?? []), ...(document.authentication ?? [])].map((m) =>
      absolute(did, typeof m === 'string' ? m : m.id),
    ),
  );
  const candidates = methods(document).filter(
    (m) => /#log-[0-9a-f]{8}$/.test(absolute(did, m.id)) && !listed.has(absolute(did, m.id)),
  );
  if (candidates.length === 0) return undefined;
  const name = origin ?? defaultOrigin(did);
  for (const method of candidates) {
    const jwk = (method.publicKeyJwk ?? {}) as { kty?: string; crv?: string; x?: string };
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') continue;
    const key = new Uint8Array(Buffer.from(jwk.x, 'base64url'));
    const hex = absolute(did, method.id).slice(-8);
    if (
      name !== undefined &&
      key.length === 32 &&
      keyId(name, SIGNATURE_TYPE_ED25519, key).toString(16).padStart(8, '0') === hex
    )
      return formatVerifierKey(name, key);
  }
  throw new InvalidInputError(
    'TRUST_FILE_INVALID',
    `the DID document names a log key, but not one of the log ${name ?? '(unknown origin)'}: give --log-origin, or --registry to read /registry/log/vkey`,
    '/log/keys',
  );
}

/**
 * Adds (or updates) a registry in a trust file: the thumbprints of its DID document's
 * assertionMethod keys, and its log — the log key from `logVkey` or the DID document, the
 * witnesses and their threshold. Other entries are kept. Pure: the CLI reads and writes the files.
 *
 * @example
 *   const trust = await pinRegistry(readTrustFile('trust.json'), { didDocument, logVkey, witnesses: [w], witnessThreshold: 1 });
 */
export async function pinRegistry(existing: TrustFile | undefined, input: PinRegistryInput): Promise<TrustFile> {
  const document = input.didDocument;
  if (!isObject(document) || !isDid(document.id) || didOf(document.id) !== document.id)
    throw new InvalidInputError('DID_DOCUMENT_INVALID', 'the DID document has no DID as its id', '/id');
  const did = document.id;
  const assertion = new Set(
    (document.assertionMethod ?? []).map((m) => absolute(did, typeof m === 'string' ? m : m.id)),
  );
  const keys: string[] = [];
  for (const method of methods(document)) {
    if (!assertion.has(absolute(did, method.id))) continue;
    const thumbprint = await jwkThumbprint(publicJwkOfMethod(method));
    if (!keys.includes(thumbprint)) keys.push(thumbprint);
  }
  if (keys.length === 0)
    throw new InvalidInputError(
      'DID_DOCUMENT_INVALID',
      `${did} lists no assertionMethod key to pin`,
      '/assertionMethod',
    );
  const fromDocument = logVkeyOfDidDocument(document, input.logOrigin);
  const logVkey = input.logVkey?.trim() ?? fromDocument;
  if (input.logVkey !== undefined && fromDocument !== undefined) {
    const a = parseVerifierKey(input.logVkey.trim());
    const b = parseVerifierKey(fromDocument);
    if (a.keyId !== b.keyId || a.name !== b.name)
      throw new InvalidInputError(
        'TRUST_FILE_INVALID',
        `the log key the registry serves (${input.logVkey.trim()}) is not the one its DID document names (${fromDocument})`,
        '/log/keys',
      );
  }
  const previous = existing?.issuers.find((p) => p.did === did);
  const witnesses = [...new Set([...(previous?.log?.witnesses ?? []), ...(input.witnesses ?? [])])];
  const threshold =
    input.witnessThreshold ?? previous?.log?.witnessThreshold ?? ((input.witnesses ?? []).length > 0 ? 1 : 0);
  const logKeys = [...new Set([...(previous?.log?.keys ?? []), ...(logVkey ? [logVkey] : [])])];
  const name = input.name ?? previous?.name;
  const entry: PinnedDid = {
    did,
    ...(name !== undefined ? { name } : {}),
    keys: [...new Set([...(previous?.keys ?? []), ...keys])],
    ...(previous?.didDocumentDigest ? { didDocumentDigest: previous.didDocumentDigest } : {}),
    ...(logKeys.length > 0 ? { log: { keys: logKeys, witnesses, witnessThreshold: threshold } } : {}),
  };
  if (logKeys.length === 0 && witnesses.length > 0)
    throw new InvalidInputError('TRUST_FILE_INVALID', `witnesses need a log key, and none is known for ${did}`, '/log');
  const issuers = [...(existing?.issuers ?? []).filter((p) => p.did !== did), entry];
  return parseTrustFile({
    type: TRUST_FILE_TYPE,
    version: issuers.some((p) => p.log) ? 2 : (existing?.version ?? 1),
    issuers,
    roots: existing?.roots ?? [],
    anchors: existing?.anchors ?? [],
  });
}
