import type { LedgerCommand } from '../app/schemas.js';
import type { Page, RegistryService } from '../app/service.js';
import type { StatusListResolver } from '../verify/status.js';

/**
 * What the server needs from the status-list service (src/status). The server owns the HTTP shape;
 * the service owns the bits.
 */
export interface StatusListsPort {
  /** The signed BitstringStatusListCredential (enveloped) for a list id, or undefined. */
  getList(listId: string): Promise<Record<string, unknown> | undefined>;
  /**
   * Sets one credential's status. `status` true sets the bit (revoked / suspended), false clears it
   * (only suspension can be cleared). Errors: CREDENTIAL_NOT_FOUND, STATUS_PURPOSE_UNSUPPORTED, STATUS_IRREVERSIBLE.
   */
  update(request: { credentialId: string; statusPurpose: string; status: boolean }): Promise<Record<string, unknown>>;
  /**
   * A `credentialStatus` entry for a new credential (POST /credentials/issue), when the service
   * allocates them; `listUrl` is the public URL prefix of the lists.
   */
  allocate?(credentialId: string, statusPurpose: 'revocation' | 'suspension'): Promise<Record<string, unknown>>;
  /** Checks this registry's own entries without HTTP (verification on the server). */
  resolver: StatusListResolver;
}

/** The write route of each ledger command. */
export const LEDGER_COMMANDS: Record<LedgerCommand, string> = {
  openAccount: '/registry/accounts',
  issue: '/registry/issuances',
  transfer: '/registry/transfers',
  retire: '/registry/retirements',
  amend: '/registry/retirement-amendments',
  suspend: '/registry/suspensions',
  unsuspend: '/registry/unsuspensions',
  cancel: '/registry/cancellations',
  invalidate: '/registry/invalidations',
  correct: '/registry/corrections',
  allocate: '/registry/allocations',
};
export type { LedgerCommand, Page };

/**
 * What the server needs from the ledger: the application layer (src/app), whose methods the CLI
 * calls too. Each write resolves to the response body (the server answers 201); refusals are
 * UntpCreditsErrors whose code maps to the status (conflicts → 409). Reads resolve to undefined
 * when there is no such record.
 */
export type LedgerPort = Pick<
  RegistryService,
  | 'run'
  | 'getIssuance'
  | 'getRetirement'
  | 'listRetirements'
  | 'searchRetirements'
  | 'searchIssuances'
  | 'lookupSerial'
  | 'holdings'
  | 'events'
  | 'invariants'
  | 'getCredential'
  | 'logCheckpoint'
  | 'logTile'
  | 'logRefusal'
  | 'storeDisclosureRelease'
  | 'disclosureReleases'
> &
  Partial<Pick<RegistryService, 'logNow'>>;
