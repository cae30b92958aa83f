import type { StatusListResolver } from '../verify/status.js';
import type { Principal } from './auth.js';
import type { Tile } from '../log/index.js';
import type { UntpCreditsError } from '../errors.js';

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

/** The ledger commands, one per write route. */
export const LEDGER_COMMANDS = {
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
} as const;
export type LedgerCommand = keyof typeof LEDGER_COMMANDS;

/** A page of a list (cursor-paged). */
export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  next?: string;
}

/**
 * What the server needs from the ledger (src/registry). Each write resolves to the response body
 * (the server answers 201); refusals are UntpCreditsErrors whose code maps to the status
 * (conflicts → 409). Reads resolve to undefined when there is no such record.
 */
export interface LedgerPort {
  run(
    command: LedgerCommand,
    body: Record<string, unknown>,
    context: { principal: Principal; idempotencyKey?: string },
  ): Promise<Record<string, unknown>>;
  getIssuance(issuanceId: string): Promise<Record<string, unknown> | undefined>;
  /** A retirement record: includes `credential` (the enveloped retirement credential). */
  getRetirement(retirementId: string): Promise<Record<string, unknown> | undefined>;
  listRetirements(page: { cursor?: string; limit: number }): Promise<Page<Record<string, unknown>>>;
  lookupSerial(serial: string): Promise<Record<string, unknown> | undefined>;
  holdings(accountId: string): Promise<Record<string, unknown> | undefined>;
  events(page: { cursor?: string; limit: number }): Promise<Page<Record<string, unknown>>>;
  invariants(): Promise<Record<string, unknown>>;
  /** The transparency log: latest signed checkpoint, tiles, and why signing stopped (if it did). */
  logCheckpoint?(): Promise<string | undefined>;
  logTile?(tile: Tile): Promise<Uint8Array | undefined>;
  logRefusal?(): UntpCreditsError | undefined;
  /** A credential this registry issued, by its id (a URL under the public URL), enveloped. */
  getCredential(credentialId: string): Promise<Record<string, unknown> | undefined>;
}
