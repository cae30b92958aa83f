import { UntpCreditsError, isUntpCreditsError } from '../errors.js';
import { didMethod, didOf, isDid } from '../keys/did.js';
import { resolveDidKey } from '../keys/did-key.js';
import type { DidWebHttpsOptions } from '../keys/did-web-https.js';
import { jwkThumbprint, publicJwkOfMethod } from '../keys/jwk.js';
import { fetchCheckedDidWebDocument, httpsOptionsOf, LocalDidStore, type DidResolver } from '../keys/resolver.js';
import type { DidDocument, VerificationMethod } from '../keys/types.js';
import { didDocumentDigest, type TrustFile } from './trust-file.js';

/** Where a DID document came from. */
export type DocumentSource = 'local' | 'network' | 'bundle' | 'did:key';
/**
 * Where trust in a key came from: `pinned` (the trust file names its thumbprint or its DID
 * document's digest), `anchored` (a pinned root's Digital Identity Anchor names it), or else only
 * where its DID document was found: `local` (given by the verifier), `network` (did:web over
 * HTTPS), `bundle` (merely carried in the bundle) or `did:key` (the key is the DID).
 */
export type KeySource = 'pinned' | 'anchored' | DocumentSource;

/** A DID resolver that remembers where each document came from. */
export interface TrackedResolver extends DidResolver {
  sourceOf(did: string): { document: DidDocument; source: DocumentSource } | undefined;
}

export interface TrackedResolverOptions {
  /** Documents the verifier gave (--did-doc, --did-dir). */
  local?: LocalDidStore;
  /** Documents carried in a bundle: used last, trusted least. */
  bundle?: readonly unknown[];
  /** Resolve did:web over HTTPS when the verifier allows it (tried before the bundle's copy). */
  https?: boolean | DidWebHttpsOptions;
}

/**
 * The bundle verifier's resolver: the verifier's own documents first, then did:web over HTTPS (only
 * when allowed), then documents carried in the bundle, and did:key built in. Each resolution is
 * recorded so the report can say where every key came from.
 *
 * @example
 *   const resolver = createTrackedResolver({ bundle: bundle.didDocuments });
 *   await verify(jws, { resolver }); resolver.sourceOf('did:web:registry.example')?.source; // 'bundle'
 */
export function createTrackedResolver(options: TrackedResolverOptions = {}): TrackedResolver {
  const local = options.local ?? new LocalDidStore();
  const bundled = new LocalDidStore();
  for (const document of options.bundle ?? []) {
    try {
      bundled.add(document);
    } catch {
      // A malformed carried document is reported by the bundle's own checks; it just resolves nothing.
    }
  }
  const https = httpsOptionsOf(options.https);
  const seen = new Map<string, { document: DidDocument; source: DocumentSource }>();
  const record = (did: string, document: DidDocument, source: DocumentSource) => {
    seen.set(did, { document, source });
    return document;
  };
  return {
    sourceOf: (did) => seen.get(did),
    async resolve(did: string): Promise<DidDocument> {
      if (!isDid(did) || didOf(did) !== did) throw new UntpCreditsError('DID_INVALID', `${did} is not a DID`);
      const known = seen.get(did);
      if (known) return known.document;
      const own = local.get(did);
      if (own) return record(did, own, 'local');
      const method = didMethod(did);
      if (method === 'key') return record(did, resolveDidKey(did), 'did:key');
      let networkError: unknown;
      if (method === 'web' && https) {
        try {
          return record(did, await fetchCheckedDidWebDocument(did, https), 'network');
        } catch (error) {
          networkError = error;
        }
      }
      const carried = bundled.get(did);
      if (carried) return record(did, carried, 'bundle');
      if (networkError)
        throw isUntpCreditsError(networkError)
          ? networkError
          : new UntpCreditsError('DID_RESOLUTION_FAILED', `${did}: ${(networkError as Error).message}`);
      throw new UntpCreditsError(
        'DID_NOT_FOUND',
        `no DID document for ${did}: not given locally, not in the bundle${method === 'web' && !https ? ', and network resolution is off' : ''}`,
        { details: { did } },
      );
    },
  };
}

/** A Digital Identity Anchor that checked out: a pinned root vouches that `issuer` is a registered entity. */
export interface VouchingAnchor {
  anchorId: string;
  root: string;
  issuer: string;
  registeredName?: string;
  registeredId?: string;
  /** Key thumbprints the anchor names (RFC 9278 URIs in registrationScope). */
  keys: string[];
}

/** How far a key used in verification is trusted, and why. */
export interface KeyTrust {
  did: string;
  keyId: string;
  thumbprint: string | null;
  /** What the key signed in this verification (manifest, retirement, issuance …, status list …). */
  usedFor: string[];
  documentSource: DocumentSource | null;
  source: KeySource | null;
  trusted: boolean;
  /** Anchors vouching for the key's DID (identity), by id. */
  anchors: string[];
  /** The trust file pins this DID, but to other keys: a contradiction, never a mere warning. */
  pinnedMismatch: boolean;
  message: string;
}

function methodOf(document: DidDocument, keyId: string): VerificationMethod | undefined {
  const did = didOf(keyId);
  const absolute = (id: string) => (id.startsWith('#') ? `${did}${id}` : id);
  const embedded = [...(document.assertionMethod ?? []), ...(document.authentication ?? [])].filter(
    (m): m is VerificationMethod => typeof m === 'object' && m !== null,
  );
  return [...(document.verificationMethod ?? []), ...embedded].find((m) => absolute(m.id) === keyId);
}

/**
 * Classifies each key that signed something in a verification. A key is trusted when it is pinned,
 * named by a valid anchor of a pinned root, or found in a document the verifier gave or resolved
 * over the network; a key merely carried in a bundle (or a bare did:key) is not.
 *
 * @example
 *   const keys = await assessKeys([{ keyId, usedFor: 'retirement' }], resolver, trust, anchors);
 *   keys.filter((k) => !k.trusted); // → UNTRUSTED_KEY
 */
export async function assessKeys(
  uses: readonly { keyId: string; usedFor: string }[],
  resolver: TrackedResolver,
  trust: TrustFile | undefined,
  anchors: readonly VouchingAnchor[] = [],
): Promise<KeyTrust[]> {
  const byKey = new Map<string, string[]>();
  for (const use of uses) byKey.set(use.keyId, [...(byKey.get(use.keyId) ?? []), use.usedFor]);
  const out: KeyTrust[] = [];
  for (const [keyId, usedFor] of byKey) {
    const did = didOf(keyId);
    const found = resolver.sourceOf(did);
    const method = found && methodOf(found.document, keyId);
    let thumbprint: string | null = null;
    try {
      thumbprint = method ? await jwkThumbprint(publicJwkOfMethod(method)) : null;
    } catch {
      thumbprint = null;
    }
    const pins = [...(trust?.issuers ?? []), ...(trust?.roots ?? [])].filter((p) => p.did === did);
    const docDigest = found ? didDocumentDigest(found.document) : undefined;
    const pinnedByKey = thumbprint !== null && pins.some((p) => p.keys.includes(thumbprint as string));
    const pinnedByDoc = docDigest !== undefined && pins.some((p) => p.didDocumentDigest === docDigest);
    const vouching = anchors.filter((a) => a.issuer === did);
    const anchoredKey = thumbprint !== null && vouching.some((a) => a.keys.includes(thumbprint as string));
    const documentSource = found?.source ?? null;
    let source: KeySource | null = documentSource;
    let trusted = documentSource === 'local' || documentSource === 'network';
    let message: string;
    const pinnedMismatch = pins.length > 0 && !pinnedByKey && !pinnedByDoc;
    if (pinnedByKey || pinnedByDoc) {
      source = 'pinned';
      trusted = true;
      message = pinnedByKey
        ? `key ${thumbprint} is pinned for ${did}`
        : `the DID document of ${did} matches the pinned digest`;
    } else if (pinnedMismatch) {
      trusted = false;
      message = `the trust file pins ${did} to ${pins.flatMap((p) => p.keys).join(', ') || 'another DID document'}, not to key ${thumbprint ?? keyId} (from a ${documentSource ?? 'unresolved'} DID document)`;
    } else if (anchoredKey) {
      source = 'anchored';
      trusted = true;
      message = `key ${thumbprint} of ${did} is vouched for by anchor ${vouching
        .filter((a) => a.keys.includes(thumbprint as string))
        .map((a) => `${a.anchorId} (root ${a.root})`)
        .join(', ')}`;
    } else if (trusted) {
      message = `key ${thumbprint} of ${did} comes from a DID document ${documentSource === 'local' ? 'the verifier gave' : 'resolved over the network'} (not pinned)`;
    } else {
      message =
        documentSource === null
          ? `the DID document of ${did} could not be resolved`
          : `key ${thumbprint ?? keyId} of ${did} is only ${documentSource === 'bundle' ? 'carried in the bundle' : 'self-asserted (did:key)'}: not pinned, not anchored`;
    }
    out.push({
      did,
      keyId,
      thumbprint,
      usedFor,
      documentSource,
      source,
      trusted,
      anchors: vouching.map((a) => a.anchorId),
      pinnedMismatch,
      message,
    });
  }
  return out;
}
