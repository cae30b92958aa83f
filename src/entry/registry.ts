/**
 * untp-credits/registry — the registry ledger: open it on PGlite or PostgreSQL, run its commands
 * (issue, transfer, retire, amend, suspend, cancel, invalidate, correct), check its invariants, look
 * up serials, back it up; premium allocations and the bundle of a retirement (docs/registry.md).
 */
export { Registry } from '../registry/registry.js';
export { openRegistry, type OpenRegistryOptions } from '../registry/open.js';
export {
  openDatabase,
  PgliteDatabase,
  PostgresDatabase,
  checkDataDir,
  type Database,
  type Queryable,
  type QueryResult,
  type OpenDatabaseOptions,
} from '../registry/db.js';
export { migrate, MIGRATIONS, type Migration } from '../registry/migrations/index.js';
export { creditBuilders } from '../registry/credit-builders.js';
export { joseSecurer } from '../registry/signing.js';
export { checkInvariants, type InvariantReport, type InvariantViolation } from '../registry/invariants.js';
export { lookupSerial, holdings, type SerialLookup } from '../registry/lookup.js';
export { backupPglite, restorePglite, backupPostgres, restorePostgres } from '../registry/backup.js';
export type { OpenAccountInput, OpenAccountResult } from '../registry/commands/account.js';
export type { IssueInput } from '../registry/commands/issue.js';
export type { TransferInput } from '../registry/commands/transfer.js';
export type { RetireInput } from '../registry/commands/retire.js';
export type { AmendRetirementInput } from '../registry/commands/amend.js';
export type { SuspendInput } from '../registry/commands/suspend.js';
export type { CancelInput } from '../registry/commands/cancel.js';
export type { InvalidateRetirementInput } from '../registry/commands/invalidate.js';
export type { CorrectInput } from '../registry/commands/correct.js';
export type {
  RegistryOptions,
  CredentialBuilders,
  SecureCredential,
  IssuanceFacts,
  RetirementFacts,
  RetiredUnitFacts,
  AccountHolder,
  AccountReference,
  BlockState,
  LedgerBlock,
  RangeSelector,
  BlockRef,
  EventRecord,
  SignedCredential,
  Revocations,
  IssueResult,
  TransferResult,
  RetireResult,
  AmendResult,
  SuspendResult,
  CancelResult,
  InvalidateResult,
  CorrectResult,
} from '../registry/types.js';
export { databaseBundleSource, bundleRetirement, type BundleSource } from '../bundle/source.js';
export {
  allocationsForRetirement,
  allocationJws,
  readOverview,
  type AllocationRecord,
  type Overview,
  type Reader as OverviewReader,
} from '../impact/ledger.js';
