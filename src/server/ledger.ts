import { WitnessPusher, type WitnessConfig } from '../registry/log/witness-push.js';
import type { StoredCheckpoint } from '../registry/log/store.js';
import { RegistryService } from '../app/service.js';
import { UntpCreditsError } from '../errors.js';
import type { Database } from '../registry/db.js';
import { creditBuilders } from '../registry/credit-builders.js';
import { Registry } from '../registry/registry.js';
import { joseSecurer } from '../registry/signing.js';
import type { SecureCredential } from '../registry/types.js';
import type { RegistryIdentity } from './identity.js';
import { ensureLogKey, identityLogKey, identitySigner, loadIdentity } from './identity.js';
import type { StatusListsPort } from './ports.js';
import { DEMO_NOTICE } from './routes/vc-api.js';

/** Where the ledger's records live under the public URL: /registry/issuances/…, /registry/status/…, … */
export function ledgerBaseUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/registry`;
}

/**
 * Status lists from the ledger's store. Credit credentials are revoked by ledger commands
 * (cancellations, invalidations, amendments), so POST /credentials/status refuses to flip their bits
 * directly (409 STATUS_MANAGED_BY_LEDGER): a bit set by hand would disagree with the ledger.
 */
export function ledgerStatusLists(registry: Registry, baseUrl: string): StatusListsPort {
  return {
    getList: async (listId) =>
      /^\d{1,9}$/.test(listId)
        ? ((await registry.statusListCredential(`${baseUrl}/status/${listId}`)) as unknown as
            Record<string, unknown> | undefined)
        : undefined,
    update: async ({ credentialId }) => {
      const stored = await registry.credential(credentialId);
      if (!stored)
        throw new UntpCreditsError(
          'CREDENTIAL_NOT_FOUND',
          `this registry issued no credential ${credentialId} with a status entry`,
        );
      throw new UntpCreditsError(
        'STATUS_MANAGED_BY_LEDGER',
        `${credentialId} is a credit ${stored.kind} credential: revoke it through the ledger (POST /registry/cancellations, /registry/invalidations or /registry/retirement-amendments), which keeps the record and the status list in step`,
      );
    },
    resolver: registry.statusResolver(),
  };
}

/**
 * Opens the ledger over `db` signing as the registry identity (the current key, re-read so a
 * rotation by another process takes effect), with record URLs under `<publicUrl>/registry`.
 * Demo credentials carry the demo notice in `description`. `clock` (the server's injectable clock)
 * stamps events, `retiredAt` and `validFrom`; default the system clock.
 */
export async function openLedger(
  db: Database,
  identity: RegistryIdentity,
  options: {
    clock?: () => Date;
    maxIssuanceQuantity?: number;
    log?: boolean;
    witnesses?: readonly WitnessConfig[];
  } = {},
): Promise<{ registry: Registry; ledger: RegistryService; statusLists: StatusListsPort }> {
  const baseUrl = ledgerBaseUrl(identity.publicUrl);
  // A serving process runs the log's sequencer (one at a time across processes); short-lived
  // CLI verbs only write their entries to the outbox.
  let log = {};
  if (options.log) {
    const { signer } = identityLogKey(await ensureLogKey(db, identity));
    // Each new checkpoint goes to the configured witnesses; their cosignatures are served with it.
    const pusher = options.witnesses?.length ? new WitnessPusher(db, options.witnesses) : undefined;
    log = {
      log: {
        origin: signer.name,
        signer,
        ...(pusher ? { onCheckpointSigned: (c: StoredCheckpoint) => pusher.schedule(c) } : {}),
      },
    };
  }
  // The signing step runs inside the command's transaction, so it must not query: the current
  // identity (a key rotated by another process) is re-read before each command instead.
  let current = identity;
  const refresh = async () => {
    current = (await loadIdentity(db)) ?? current;
  };
  const secure: SecureCredential = async (credential) => {
    const marked = current.demo ? { ...credential, description: DEMO_NOTICE } : credential;
    return joseSecurer(await identitySigner(current, 'jose'))(marked);
  };
  const registry = await Registry.open({
    db,
    baseUrl,
    issuer: { id: identity.did, name: identity.name },
    secure,
    builders: creditBuilders,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.maxIssuanceQuantity !== undefined ? { maxIssuanceQuantity: options.maxIssuanceQuantity } : {}),
    ...log,
  });
  return {
    registry,
    ledger: new RegistryService(registry, refresh),
    statusLists: ledgerStatusLists(registry, baseUrl),
  };
}
