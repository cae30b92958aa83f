import type { EnvelopedCredential } from '../secure/jose/sign.js';
import { createStatusResolver, type StatusListSource } from '../status/resolver.js';
import type { StatusListResolver } from '../verify/status.js';
import { allocate, type AllocateInput, type AllocateResult } from './commands/allocate.js';
import { amendRetirement, type AmendRetirementInput } from './commands/amend.js';
import { openAccount, type OpenAccountInput, type OpenAccountResult } from './commands/account.js';
import { cancel, type CancelInput } from './commands/cancel.js';
import { correct, type CorrectInput } from './commands/correct.js';
import { invalidateRetirement, type InvalidateRetirementInput } from './commands/invalidate.js';
import { issuanceCap, issue, type IssueInput } from './commands/issue.js';
import { retire, type RetireInput } from './commands/retire.js';
import { suspend, unsuspend, type SuspendInput } from './commands/suspend.js';
import { transfer, type TransferInput } from './commands/transfer.js';
import { ledgerOf, num, type Ledger } from './context.js';
import type { Database } from './db.js';
import { disclosureReleases, storeDisclosureRelease, type StoredDisclosureRelease } from './disclosures.js';
import { checkInvariants, type InvariantReport } from './invariants.js';
import { holdings, lookupSerial, type SerialLookup } from './lookup.js';
import { migrate } from './migrations/index.js';
import {
  searchIssuances,
  searchRetirements,
  type IssuanceQuery,
  type RetirementQuery,
  type SearchPage,
} from './search.js';
import { Sequencer, type SequencerStatus } from './log/sequencer.js';
import { withCosignatures } from './log/witness-push.js';
import {
  credentialInclusion,
  latestCheckpoint,
  readStoredTile,
  type LogInclusion,
  type StoredCheckpoint,
} from './log/store.js';
import type { Tile } from '../log/index.js';
import {
  accountRecord,
  credentialRecord,
  issuanceRecord,
  retirementRecord,
  retirementRecords,
  type AccountRecord,
  type IssuanceRecord,
  type RetirementRecord,
} from './records.js';
import type {
  AmendResult,
  CancelResult,
  CorrectResult,
  EventRecord,
  InvalidateResult,
  IssueResult,
  LedgerBlock,
  RegistryOptions,
  RetireResult,
  SuspendResult,
  TransferResult,
} from './types.js';

/**
 * The registry ledger: every command is one transaction, idempotent by its `key`, and returns the
 * record or signed credential that proves it. State lives only in the database, so several
 * processes may serve one PostgreSQL database.
 *
 * @example
 *   const db = await openDatabase({ dataDir: './data/registry' });
 *   const registry = await Registry.open({ db, baseUrl: 'https://registry.example', issuer, secure: joseSecurer(signer), builders: creditBuilders });
 *   await registry.openAccount({ key: 'a-1', accountId: 'coop-1', holder: { id: 'did:web:coop.example', name: 'Coop' } });
 *   const { credential } = await registry.issue({ key: 'i-1', prefix: 'RCC-CD-LU-2026Q1', start: 1, end: 120, holder: 'coop-1', details });
 */
export class Registry {
  private readonly ledger: Ledger;
  private readonly sequencer: Sequencer | undefined;
  private constructor(readonly options: RegistryOptions) {
    this.sequencer = options.log ? new Sequencer(options.db, options.log) : undefined;
    this.ledger = ledgerOf(options, () => this.sequencer?.poke());
  }

  /**
   * Migrates the schema (unless `migrate: false`) and returns the registry; with `log`, its
   * sequencer has checked the stored log against the events and signed what was pending.
   */
  static async open(options: RegistryOptions & { migrate?: boolean }): Promise<Registry> {
    issuanceCap(options); // a bad cap fails here, not at the first issuance
    if (options.migrate !== false) await migrate(options.db);
    const registry = new Registry(options);
    await registry.sequencer?.start();
    return registry;
  }

  /** Whether this process's sequencer refused to sign further checkpoints (and why). */
  logStatus(): SequencerStatus & { sequencing: boolean } {
    return { sequencing: this.sequencer !== undefined, ...(this.sequencer?.status ?? {}) };
  }

  /** Runs the sequencer now (tests, `log export`): every committed entry is logged when it resolves. */
  async sequenceLog(): Promise<void> {
    await this.sequencer?.sequence();
  }

  /** The latest signed checkpoint, if the log has one. */
  async logCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const checkpoint = await latestCheckpoint(this.db);
    // Served with the witness cosignatures received for it.
    return checkpoint && { ...checkpoint, note: await withCosignatures(this.db, checkpoint.note) };
  }

  /** A tile of the log as of its latest checkpoint (undefined when the tree has no such tile). */
  async logTile(tile: Tile): Promise<Uint8Array | undefined> {
    const checkpoint = await latestCheckpoint(this.db);
    return checkpoint ? readStoredTile(this.db, tile, checkpoint.size) : undefined;
  }

  /** Where the event that made a credential sits in the log, with its inclusion proof (once logged). */
  async logInclusion(credentialId: string): Promise<LogInclusion | undefined> {
    const inclusion = await credentialInclusion(this.db, credentialId);
    return inclusion && { ...inclusion, checkpoint: await withCosignatures(this.db, inclusion.checkpoint) };
  }

  get db(): Database {
    return this.options.db;
  }

  openAccount(input: OpenAccountInput): Promise<OpenAccountResult> {
    return openAccount(this.ledger, input);
  }
  issue(input: IssueInput): Promise<IssueResult> {
    return issue(this.ledger, input);
  }
  transfer(input: TransferInput): Promise<TransferResult> {
    return transfer(this.ledger, input);
  }
  retire(input: RetireInput): Promise<RetireResult> {
    return retire(this.ledger, input);
  }
  amendRetirement(input: AmendRetirementInput): Promise<AmendResult> {
    return amendRetirement(this.ledger, input);
  }
  suspend(input: SuspendInput): Promise<SuspendResult> {
    return suspend(this.ledger, input);
  }
  unsuspend(input: SuspendInput): Promise<SuspendResult> {
    return unsuspend(this.ledger, input);
  }
  cancel(input: CancelInput): Promise<CancelResult> {
    return cancel(this.ledger, input);
  }
  invalidateRetirement(input: InvalidateRetirementInput): Promise<InvalidateResult> {
    return invalidateRetirement(this.ledger, input);
  }
  correct(input: CorrectInput): Promise<CorrectResult> {
    return correct(this.ledger, input);
  }
  /** Signs and records a premium allocation report from its draft (src/registry/commands/allocate.ts). */
  allocate(input: AllocateInput): Promise<AllocateResult> {
    return allocate(this.ledger, input);
  }

  lookupSerial(prefix: string, serial: number): Promise<SerialLookup | undefined> {
    return lookupSerial(this.db, prefix, serial);
  }
  holdings(accountId: string): Promise<LedgerBlock[]> {
    return holdings(this.db, accountId);
  }
  checkInvariants(): Promise<InvariantReport> {
    return checkInvariants(this.db);
  }

  /** The issuance record (with its credential), or undefined. */
  issuance(issuanceId: string): Promise<IssuanceRecord | undefined> {
    return issuanceRecord(this.db, this.options.baseUrl, issuanceId);
  }
  /** The retirement record (with its credential), or undefined. */
  retirement(retirementId: string): Promise<RetirementRecord | undefined> {
    return retirementRecord(this.db, this.options.baseUrl, retirementId);
  }
  /** Up to `limit` retirements created before event `beforeEvent`, newest first. */
  retirements(beforeEvent: number, limit: number): Promise<Array<{ record: RetirementRecord; createdEvent: number }>> {
    return retirementRecords(this.db, this.options.baseUrl, beforeEvent, limit);
  }
  /** Retirements matching `query`, newest first, created before event `page.before` (src/registry/search.ts). */
  searchRetirements(
    query: RetirementQuery,
    page: { before?: number; limit: number },
  ): Promise<SearchPage<RetirementRecord>> {
    return searchRetirements(this.db, this.options.baseUrl, query, page);
  }
  /** Issuances matching `query`, newest first, created before event `page.before`. */
  searchIssuances(query: IssuanceQuery, page: { before?: number; limit: number }): Promise<SearchPage<IssuanceRecord>> {
    return searchIssuances(this.db, this.options.baseUrl, query, page);
  }
  /** The account and its holder, or undefined. */
  account(accountId: string): Promise<AccountRecord | undefined> {
    return accountRecord(this.db, accountId);
  }
  /** A credential this registry issued, by id, or undefined. */
  credential(credentialId: string): ReturnType<typeof credentialRecord> {
    return credentialRecord(this.db, credentialId);
  }

  /** Stores a signed disclosure release (the first one per field stays); returns what is stored. */
  storeDisclosureRelease(release: StoredDisclosureRelease): Promise<StoredDisclosureRelease> {
    return storeDisclosureRelease(this.db, release);
  }
  /** A retirement's stored disclosure releases (compact JWS), oldest first. */
  disclosureReleases(retirementId: string): Promise<string[]> {
    return disclosureReleases(this.db, retirementId);
  }

  /** The event log, in order, after `afterSeq`. */
  async events(afterSeq = 0, limit = 1000): Promise<EventRecord[]> {
    const { rows } = await this.db.query<{
      seq: unknown;
      type: string;
      at: Date | string;
      payload: Record<string, unknown>;
    }>('SELECT seq, type, at, payload FROM events WHERE seq > $1 ORDER BY seq LIMIT $2', [afterSeq, limit]);
    return rows.map((row) => ({
      seq: num(row.seq),
      type: row.type,
      at: new Date(row.at).toISOString(),
      payload: row.payload,
    }));
  }

  /** The current signed status-list credential published at `url`. */
  async statusListCredential(url: string): Promise<EnvelopedCredential | undefined> {
    const { rows } = await this.db.query<{ credential: EnvelopedCredential }>(
      'SELECT credential FROM status_lists WHERE url = $1',
      [url],
    );
    return rows[0]?.credential;
  }

  /** Every current status-list credential, url → credential: a snapshot for offline verification. */
  async statusSnapshot(): Promise<Record<string, EnvelopedCredential>> {
    const { rows } = await this.db.query<{ url: string; credential: EnvelopedCredential }>(
      'SELECT url, credential FROM status_lists ORDER BY id',
    );
    return Object.fromEntries(rows.map((row) => [row.url, row.credential]));
  }

  /** The registry store as a status-list source. */
  statusSource(): StatusListSource {
    return { get: (url) => this.statusListCredential(url) };
  }

  /** A resolver for `verify(…, { status })` that reads this registry's lists. */
  statusResolver(): StatusListResolver {
    return createStatusResolver(this.statusSource());
  }

  /** Stops this process's sequencer (before its database closes). */
  async stopLog(): Promise<void> {
    await this.sequencer?.stop();
  }

  async close(): Promise<void> {
    await this.sequencer?.stop();
    await this.db.close();
  }
}
