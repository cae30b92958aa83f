import { createDidResolver, type DidResolver } from '../keys/resolver.js';
import type { DidDocument, Signer } from '../keys/types.js';
import type { VerifyOptions } from '../verify/options.js';
import type { StatusListResolver } from '../verify/status.js';
import type { Queryable } from '../registry/db.js';
import { FailedAuthLimiter, type FailedAuthLimitOptions } from './failed-auth-limit.js';
import { IdempotencyLeases } from './idempotency-lease.js';
import { identityDidDocument, identitySigner, loadIdentity, type RegistryIdentity } from './identity.js';
import type { LedgerPort, StatusListsPort } from './ports.js';
import { ensureVcApiIdentity } from './vc-api-identity.js';
import { vcApiStatusLists, type VcApiStatusLists } from './vc-api-status.js';
import { createStatusResolver } from '../status/resolver.js';

/** Everything the routes use. Build it with `createServerContext`. */
export interface ServerContext {
  db: Queryable;
  /** The identity as loaded at start; `identity()` re-reads it (another process may have rotated the key). */
  identity(): Promise<RegistryIdentity>;
  didDocument(): Promise<DidDocument>;
  signer(use: 'jose' | 'data-integrity'): Promise<Signer>;
  /** The generic VC-API issuer (its own DID and keys): what POST /credentials/issue signs as. */
  vcApi(): Promise<RegistryIdentity>;
  vcApiDidDocument(): Promise<DidDocument>;
  vcApiSigner(use: 'jose' | 'data-integrity'): Promise<Signer>;
  /** The VC-API issuer's own Bitstring Status Lists (revocation and suspension). */
  vcApiStatus: VcApiStatusLists;
  /** Verification options for this registry: its own DID document locally, its status lists without HTTP. */
  verifyOptions(): Promise<VerifyOptions>;
  /** Bootstrap key holding every scope (UNTP_CREDITS_ADMIN_KEY). */
  adminKey: string | undefined;
  /** Failed authentications per client address; undefined when the limit is off. */
  failedAuth: FailedAuthLimiter | undefined;
  /** Which process runs which in-progress idempotent write (leases that outlive no crash). */
  idempotency: IdempotencyLeases;
  ledger: LedgerPort | undefined;
  statusLists: StatusListsPort | undefined;
  clock: () => Date;
}

export interface ServerContextOptions {
  db: Queryable;
  identity: RegistryIdentity;
  /** The generic VC-API issuer; made (or read) on first use when absent. */
  vcApi?: RegistryIdentity;
  adminKey?: string;
  /** Default 20 failed authentications per client address per minute, then 429; `false` turns it off. */
  failedAuthLimit?: FailedAuthLimitOptions | false;
  /**
   * How long an in-progress idempotent write stays its process's without renewal (default 15 000
   * ms): a retry after a crash waits at most this long before the write runs again.
   */
  idempotencyLeaseMs?: number;
  ledger?: LedgerPort;
  statusLists?: StatusListsPort;
  /** Other DID documents the verifier should know (offline). */
  didDocuments?: readonly unknown[];
  clock?: () => Date;
}

const IDENTITY_TTL_MS = 2000;

export function createServerContext(options: ServerContextOptions): ServerContext {
  let cached = { identity: options.identity, at: Date.now() };
  const identity = async (): Promise<RegistryIdentity> => {
    if (Date.now() - cached.at > IDENTITY_TTL_MS)
      cached = { identity: (await loadIdentity(options.db)) ?? cached.identity, at: Date.now() };
    return cached.identity;
  };
  const clock = options.clock ?? (() => new Date());
  let ownResolver: { identity: RegistryIdentity; vcApi: RegistryIdentity; resolver: DidResolver } | undefined;
  let vcApiCached = options.vcApi ? { identity: options.vcApi, at: Date.now() } : undefined;
  const vcApi = async (): Promise<RegistryIdentity> => {
    if (!vcApiCached)
      vcApiCached = { identity: await ensureVcApiIdentity(options.db, await identity()), at: Date.now() };
    else if (Date.now() - vcApiCached.at > IDENTITY_TTL_MS)
      vcApiCached = { identity: (await loadIdentity(options.db, 'vc-api')) ?? vcApiCached.identity, at: Date.now() };
    return vcApiCached.identity;
  };
  const vcApiStatus = vcApiStatusLists(options.db, vcApi, clock);
  // The ledger's lists and the VC-API issuer's, each from its own store (no HTTP); a credit
  // credential pointing at a list its issuer did not sign fails (STATUS_LIST_NOT_LEDGER).
  const ledgerResolver = options.statusLists?.resolver;
  const genericResolver = createStatusResolver(vcApiStatus.source);
  const statusResolver: StatusListResolver = {
    check: async (entry, credential) =>
      (await vcApiStatus.owns(entry)) || !ledgerResolver
        ? genericResolver.check(entry, credential)
        : ledgerResolver.check(entry, credential),
  };
  const context: ServerContext = {
    db: options.db,
    identity,
    didDocument: async () => identityDidDocument(await identity()),
    signer: async (use) => identitySigner(await identity(), use),
    vcApi,
    vcApiDidDocument: async () => identityDidDocument(await vcApi()),
    vcApiSigner: async (use) => identitySigner(await vcApi(), use),
    vcApiStatus,
    async verifyOptions(): Promise<VerifyOptions> {
      // Building the DID document (key thumbprints) per request cost ~6 % of a verify request;
      // the resolver is rebuilt whenever the identity is re-read (a rotated key shows up then).
      const current = await identity();
      const generic = await vcApi();
      if (ownResolver?.identity !== current || ownResolver.vcApi !== generic) {
        const own = await identityDidDocument(current);
        ownResolver = {
          identity: current,
          vcApi: generic,
          resolver: createDidResolver({
            documents: [...(options.didDocuments ?? []), own, await identityDidDocument(generic)],
          }),
        };
      }
      return { resolver: ownResolver.resolver, clock, status: statusResolver };
    },
    adminKey: options.adminKey,
    failedAuth: options.failedAuthLimit === false ? undefined : new FailedAuthLimiter(options.failedAuthLimit),
    idempotency: new IdempotencyLeases(options.db, options.idempotencyLeaseMs),
    ledger: options.ledger,
    statusLists: options.statusLists,
    clock,
  };
  return context;
}
