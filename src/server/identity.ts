import { InvalidInputError, UntpCreditsError } from '../errors.js';
import { addKeyToDidDocument, createDidDocument, keyMethodIds, revokeKeyInDidDocument } from '../keys/did-document.js';
import { didWebUrl, isDid } from '../keys/did.js';
import { generateKeyPair } from '../keys/generate.js';
import { readPrivateKeyFile } from '../keys/key-file.js';
import { publicJwkOf } from '../keys/jwk.js';
import { createLocalSigner } from '../keys/signer.js';
import type { DidDocument, PrivateJwk, PublicJwk, Signer, SignatureAlgorithm } from '../keys/types.js';
import type { Queryable } from '../registry/db.js';
import {
  SIGNATURE_TYPE_ED25519,
  ed25519NoteSigner,
  formatVerifierKey,
  keyId,
  logOrigin,
  type NoteSigner,
} from '../log/index.js';

/** One signing key of the registry. `keyRef` says where the private key lives: `db` (in `privateJwk`) or `file:<path>`. */
export interface StoredKey {
  kid: string;
  publicJwk: PublicJwk;
  keyRef: string;
  privateJwk?: PrivateJwk;
  active: boolean;
  revoked: boolean;
  createdAt: string;
}

/** The registry as issuer: created once, stored in the database, shared by every server process. */
export interface RegistryIdentity {
  did: string;
  /** Where the registry is reachable, without a trailing slash (credential ids and status lists live under it). */
  publicUrl: string;
  name: string;
  /** A demo issuer on localhost: every page and credential says so. */
  demo: boolean;
  keys: StoredKey[];
  /** The transparency log's own Ed25519 key (never an assertion or authentication key of the DID). */
  logKey?: StoredLogKey;
}

/** The log key: signs checkpoints only; `privateJwk` holds it when it lives in the database. */
export interface StoredLogKey {
  publicJwk: PublicJwk;
  privateJwk?: PrivateJwk;
  createdAt: string;
}

/**
 * The did:web of a public URL (did:web spec §3.2): https://reg.example.com → did:web:reg.example.com;
 * http://localhost:8080 → did:web:localhost%3A8080; https://example.com/reg → did:web:example.com:reg.
 */
export function didWebForUrl(publicUrl: string): string {
  const url = new URL(publicUrl);
  const host = url.port ? `${url.hostname}%3A${url.port}` : url.hostname;
  const path = url.pathname
    .split('/')
    .filter(Boolean)
    .map((s) => encodeURIComponent(decodeURIComponent(s)));
  return ['did:web', host, ...path].join(':');
}

/** The public URL a did:web names (https, or http for localhost in demo mode). */
export function publicUrlForDid(did: string): string {
  const url = didWebUrl(did);
  const base =
    url.pathname === '/.well-known/did.json' ? url.origin : `${url.origin}${url.pathname.replace(/\/did\.json$/, '')}`;
  return url.hostname === 'localhost' || url.hostname === '127.0.0.1' ? base.replace(/^https:/, 'http:') : base;
}

/** The path the DID document is served at, relative to the server root. */
export function didDocumentPath(did: string): string {
  return didWebUrl(did).pathname;
}

export interface EnsureIdentityOptions {
  publicUrl?: string;
  issuerDid?: string;
  name?: string;
  demo?: boolean;
  /** A private JWK file to sign with instead of a key generated into the database. */
  keyFile?: string;
  algorithm?: SignatureAlgorithm;
}

interface IdentityRow {
  did: string;
  public_url: string;
  display_name: string;
  demo: boolean;
  keys: StoredKey[] | string;
  log_key: StoredLogKey | string | null;
}

function fromRow(row: IdentityRow): RegistryIdentity {
  const keys = typeof row.keys === 'string' ? (JSON.parse(row.keys) as StoredKey[]) : row.keys;
  const logKey = typeof row.log_key === 'string' ? (JSON.parse(row.log_key) as StoredLogKey) : row.log_key;
  return {
    did: row.did,
    publicUrl: row.public_url,
    name: row.display_name,
    demo: row.demo,
    keys,
    ...(logKey ? { logKey } : {}),
  };
}

function newLogKey(): StoredLogKey {
  const pair = generateKeyPair('EdDSA');
  return { publicJwk: pair.publicJwk, privateJwk: pair.privateJwk, createdAt: new Date().toISOString() };
}

/**
 * The identity with its log key, generating one for an identity made before the log existed
 * (concurrent starts agree: set only while absent, then re-read).
 */
export async function ensureLogKey(db: Queryable, identity: RegistryIdentity): Promise<RegistryIdentity> {
  if (identity.logKey) return identity;
  await db.query("UPDATE server_identity SET log_key = $1 WHERE name = 'registry' AND log_key IS NULL", [
    JSON.stringify(newLogKey()),
  ]);
  return (await loadIdentity(db)) ?? identity;
}

/**
 * The stored identity, or undefined before `untp-credits init` / the first start. `name` 'vc-api'
 * reads the generic VC-API issuer's identity instead (src/server/vc-api-identity.ts).
 */
export async function loadIdentity(
  db: Queryable,
  name: 'registry' | 'vc-api' = 'registry',
): Promise<RegistryIdentity | undefined> {
  const { rows } = await db.query<IdentityRow>(
    'SELECT did, public_url, display_name, demo, keys, log_key FROM server_identity WHERE name = $1',
    [name],
  );
  return rows[0] ? fromRow(rows[0]) : undefined;
}

export async function newKey(
  did: string,
  options: Pick<EnsureIdentityOptions, 'keyFile' | 'algorithm'>,
): Promise<StoredKey> {
  if (options.keyFile) {
    const privateJwk = readPrivateKeyFile(options.keyFile);
    const publicJwk = publicJwkOf(privateJwk);
    const ids = await keyMethodIds(did, publicJwk);
    if (privateJwk.kid !== ids.jose)
      throw new InvalidInputError(
        'KEY_INVALID',
        `${options.keyFile}: kid ${String(privateJwk.kid)} is not ${ids.jose}`,
      );
    return {
      kid: ids.jose,
      publicJwk,
      keyRef: `file:${options.keyFile}`,
      active: true,
      revoked: false,
      createdAt: new Date().toISOString(),
    };
  }
  const pair = generateKeyPair(options.algorithm ?? 'EdDSA');
  const ids = await keyMethodIds(did, pair.publicJwk);
  return {
    kid: ids.jose,
    publicJwk: pair.publicJwk,
    keyRef: 'db',
    privateJwk: { ...pair.privateJwk, kid: ids.jose },
    active: true,
    revoked: false,
    createdAt: new Date().toISOString(),
  };
}

/**
 * Loads the registry identity, creating it on first use. Outside demo mode the public URL (or
 * issuer DID) is required and must match what is stored: credential ids, status-list URLs and the DID
 * are permanent once signed. Concurrent first starts agree (insert-if-absent, then re-read).
 * Errors: PUBLIC_URL_REQUIRED, IDENTITY_MISMATCH.
 *
 * @example
 *   const identity = await ensureIdentity(db, { publicUrl: 'https://registry.example.com' });
 *   identity.did; // did:web:registry.example.com
 */
export async function ensureIdentity(db: Queryable, options: EnsureIdentityOptions): Promise<RegistryIdentity> {
  const demo = options.demo ?? false;
  let did = options.issuerDid;
  let publicUrl = options.publicUrl?.replace(/\/+$/, '');
  if (did && !isDid(did)) throw new InvalidInputError('DID_INVALID', `ISSUER_DID ${String(did)} is not a DID`);
  if (!did && !publicUrl) {
    const existing = await loadIdentity(db);
    if (existing && !demo) return existing;
    throw new UntpCreditsError(
      'PUBLIC_URL_REQUIRED',
      'set PUBLIC_URL (or ISSUER_DID): credential ids, status-list URLs and the DID are permanent once signed; use --demo to try the server on localhost',
    );
  }
  if (publicUrl) {
    let parsed: URL;
    try {
      parsed = new URL(publicUrl);
    } catch {
      throw new InvalidInputError('PUBLIC_URL_INVALID', `PUBLIC_URL ${publicUrl} is not a URL`);
    }
    if (parsed.protocol !== 'https:' && !demo)
      throw new InvalidInputError(
        'PUBLIC_URL_INVALID',
        `PUBLIC_URL must be https (did:web is resolved over HTTPS), not ${publicUrl}`,
      );
  }
  did ??= didWebForUrl(publicUrl as string);
  publicUrl ??= publicUrlForDid(did);
  const name = options.name ?? (demo ? 'DEMO registry (not a real issuer)' : new URL(publicUrl).hostname);

  const existing = await loadIdentity(db);
  if (existing) {
    if (existing.did === did && existing.publicUrl === publicUrl) return existing;
    // A demo's did:web names its port: signing on under another port would strand every credential
    // it already made (they would no longer verify against its own DID document).
    if (existing.demo && demo) {
      const port = new URL(existing.publicUrl).port;
      throw new UntpCreditsError(
        'IDENTITY_MISMATCH',
        `this database holds the demo registry ${existing.did}, made at ${existing.publicUrl}; its credentials name that port, so it cannot serve as ${publicUrl}: start it on port ${port} again (--port ${port}), or start a new demo in another data directory (--data-dir DIR), or delete this one to start over (it holds demo data only)`,
      );
    }
    throw new UntpCreditsError(
      'IDENTITY_MISMATCH',
      `this database already belongs to ${existing.did} at ${existing.publicUrl}${existing.demo ? ' (demo)' : ''}; it cannot sign as ${did} at ${publicUrl}`,
    );
  }
  const key = await newKey(did, options);
  await db.query(
    "INSERT INTO server_identity (name, did, public_url, display_name, demo, keys, log_key) VALUES ('registry', $1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING",
    [did, publicUrl, name, demo, JSON.stringify([key]), JSON.stringify(newLogKey())],
  );
  const stored = (await loadIdentity(db)) as RegistryIdentity;
  if (stored.did !== did)
    throw new UntpCreditsError('IDENTITY_MISMATCH', `another process created the identity ${stored.did} first`);
  return stored;
}

/**
 * Key rotation: a new active key; old keys stay in the DID document so everything they signed
 * still verifies.
 */
export async function rotateSigningKey(
  db: Queryable,
  options: { keyFile?: string; algorithm?: SignatureAlgorithm } = {},
): Promise<RegistryIdentity> {
  const identity = await loadIdentity(db);
  if (!identity) throw new UntpCreditsError('IDENTITY_MISSING', 'no registry identity yet: run untp-credits init');
  const key = await newKey(identity.did, options);
  const keys = [...identity.keys.map((k) => ({ ...k, active: false })), key];
  await db.query("UPDATE server_identity SET keys = $1, updated_at = now() WHERE name = 'registry'", [
    JSON.stringify(keys),
  ]);
  return { ...identity, keys };
}

/** The key signing now. */
export function activeKey(identity: RegistryIdentity): StoredKey {
  const key = identity.keys.find((k) => k.active && !k.revoked);
  if (!key) throw new UntpCreditsError('SIGNING_KEY_UNAVAILABLE', `${identity.did} has no active signing key`);
  return key;
}

/** A Signer for the active key: JOSE uses the JsonWebKey method, Data Integrity the Multikey method. */
export async function identitySigner(
  identity: RegistryIdentity,
  use: 'jose' | 'data-integrity' = 'jose',
): Promise<Signer> {
  const key = activeKey(identity);
  const privateJwk =
    key.keyRef === 'db'
      ? key.privateJwk
      : key.keyRef.startsWith('file:')
        ? readPrivateKeyFile(key.keyRef.slice(5))
        : undefined;
  if (!privateJwk)
    throw new UntpCreditsError('SIGNING_KEY_UNAVAILABLE', `key reference ${key.keyRef} cannot be used by this server`);
  const ids = await keyMethodIds(identity.did, key.publicJwk);
  return createLocalSigner(privateJwk, use === 'jose' ? ids.jose : ids.dataIntegrity);
}

/** The origin of the registry's transparency log: its URL prefix without scheme (host/…/registry/log). */
export function identityLogOrigin(identity: RegistryIdentity): string {
  return logOrigin(`${identity.publicUrl.replace(/\/+$/, '')}/registry/log`);
}

/** The log's note signer and its verifier key (C2SP vkey), for an identity that has a log key. */
export function identityLogKey(identity: RegistryIdentity): { signer: NoteSigner; vkey: string; methodId: string } {
  const key = identity.logKey;
  if (!key?.privateJwk?.d)
    throw new UntpCreditsError('LOG_KEY_UNAVAILABLE', `${identity.did} has no log key this server can sign with`);
  const origin = identityLogOrigin(identity);
  const signer = ed25519NoteSigner(origin, new Uint8Array(Buffer.from(key.privateJwk.d, 'base64url')));
  return { signer, vkey: formatVerifierKey(origin, signer.publicKey), methodId: logKeyMethodId(identity) };
}

/** The log key's verification method id in the DID document: `#log-<its note key ID>`. */
function logKeyMethodId(identity: RegistryIdentity): string {
  const x = (identity.logKey?.publicJwk as { x?: string } | undefined)?.x ?? '';
  const id = keyId(identityLogOrigin(identity), SIGNATURE_TYPE_ED25519, new Uint8Array(Buffer.from(x, 'base64url')));
  return `${identity.did}#log-${id.toString(16).padStart(8, '0')}`;
}

/** The log's verifier key (C2SP vkey) from the public key alone. */
export function identityLogVkey(identity: RegistryIdentity): string | undefined {
  const x = (identity.logKey?.publicJwk as { x?: string } | undefined)?.x;
  return x ? formatVerifierKey(identityLogOrigin(identity), new Uint8Array(Buffer.from(x, 'base64url'))) : undefined;
}

/**
 * The DID document: every key listed (rotation), revoked keys out of assertionMethod/authentication.
 * The log key is listed as a verification method of its own, in no verification relationship: it
 * signs checkpoints of the log, never credentials.
 */
export async function identityDidDocument(identity: RegistryIdentity): Promise<DidDocument> {
  let document = await createDidDocument(identity.did, []);
  for (const key of identity.keys) document = await addKeyToDidDocument(document, key.publicJwk);
  for (const key of identity.keys.filter((k) => k.revoked)) document = await revokeKeyInDidDocument(document, key.kid);
  if (identity.logKey) {
    const { kty, crv, x } = identity.logKey.publicJwk as { kty: string; crv: string; x: string };
    const id = logKeyMethodId(identity);
    document = {
      ...document,
      verificationMethod: [
        ...(document.verificationMethod ?? []),
        { id, type: 'JsonWebKey', controller: identity.did, publicKeyJwk: { kty, crv, x } },
      ],
    } as DidDocument;
  }
  // The registry's UNTP identity resolver (a DID service, as the UNTP IDR specification describes;
  // its type is the spec's untp:idr, as a full IRI; the endpoint is the resolver root, where
  // /id/<kind>/<id> answers an RFC 9264 linkset).
  const root = identity.publicUrl.replace(/\/+$/, '');
  return {
    ...document,
    service: [
      {
        id: `${identity.did}#untp-idr`,
        type: 'https://test.uncefact.org/vocabulary/linkTypes/idr',
        serviceEndpoint: `${root}/id/`,
      },
    ],
  } as DidDocument;
}
