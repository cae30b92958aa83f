import { UntpCreditsError } from '../errors.js';
import { num } from './context.js';
import type { Queryable } from './db.js';
import { issuanceRows, retirementRows, type IssuanceRecord, type RetirementRecord } from './records.js';

/**
 * Public search over the ledger (docs/integration.md). Every filter is served from an index of
 * migration 010; results are newest first, cursor-paged by the creating event. A withheld
 * beneficiary is matched only once its release is stored (`released_beneficiaries`).
 */

/** Which versions of retirements a search returns: current (default), amended (replaced), invalidated, or all. */
export type RetirementState = 'current' | 'amended' | 'invalidated' | 'all';
export type IssuanceState = 'current' | 'revoked' | 'all';

export interface RetirementQuery {
  /** The beneficiary's id, exact. */
  beneficiaryId?: string;
  /** The beneficiary's name, case-folded: exact, or a prefix with `beneficiaryNamePrefix`. */
  beneficiaryName?: string;
  beneficiaryNamePrefix?: boolean;
  account?: string;
  /** A production site id the retired units were issued for. */
  site?: string;
  /** A commodity code (e.g. Co) of the retired units. */
  commodity?: string;
  vintage?: string;
  /** Claim periods overlapping [claimFrom, claimTo] (ISO dates, either may be left open). */
  claimFrom?: string;
  claimTo?: string;
  /** A covered product id. */
  productId?: string;
  purpose?: string;
  state?: RetirementState;
}

export interface IssuanceQuery {
  site?: string;
  producer?: string;
  standard?: string;
  vintage?: string;
  commodity?: string;
  state?: IssuanceState;
}

export interface SearchPage<T> {
  items: T[];
  /** The creating event of the last item, when there may be more. */
  next?: number;
}

class Where {
  readonly parts: string[] = [];
  readonly params: unknown[] = [];
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
  add(sql: string): void {
    this.parts.push(sql);
  }
  sql(): string {
    return this.parts.length === 0 ? 'TRUE' : this.parts.join(' AND ');
  }
}

const likePrefix = (value: string) => `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function checkDate(value: string | undefined, path: string): void {
  if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value))
    throw new UntpCreditsError('REQUEST_INVALID', `${path} must be an ISO date (YYYY-MM-DD)`, { path });
}

/** The filter of a retirement search, as SQL over `r` (retirements). */
function retirementWhere(query: RetirementQuery, where: Where): void {
  checkDate(query.claimFrom, 'claimFrom');
  checkDate(query.claimTo, 'claimTo');
  if (query.beneficiaryId !== undefined) {
    const p = where.param(query.beneficiaryId);
    where.add(
      `r.id IN (SELECT id FROM retirements WHERE details->'beneficiary'->>'id' = ${p} UNION ALL SELECT retirement_id FROM released_beneficiaries WHERE beneficiary_id = ${p})`,
    );
  }
  if (query.beneficiaryName !== undefined) {
    const folded = query.beneficiaryName.toLowerCase();
    const [op, p] = query.beneficiaryNamePrefix
      ? [`LIKE`, where.param(likePrefix(folded))]
      : ['=', where.param(folded)];
    where.add(
      `r.id IN (SELECT id FROM retirements WHERE lower(details->'beneficiary'->>'name') ${op} ${p} UNION ALL SELECT retirement_id FROM released_beneficiaries WHERE lower(beneficiary_name) ${op} ${p})`,
    );
  }
  if (query.account !== undefined) where.add(`r.account_id = ${where.param(query.account)}`);
  const issued: Array<[string, string | undefined]> = [
    [`i.details->'productionSite'->>'id'`, query.site],
    [`i.details->'creditUnit'->'commodity'->>'code'`, query.commodity],
    [`i.details->>'vintage'`, query.vintage],
  ];
  for (const [expression, value] of issued)
    if (value !== undefined)
      where.add(
        `r.original_id IN (SELECT b.retirement_id FROM issuances i JOIN blocks b ON b.issuance_id = i.id AND b.live AND b.retirement_id IS NOT NULL WHERE ${expression} = ${where.param(value)})`,
      );
  if (query.claimTo !== undefined)
    where.add(`r.details->'claimBoundary'->'claimPeriod'->>'startDate' <= ${where.param(query.claimTo)}`);
  if (query.claimFrom !== undefined)
    where.add(`r.details->'claimBoundary'->'claimPeriod'->>'endDate' >= ${where.param(query.claimFrom)}`);
  if (query.productId !== undefined)
    where.add(
      `r.details->'claimBoundary'->'coveredProducts' @> jsonb_build_array(jsonb_build_object('id', ${where.param(query.productId)}::text))`,
    );
  if (query.purpose !== undefined) where.add(`r.details->>'purpose' = ${where.param(query.purpose)}`);
  const state = query.state ?? 'current';
  const replaced = 'EXISTS (SELECT 1 FROM retirements x WHERE x.replaces = r.id)';
  if (state === 'current') where.add(`r.invalidated_event IS NULL AND NOT ${replaced}`);
  else if (state === 'amended') where.add(replaced);
  else if (state === 'invalidated') where.add('r.invalidated_event IS NOT NULL');
  else if (state !== 'all')
    throw new UntpCreditsError('REQUEST_INVALID', 'state is current, amended, invalidated or all', { path: 'state' });
}

/**
 * Retirements matching `query`, newest first, created before event `before` (the cursor).
 *
 * @example
 *   await searchRetirements(db, baseUrl, { beneficiaryName: 'elbe', beneficiaryNamePrefix: true }, { limit: 50 });
 */
export async function searchRetirements(
  db: Queryable,
  baseUrl: string,
  query: RetirementQuery,
  page: { before?: number; limit: number },
): Promise<SearchPage<RetirementRecord>> {
  const where = new Where();
  retirementWhere(query, where);
  if (page.before !== undefined) where.add(`r.created_event < ${where.param(page.before)}`);
  const limit = where.param(page.limit + 1);
  const rows = await retirementRows(
    db,
    baseUrl,
    `WHERE ${where.sql()} ORDER BY r.created_event DESC LIMIT ${limit}`,
    where.params,
  );
  return pageOf(rows, page.limit);
}

/**
 * Issuances matching `query`, newest first, created before event `before` (the cursor).
 *
 * @example
 *   await searchIssuances(db, baseUrl, { site: 'https://registry.example/sites/CD-LU-1532' }, { limit: 50 });
 */
export async function searchIssuances(
  db: Queryable,
  baseUrl: string,
  query: IssuanceQuery,
  page: { before?: number; limit: number },
): Promise<SearchPage<IssuanceRecord>> {
  const where = new Where();
  const fields: Array<[string, string | undefined]> = [
    [`i.details->'productionSite'->>'id'`, query.site],
    [`i.details->'producer'->>'id'`, query.producer],
    [`i.details->'standard'->>'id'`, query.standard],
    [`i.details->>'vintage'`, query.vintage],
    [`i.details->'creditUnit'->'commodity'->>'code'`, query.commodity],
  ];
  for (const [expression, value] of fields) if (value !== undefined) where.add(`${expression} = ${where.param(value)}`);
  const state = query.state ?? 'current';
  if (state === 'current') where.add('c.revoked_event IS NULL');
  else if (state === 'revoked') where.add('c.revoked_event IS NOT NULL');
  else if (state !== 'all')
    throw new UntpCreditsError('REQUEST_INVALID', 'state is current, revoked or all', { path: 'state' });
  if (page.before !== undefined) where.add(`i.created_event < ${where.param(page.before)}`);
  const limit = where.param(page.limit + 1);
  const rows = await issuanceRows(
    db,
    baseUrl,
    `WHERE ${where.sql()} ORDER BY i.created_event DESC LIMIT ${limit}`,
    where.params,
  );
  return pageOf(rows, page.limit);
}

function pageOf<T>(rows: Array<{ record: T; createdEvent: number }>, limit: number): SearchPage<T> {
  const items = rows.slice(0, limit).map((row) => row.record);
  const last = rows[limit - 1];
  return rows.length > limit && last ? { items, next: num(last.createdEvent) } : { items };
}
