import { jwsPayload } from '../lib/digest.js';
import { envelopeContext, VC_JWT_PREFIX } from '../lib/envelope.js';
import type { EnvelopedCredential } from '../secure/jose/sign.js';
import { num } from './context.js';
import type { Queryable } from './db.js';
import type { AccountHolder } from './types.js';

/**
 * The published records of the ledger, read back: an issuance or a retirement with its signed
 * credential, an account, a credential by id. What the registry API and the CLI show.
 */

/** An issuance as published at `recordUrl`. */
export type IssuanceRecord = {
  issuanceId: string;
  recordUrl: string;
  issuedAt: string;
  serialBlock: { prefix: string; start: number; end: number; quantity: number };
  initialHolder: string;
  credentialId: string;
  digestMultibase: string;
  revoked: boolean;
  /** The issuance this one corrected. */
  replaces?: string;
  /** The issuance that corrected this one. */
  replacedBy?: string;
  credential: EnvelopedCredential;
};

/** A retirement as published at `recordUrl`. */
export type RetirementRecord = {
  retirementId: string;
  recordUrl: string;
  retiredAt: string;
  account: string;
  quantity: number;
  credentialId: string;
  digestMultibase: string;
  revoked: boolean;
  invalidated: boolean;
  /** The retirement this one amended. */
  replaces?: string;
  /** The amendment that replaced this one. */
  replacedBy?: string;
  credential: EnvelopedCredential;
};

export type AccountRecord = { accountId: string; holder: Pick<AccountHolder, 'id' | 'name'> };

/** An EnvelopedVerifiableCredential around a stored compact JWS. */
export function envelopeOf(jws: string): EnvelopedCredential {
  return {
    '@context': envelopeContext(jwsPayload(jws)),
    type: 'EnvelopedVerifiableCredential',
    id: `${VC_JWT_PREFIX}${jws}`,
  };
}

function iso(value: unknown): string {
  return new Date(value as string).toISOString();
}

type Row = Record<string, unknown>;

function recordUrl(baseUrl: string, kind: 'issuances' | 'retirements', id: unknown): string {
  return `${baseUrl.replace(/\/+$/, '')}/${kind}/${encodeURIComponent(String(id))}`;
}

const ISSUANCE_COLUMNS = `SELECT i.id, i.prefix, i.serial_start, i.serial_end, i.initial_holder, i.credential_id, i.replaces, i.created_event, c.jws, c.digest, c.revoked_event, e.at,
            (SELECT x.id FROM issuances x WHERE x.replaces = i.id) AS replaced_by
       FROM issuances i JOIN credentials c ON c.id = i.credential_id JOIN events e ON e.seq = i.created_event`;

function toIssuance(baseUrl: string, row: Row): IssuanceRecord {
  const start = num(row.serial_start);
  const end = num(row.serial_end);
  return {
    issuanceId: String(row.id),
    recordUrl: recordUrl(baseUrl, 'issuances', row.id),
    issuedAt: iso(row.at),
    serialBlock: { prefix: String(row.prefix), start, end, quantity: end - start + 1 },
    initialHolder: String(row.initial_holder),
    credentialId: String(row.credential_id),
    digestMultibase: String(row.digest),
    revoked: row.revoked_event !== null,
    ...(row.replaces ? { replaces: String(row.replaces) } : {}),
    ...(row.replaced_by ? { replacedBy: String(row.replaced_by) } : {}),
    credential: envelopeOf(String(row.jws)),
  };
}

/** The issuance `issuanceId`, or undefined. */
export async function issuanceRecord(
  db: Queryable,
  baseUrl: string,
  issuanceId: string,
): Promise<IssuanceRecord | undefined> {
  const { rows } = await db.query<Row>(`${ISSUANCE_COLUMNS} WHERE i.id = $1`, [issuanceId]);
  return rows[0] ? toIssuance(baseUrl, rows[0]) : undefined;
}

/** Issuance records by a filter over `i` (issuances) and `c` (their credentials): `tail` is the WHERE … ORDER BY … LIMIT. */
export async function issuanceRows(
  db: Queryable,
  baseUrl: string,
  tail: string,
  params: unknown[],
): Promise<Array<{ record: IssuanceRecord; createdEvent: number }>> {
  const { rows } = await db.query<Row>(`${ISSUANCE_COLUMNS} ${tail}`, params);
  return rows.map((row) => ({ record: toIssuance(baseUrl, row), createdEvent: num(row.created_event) }));
}

/** Retirement records by a filter over `r` (retirements) and `c` (their credentials): `tail` is the WHERE … ORDER BY … LIMIT. */
export async function retirementRows(
  db: Queryable,
  baseUrl: string,
  tail: string,
  params: unknown[],
): Promise<Array<{ record: RetirementRecord; createdEvent: number }>> {
  const { rows } = await db.query<Row>(`${RETIREMENT_COLUMNS} ${tail}`, params);
  return rows.map((row) => ({ record: toRetirement(baseUrl, row), createdEvent: num(row.created_event) }));
}

const RETIREMENT_COLUMNS = `SELECT r.id, r.account_id, r.quantity, r.credential_id, r.replaces, r.invalidated_event, r.created_event, c.jws, c.digest, c.revoked_event, e.at,
            (SELECT x.id FROM retirements x WHERE x.replaces = r.id) AS replaced_by
       FROM retirements r JOIN credentials c ON c.id = r.credential_id JOIN events e ON e.seq = r.created_event`;

function toRetirement(baseUrl: string, row: Row): RetirementRecord {
  return {
    retirementId: String(row.id),
    recordUrl: recordUrl(baseUrl, 'retirements', row.id),
    retiredAt: iso(row.at),
    account: String(row.account_id),
    quantity: num(row.quantity),
    credentialId: String(row.credential_id),
    digestMultibase: String(row.digest),
    revoked: row.revoked_event !== null,
    invalidated: row.invalidated_event !== null,
    ...(row.replaces ? { replaces: String(row.replaces) } : {}),
    ...(row.replaced_by ? { replacedBy: String(row.replaced_by) } : {}),
    credential: envelopeOf(String(row.jws)),
  };
}

/** The retirement `retirementId`, or undefined. */
export async function retirementRecord(
  db: Queryable,
  baseUrl: string,
  retirementId: string,
): Promise<RetirementRecord | undefined> {
  const { rows } = await db.query<Row>(`${RETIREMENT_COLUMNS} WHERE r.id = $1`, [retirementId]);
  return rows[0] ? toRetirement(baseUrl, rows[0]) : undefined;
}

/** Up to `limit` retirements created before event `beforeEvent`, newest first, with the event that created each. */
export async function retirementRecords(
  db: Queryable,
  baseUrl: string,
  beforeEvent: number,
  limit: number,
): Promise<Array<{ record: RetirementRecord; createdEvent: number }>> {
  const { rows } = await db.query<Row>(
    `${RETIREMENT_COLUMNS} WHERE r.created_event < $1 ORDER BY r.created_event DESC LIMIT $2`,
    [beforeEvent, limit],
  );
  return rows.map((row) => ({ record: toRetirement(baseUrl, row), createdEvent: num(row.created_event) }));
}

/** The account `accountId` and its holder, or undefined. */
export async function accountRecord(db: Queryable, accountId: string): Promise<AccountRecord | undefined> {
  const { rows } = await db.query<{ id: string; holder_id: string; holder_name: string }>(
    'SELECT id, holder_id, holder_name FROM accounts WHERE id = $1',
    [accountId],
  );
  const row = rows[0];
  return row ? { accountId: row.id, holder: { id: row.holder_id, name: row.holder_name } } : undefined;
}

/** A credential this registry issued, by id: what it records (issuance or retirement) and the credential. */
export async function credentialRecord(
  db: Queryable,
  credentialId: string,
): Promise<{ kind: 'issuance' | 'retirement' | 'allocation'; credential: EnvelopedCredential } | undefined> {
  const { rows } = await db.query<{ kind: 'issuance' | 'retirement' | 'allocation'; jws: string }>(
    'SELECT kind, jws FROM credentials WHERE id = $1',
    [credentialId],
  );
  const row = rows[0];
  return row ? { kind: row.kind, credential: envelopeOf(row.jws) } : undefined;
}
