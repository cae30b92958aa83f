import { randomUUID } from 'node:crypto';
import { sumQuantities } from '../credits/serial-block.js';
import { UntpCreditsError } from '../errors.js';
import type { InvariantReport } from '../registry/invariants.js';
import type { SerialLookup } from '../registry/lookup.js';
import type { AccountRecord, IssuanceRecord, RetirementRecord } from '../registry/records.js';
import type { Registry } from '../registry/registry.js';
import type { EventRecord, LedgerBlock } from '../registry/types.js';
import type { EnvelopedCredential } from '../secure/jose/sign.js';
import type { LogInclusion } from '../registry/log/store.js';
import type { StoredDisclosureRelease } from '../registry/disclosures.js';
import type { Tile } from '../log/index.js';
import { executeCommand, type CommandResults } from './commands.js';
import type { LedgerCommand } from './schemas.js';
import type { IssuanceQuery, RetirementQuery } from '../registry/search.js';

/** A page of a list (cursor-paged). */
export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  next?: string;
}

/** An account's holdings: its holder, totals per state, and the blocks. */
export type HoldingsRecord = AccountRecord & { totals: Record<string, number>; blocks: LedgerBlock[] };

/** Who asks: the API key (or the CLI) a command's idempotency key is scoped to. */
export interface Caller {
  keyId: string;
}

/**
 * The registry's application layer: every command and read of the registry API, over one
 * `Registry`. The HTTP routes and the CLI (database mode) call these same methods; refusals are
 * UntpCreditsErrors whose code the transport maps (problem+json status, exit code). Reads resolve to
 * undefined when there is no such record.
 *
 * @example
 *   const service = new RegistryService(registry);
 *   await service.run('transfer', { from: 'ACC-CD-0001', to: 'ACC-DE-0042', quantity: 40 }, { principal: { keyId: 'cli' } });
 */
export class RegistryService {
  /** `beforeCommand` runs outside the command's transaction (PGlite has one connection: nothing may query from inside). */
  constructor(
    readonly registry: Registry,
    private readonly beforeCommand: () => Promise<void> = async () => undefined,
  ) {}

  /** Runs a command from its request body, idempotent by `idempotencyKey` per caller (a fresh key without one). */
  async run<C extends LedgerCommand>(
    command: C,
    body: unknown,
    context: { principal: Caller; idempotencyKey?: string },
  ): Promise<CommandResults[C]> {
    // The ledger wants a key for every command; scoped by API key so two clients never share one.
    const key = context.idempotencyKey
      ? `${context.principal.keyId}:${context.idempotencyKey}`
      : `auto:${randomUUID()}`;
    await this.beforeCommand();
    return executeCommand(this.registry, command, body, key);
  }

  /** Stores a signed disclosure release of a retirement's withheld field (the first per field stays). */
  storeDisclosureRelease(release: StoredDisclosureRelease): Promise<StoredDisclosureRelease> {
    return this.registry.storeDisclosureRelease(release);
  }
  /** A retirement's stored disclosure releases (compact JWS), oldest first. */
  disclosureReleases(retirementId: string): Promise<string[]> {
    return this.registry.disclosureReleases(retirementId);
  }

  /** An issuance record, with `log: { index, treeSize, proof, checkpoint }` once its event is logged. */
  async getIssuance(issuanceId: string): Promise<(IssuanceRecord & { log?: LogInclusion }) | undefined> {
    const record = await this.registry.issuance(issuanceId);
    return record ? { ...record, ...(await this.logOf(record.credentialId)) } : undefined;
  }

  /** A retirement record: includes `credential` (the enveloped retirement credential) and, once logged, `log`. */
  async getRetirement(retirementId: string): Promise<(RetirementRecord & { log?: LogInclusion }) | undefined> {
    const record = await this.registry.retirement(retirementId);
    return record ? { ...record, ...(await this.logOf(record.credentialId)) } : undefined;
  }

  private async logOf(credentialId: string): Promise<{ log?: LogInclusion }> {
    const log = await this.registry.logInclusion(credentialId);
    return log ? { log } : {};
  }

  /** The latest signed checkpoint (note text); undefined before the first. */
  async logCheckpoint(): Promise<string | undefined> {
    return (await this.registry.logCheckpoint())?.note;
  }

  /** A tile of the log as of its latest checkpoint. */
  logTile(tile: Tile): Promise<Uint8Array | undefined> {
    return this.registry.logTile(tile);
  }

  /**
   * Logs every committed entry now, when this process runs the sequencer (a bundle asked for right
   * after a write then carries its proof); otherwise the sequencer that runs will, within seconds.
   */
  async logNow(): Promise<void> {
    await this.registry.sequenceLog();
  }

  /** Why this process's sequencer stopped signing, if it did. */
  logRefusal(): UntpCreditsError | undefined {
    return this.registry.logStatus().refused;
  }

  /** Retirements, newest first; the cursor is the creating event of the last one shown. */
  async listRetirements(page: { cursor?: string; limit: number }): Promise<Page<RetirementRecord>> {
    const before = page.cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(page.cursor);
    if (!Number.isSafeInteger(before))
      throw new UntpCreditsError('REQUEST_INVALID', 'cursor is not one this server gave', { path: 'cursor' });
    const rows = await this.registry.retirements(before, page.limit + 1);
    const items = rows.slice(0, page.limit).map((row) => row.record);
    const last = rows[page.limit - 1];
    return rows.length > page.limit && last ? { items, next: String(last.createdEvent) } : { items };
  }

  /**
   * Public search of retirements (src/registry/search.ts) from query-string values: every value is
   * a string; unknown names are refused (REQUEST_INVALID naming the parameter). Newest first.
   */
  async searchRetirements(
    params: Record<string, unknown>,
    page: { cursor?: string; limit: number },
  ): Promise<Page<RetirementRecord>> {
    const query = searchQuery<RetirementQuery>(params, RETIREMENT_FILTERS, ['beneficiaryNamePrefix']);
    const result = await this.registry.searchRetirements(query, pageBefore(page));
    return result.next === undefined ? { items: result.items } : { items: result.items, next: String(result.next) };
  }

  /** Public search of issuances by site, producer, standard, vintage, commodity and state. Newest first. */
  async searchIssuances(
    params: Record<string, unknown>,
    page: { cursor?: string; limit: number },
  ): Promise<Page<IssuanceRecord>> {
    const query = searchQuery<IssuanceQuery>(params, ISSUANCE_FILTERS, []);
    const result = await this.registry.searchIssuances(query, pageBefore(page));
    return result.next === undefined ? { items: result.items } : { items: result.items, next: String(result.next) };
  }

  /** Everything about one serial, written `<prefix>-<n>` or `<prefix>:<n>` (the prefix may contain dashes). */
  async lookupSerial(serial: string): Promise<SerialLookup | undefined> {
    const match = /^(.+)[-:](\d{1,16})$/.exec(serial);
    if (!match)
      throw new UntpCreditsError('REQUEST_INVALID', 'a serial is <prefix>-<number>, e.g. RCC-CD-LU-2026Q1-57', {
        path: 'serial',
      });
    return this.registry.lookupSerial(match[1] as string, Number(match[2]));
  }

  async holdings(accountId: string): Promise<HoldingsRecord | undefined> {
    const account = await this.registry.account(accountId);
    if (!account) return undefined;
    const blocks = await this.registry.holdings(accountId);
    // Summed exactly; the registry's issued-total ceiling keeps each sum within 2^53 − 1.
    const totals: Record<string, number> = {};
    for (const state of new Set(blocks.map((b) => b.state)))
      totals[state] = sumQuantities(blocks.filter((b) => b.state === state));
    return { ...account, totals, blocks };
  }

  /** The event log after the cursor (an event sequence number), oldest first. */
  async events(page: { cursor?: string; limit: number }): Promise<Page<EventRecord>> {
    const after = page.cursor === undefined ? 0 : Number(page.cursor);
    if (!Number.isSafeInteger(after) || after < 0)
      throw new UntpCreditsError('REQUEST_INVALID', 'cursor is not one this server gave', { path: 'cursor' });
    const events = await this.registry.events(after, page.limit + 1);
    const items = events.slice(0, page.limit);
    const last = items[items.length - 1];
    return events.length > page.limit && last ? { items, next: String(last.seq) } : { items };
  }

  invariants(): Promise<InvariantReport> {
    return this.registry.checkInvariants();
  }

  /** A credential this registry issued, by its id (a URL under the public URL), enveloped. */
  async getCredential(credentialId: string): Promise<EnvelopedCredential | undefined> {
    return (await this.registry.credential(credentialId))?.credential;
  }
}

/** The filters of the public search, as query-string names. */
export const RETIREMENT_FILTERS = [
  'beneficiaryId',
  'beneficiaryName',
  'beneficiaryNamePrefix',
  'account',
  'site',
  'commodity',
  'vintage',
  'claimFrom',
  'claimTo',
  'productId',
  'purpose',
  'state',
] as const;
export const ISSUANCE_FILTERS = ['site', 'producer', 'standard', 'vintage', 'commodity', 'state'] as const;

function searchQuery<Q>(params: Record<string, unknown>, names: readonly string[], flags: readonly string[]): Q {
  const query: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (name === 'cursor' || name === 'limit' || name === 'format') continue;
    if (!names.includes(name))
      throw new UntpCreditsError('REQUEST_INVALID', `unknown search parameter ${name}`, { path: name });
    if (typeof value !== 'string' || value === '')
      throw new UntpCreditsError('REQUEST_INVALID', `${name} must be given once, not empty`, { path: name });
    if (flags.includes(name)) {
      if (value !== 'true' && value !== 'false')
        throw new UntpCreditsError('REQUEST_INVALID', `${name} is true or false`, { path: name });
      query[name] = value === 'true';
    } else query[name] = value;
  }
  return query as Q;
}

function pageBefore(page: { cursor?: string; limit: number }): { before?: number; limit: number } {
  if (page.cursor === undefined) return { limit: page.limit };
  const before = Number(page.cursor);
  if (!/^\d{1,16}$/.test(page.cursor) || !Number.isSafeInteger(before))
    throw new UntpCreditsError('REQUEST_INVALID', 'cursor is not one this server gave', { path: 'cursor' });
  return { before, limit: page.limit };
}
