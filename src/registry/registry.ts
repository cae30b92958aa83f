import type { EnvelopedCredential } from '../secure/jose/sign.js';
import { createStatusResolver, type StatusListSource } from '../status/resolver.js';
import type { StatusListResolver } from '../verify/status.js';
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
import { checkInvariants, type InvariantReport } from './invariants.js';
import { holdings, lookupSerial, type SerialLookup } from './lookup.js';
import { migrate } from './migrations/index.js';
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
  private constructor(readonly options: RegistryOptions) {
    this.ledger = ledgerOf(options);
  }

  /** Migrates the schema (unless `migrate: false`) and returns the registry. */
  static async open(options: RegistryOptions & { migrate?: boolean }): Promise<Registry> {
    issuanceCap(options); // a bad cap fails here, not at the first issuance
    if (options.migrate !== false) await migrate(options.db);
    return new Registry(options);
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

  lookupSerial(prefix: string, serial: number): Promise<SerialLookup | undefined> {
    return lookupSerial(this.db, prefix, serial);
  }
  holdings(accountId: string): Promise<LedgerBlock[]> {
    return holdings(this.db, accountId);
  }
  checkInvariants(): Promise<InvariantReport> {
    return checkInvariants(this.db);
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

  close(): Promise<void> {
    return this.db.close();
  }
}
