import { UntpCreditsError } from '../errors.js';
import type { Queryable } from '../registry/db.js';
import { didWebForUrl, loadIdentity, newKey, type RegistryIdentity } from './identity.js';

/** Where the generic VC-API issuer lives under the registry's public URL: its DID document, its status lists. */
export const VC_API_PATH = '/vc-api';

/** The generic issuer's public URL: `<registry public URL>/vc-api` (its DID is the did:web of that URL). */
export function vcApiPublicUrl(registryPublicUrl: string): string {
  return `${registryPublicUrl.replace(/\/+$/, '')}${VC_API_PATH}`;
}

/**
 * The generic VC-API issuer's identity, created on first use beside the registry's: its own DID
 * (`did:web:<host>:vc-api`, served at /vc-api/did.json) and its own key, generated into the database
 * like the registry's. `POST /credentials/issue` signs with it; the registry DID signs only what the
 * ledger's commands make (credit credentials and the ledger's status lists). Concurrent first starts
 * agree (insert-if-absent, then re-read). Error: IDENTITY_MISMATCH when the stored one names another URL.
 *
 * @example
 *   const vcApi = await ensureVcApiIdentity(db, registryIdentity);
 *   vcApi.did; // did:web:registry.example.com:vc-api
 */
export async function ensureVcApiIdentity(db: Queryable, registry: RegistryIdentity): Promise<RegistryIdentity> {
  const publicUrl = vcApiPublicUrl(registry.publicUrl);
  const did = didWebForUrl(publicUrl);
  const existing = await loadIdentity(db, 'vc-api');
  if (!existing) {
    const key = await newKey(did, {});
    await db.query(
      "INSERT INTO server_identity (name, did, public_url, display_name, demo, keys) VALUES ('vc-api', $1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING",
      [did, publicUrl, `${registry.name} (VC-API issuer)`, registry.demo, JSON.stringify([key])],
    );
  }
  const stored = (await loadIdentity(db, 'vc-api')) as RegistryIdentity;
  if (stored.did !== did)
    throw new UntpCreditsError(
      'IDENTITY_MISMATCH',
      `this database's VC-API issuer is ${stored.did}, not ${did} (the registry's public URL changed?)`,
    );
  return stored;
}
