import type { SerialBlock } from '../credits/serial-block.js';
import type { EnvelopedCredential } from '../secure/jose/sign.js';
import type { Database } from './db.js';
import type { LogOptions } from './log/sequencer.js';

/** The state of a block of units. `retired`, `cancelled` and `invalidated` are terminal. */
export type BlockState = 'tradable' | 'suspended' | 'retired' | 'cancelled' | 'invalidated';

/** A live block of the ledger: an inclusive serial range of one issuance, in one state, at one holder. */
export interface LedgerBlock {
  issuanceId: string;
  prefix: string;
  start: number;
  end: number;
  quantity: number;
  holder: string;
  state: BlockState;
  /** The retirement (the original of an amendment chain) for retired and invalidated blocks. */
  retirementId?: string;
}

/** An inclusive serial range inside a namespace; `prefix` may be omitted when the issuance says it. */
export interface RangeSelector {
  prefix: string;
  start: number;
  end: number;
}

/** An unsigned credential as built. */
export type Credential = Record<string, unknown>;

/** The signing step: secures a built credential (JOSE by default). Injectable so tests can use a test key. */
export type SecureCredential = (credential: Credential) => Promise<EnvelopedCredential>;

/** The party an account belongs to. */
export interface AccountHolder {
  /** A DID or URI. */
  id: string;
  name: string;
  /** A registered id in a typed scheme, as credentials cite the holder. */
  registeredId?: string;
  idScheme?: { id: string; name: string };
}

/** An account as credentials cite it. */
export interface AccountReference {
  id: string;
  accountId: string;
  holder: AccountHolder;
}

export interface CredentialStatusInput {
  statusListCredential: string;
  statusListIndex: number;
}

/** What the ledger knows of a new issuance credential; `details` are the caller's (site, standard, assessment…). */
export interface IssuanceFacts {
  id: string;
  issuer: { id: string; name: string };
  validFrom: string;
  recordUrl: string;
  credentialStatus: CredentialStatusInput;
  issuanceId: string;
  serialBlock: SerialBlock;
  initialHolder: AccountReference;
  details: Record<string, unknown>;
  /** Set by a correction: the issuance credential this one replaces. */
  replaces?: { id: string; digestMultibase: string };
}

/** One block retired, with the issuance credential it came from. */
export interface RetiredUnitFacts {
  issuance: { jws: string; digestMultibase: string; credentialId: string; issuanceId: string };
  serialBlock: SerialBlock;
}

export interface RetirementFacts {
  id: string;
  issuer: { id: string; name: string };
  validFrom: string;
  recordUrl: string;
  credentialStatus: CredentialStatusInput;
  retirementId: string;
  retiredAt: string;
  retiredUnits: RetiredUnitFacts[];
  retiringAccount: AccountReference;
  /** The caller's: beneficiary, purpose, claim boundary, levels… */
  details: Record<string, unknown>;
  /** Set by an amendment: the retirement credential this one replaces. */
  replaces?: { id: string; digestMultibase: string };
}

/** Turns ledger facts into unsigned credentials (the credit builders by default). */
export interface CredentialBuilders {
  issuance(facts: IssuanceFacts): Credential | Promise<Credential>;
  retirement(facts: RetirementFacts): Credential | Promise<Credential>;
}

export interface RegistryOptions {
  db: Database;
  /** Public base URL of the registry: records, credentials and status lists live under it. */
  baseUrl: string;
  /** The registry operator as credential issuer (its DID must be the signing key's). */
  issuer: { id: string; name: string };
  secure: SecureCredential;
  builders: CredentialBuilders;
  /** Default: the system clock. */
  clock?: () => Date;
  /** Entries per status list (default and minimum 131 072). */
  statusListSize?: number;
  /**
   * The most credits one issuance (or correction) may carry; a larger block is refused with
   * ISSUANCE_EXCEEDS_CAP. Default DEFAULT_MAX_ISSUANCE_QUANTITY (1 000 000); at most 2^53 − 1.
   */
  maxIssuanceQuantity?: number;
  /**
   * The transparency log: its origin and key. With it, this process runs a sequencer (one at a
   * time across processes) that logs every command's entries and signs checkpoints. Without it,
   * commands still write their entries to the outbox; a process with the key logs them.
   */
  log?: LogOptions;
}

/** A ledger event as returned to callers (and stored, append-only). */
export interface EventRecord {
  seq: number;
  type: string;
  at: string;
  payload: Record<string, unknown>;
}

/** A block in a command result: which issuance, which serials. */
export interface BlockRef {
  issuanceId: string;
  prefix: string;
  start: number;
  end: number;
  quantity: number;
}

export interface SignedCredential {
  credentialId: string;
  credential: EnvelopedCredential;
  digestMultibase: string;
}

export interface IssueResult extends SignedCredential {
  event: EventRecord;
  issuanceId: string;
  serialBlock: SerialBlock;
  holder: string;
}

export interface TransferResult {
  event: EventRecord;
  from: string;
  to: string;
  quantity: number;
  blocks: BlockRef[];
}

export interface RetireResult extends SignedCredential {
  event: EventRecord;
  retirementId: string;
  account: string;
  quantity: number;
  blocks: BlockRef[];
}

/** Every revocation returns the status-list credentials it changed, re-signed. */
export interface Revocations {
  revoked: string[];
  statusLists: EnvelopedCredential[];
}

export interface AmendResult extends SignedCredential, Revocations {
  event: EventRecord;
  retirementId: string;
  replaces: string;
}

export interface SuspendResult {
  event: EventRecord;
  account: string;
  quantity: number;
  blocks: BlockRef[];
}

export interface CancelResult extends Revocations {
  event: EventRecord;
  issuanceId: string;
  quantity: number;
  blocks: BlockRef[];
  /** True when no unit of the issuance remains valid and its credential was revoked. */
  issuanceRevoked: boolean;
}

export interface InvalidateResult extends Revocations {
  event: EventRecord;
  retirementId: string;
  quantity: number;
}

export interface CorrectResult extends Revocations {
  event: EventRecord;
  cancelled: BlockRef;
  issuance: IssueResult;
}
