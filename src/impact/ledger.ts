import { UntpCreditsError } from '../errors.js';
import type { AllocationSummary } from './build.js';

/** Just the query method: reads work on the registry database or the server's. */
export interface Reader {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: T[] }>;
}

const num = (v: unknown): number => Number(v ?? 0);
const money = (v: unknown): string => Number(v ?? 0).toFixed(2);

/**
 * Inside the ledger's allocation command (src/registry/commands/allocate.ts): checks a report
 * before it is signed. Every retirement it reports must be one of this registry's, cited by the
 * digest of its credential's JWS; a report id is recorded once. Codes: ALLOCATION_EXISTS,
 * RETIREMENT_NOT_FOUND, DIGEST_MISMATCH, ALLOCATION_EXCEEDS_PREMIUM.
 */
export async function checkAllocation(
  tx: Reader,
  summary: AllocationSummary,
): Promise<Array<{ retirementId: string; credits: number; amount: string; digest: string }>> {
  if (Number(summary.allocated) > Number(summary.received)) {
    throw new UntpCreditsError(
      'ALLOCATION_EXCEEDS_PREMIUM',
      `report ${summary.reportId} allocates more than it received`,
      { path: '/credentialSubject/premiumAllocation/totalAllocated' },
    );
  }
  const exists = await tx.query('SELECT 1 FROM impact_allocations WHERE id = $1', [summary.reportId]);
  if (exists.rows.length > 0)
    throw new UntpCreditsError('ALLOCATION_EXISTS', `allocation report ${summary.reportId} is already recorded`, {
      path: '/credentialSubject/premiumAllocation/reportId',
    });
  const cited: Array<{ retirementId: string; credits: number; amount: string; digest: string }> = [];
  for (const [i, r] of summary.retirements.entries()) {
    const path = `/credentialSubject/premiumAllocation/premiumReceived/${i}/retirement`;
    const { rows } = await tx.query<{ id: string; digest: string; credential_id: string }>(
      'SELECT r.id, c.digest, c.id AS credential_id FROM retirements r JOIN credentials c ON c.id = r.credential_id WHERE c.id = $1 OR r.id = $2',
      [r.id, r.retirementId],
    );
    const row = rows.find((x) => x.digest === r.digestMultibase) ?? rows[0];
    if (row === undefined)
      throw new UntpCreditsError(
        'RETIREMENT_NOT_FOUND',
        `${r.retirementId} (${r.id}) is not a retirement of this registry`,
        { path: `${path}/id` },
      );
    if (row.digest !== r.digestMultibase)
      throw new UntpCreditsError(
        'DIGEST_MISMATCH',
        `${r.retirementId}: the cited digest is not the digest of the registry's retirement credential`,
        { path: `${path}/digestMultibase` },
      );
    cited.push({ retirementId: row.id, credits: r.credits, amount: r.amount, digest: row.digest });
  }
  return cited;
}

/** Inside the ledger's allocation command: stores the signed report's figures (migration 003). */
export async function insertAllocation(
  tx: Reader,
  summary: AllocationSummary,
  signed: { jws: string; digestMultibase: string },
  cited: Awaited<ReturnType<typeof checkAllocation>>,
): Promise<void> {
  await tx.query(
    'INSERT INTO impact_allocations (id, credential_id, jws, digest, site_id, site_name, currency, received, allocated, period_start, period_end) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
    [
      summary.reportId,
      summary.credentialId,
      signed.jws,
      signed.digestMultibase,
      summary.siteId,
      summary.siteName,
      summary.currency,
      summary.received,
      summary.allocated,
      summary.periodStart,
      summary.periodEnd,
    ],
  );
  for (const c of cited) {
    await tx.query(
      'INSERT INTO impact_allocation_retirements (allocation_id, retirement_id, retirement_digest, credits, amount) VALUES ($1, $2, $3, $4, $5)',
      [summary.reportId, c.retirementId, c.digest, c.credits, c.amount],
    );
  }
  for (const [seq, a] of summary.allocations.entries()) {
    await tx.query(
      'INSERT INTO impact_allocation_items (allocation_id, seq, impact_area, amount, funded, decision_date, disbursed_date) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [summary.reportId, seq, a.impactArea, a.amount, a.funded, a.decisionDate, a.disbursedDate ?? null],
    );
  }
}

/** An allocation report as the statement and overview pages show it. */
export interface AllocationRecord {
  reportId: string;
  credentialId: string;
  digestMultibase: string;
  siteId: string;
  siteName: string;
  currency: string;
  received: string;
  allocated: string;
  periodStart: string;
  periodEnd: string;
  /** This retirement's share of the premium (allocationsForRetirement only). */
  retirementAmount?: string;
  items: Array<{ impactArea: string; amount: string; funded: string; decisionDate: string; disbursedDate?: string }>;
}

const day = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

async function itemsOf(db: Reader, ids: string[]): Promise<Map<string, AllocationRecord['items']>> {
  const { rows } = await db.query<{
    allocation_id: string;
    impact_area: string;
    amount: unknown;
    funded: string;
    decision_date: unknown;
    disbursed_date: unknown;
  }>(
    'SELECT allocation_id, impact_area, amount, funded, decision_date, disbursed_date FROM impact_allocation_items WHERE allocation_id = ANY($1::text[]) ORDER BY allocation_id, seq',
    [ids],
  );
  const out = new Map<string, AllocationRecord['items']>();
  for (const r of rows) {
    const list = out.get(r.allocation_id) ?? [];
    list.push({
      impactArea: r.impact_area,
      amount: money(r.amount),
      funded: r.funded,
      decisionDate: day(r.decision_date),
      ...(r.disbursed_date ? { disbursedDate: day(r.disbursed_date) } : {}),
    });
    out.set(r.allocation_id, list);
  }
  return out;
}

type AllocationRow = {
  id: string;
  credential_id: string;
  digest: string;
  site_id: string;
  site_name: string;
  currency: string;
  received: unknown;
  allocated: unknown;
  period_start: unknown;
  period_end: unknown;
  share?: unknown;
};

async function records(db: Reader, rows: AllocationRow[]): Promise<AllocationRecord[]> {
  const items = await itemsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    reportId: r.id,
    credentialId: r.credential_id,
    digestMultibase: r.digest,
    siteId: r.site_id,
    siteName: r.site_name,
    currency: r.currency,
    received: money(r.received),
    allocated: money(r.allocated),
    periodStart: day(r.period_start),
    periodEnd: day(r.period_end),
    ...(r.share === undefined ? {} : { retirementAmount: money(r.share) }),
    items: items.get(r.id) ?? [],
  }));
}

/** The allocation reports that cite a retirement (by its registry id), oldest first. */
export async function allocationsForRetirement(db: Reader, retirementId: string): Promise<AllocationRecord[]> {
  const { rows } = await db.query<AllocationRow>(
    `SELECT a.id, a.credential_id, a.digest, a.site_id, a.site_name, a.currency, a.received, a.allocated, a.period_start, a.period_end, x.amount AS share
       FROM impact_allocations a JOIN impact_allocation_retirements x ON x.allocation_id = a.id
      WHERE x.retirement_id = $1 ORDER BY a.period_start, a.id`,
    [retirementId],
  );
  return records(db, rows);
}

/** The signed allocation credential of a report, as recorded. */
export async function allocationJws(db: Reader, reportId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ jws: string }>('SELECT jws FROM impact_allocations WHERE id = $1', [reportId]);
  return rows[0]?.jws;
}

/** Everything the public overview shows, for the whole registry or one production site. */
export interface Overview {
  siteId?: string;
  siteName?: string;
  sites: Array<{ id: string; name: string; issued: number; retired: number }>;
  issued: number;
  held: number;
  retired: number;
  /** Per month (YYYY-MM, UTC): credits issued and retired that month. */
  months: Array<{ month: string; issued: number; retired: number }>;
  /** Per currency: premium received and allocated, and allocated by impact area. */
  premium: Array<{ currency: string; received: string; allocated: string; byArea: Record<string, string> }>;
  allocations: AllocationRecord[];
}

/**
 * Reads the overview from the ledger: credits issued (less cancelled), held (tradable or
 * suspended), retired (not invalidated) and their months, and the premium recorded by allocation
 * reports. Sites are the issuances' production sites.
 *
 * @example
 *   const o = await readOverview(db);                 // the whole registry
 *   const s = await readOverview(db, 'https://…/sites/CD-LU-ZEA-1532');
 */
export async function readOverview(db: Reader, siteId?: string): Promise<Overview> {
  const site = "coalesce(i.details->'productionSite'->>'id', i.prefix)";
  const siteName = "coalesce(i.details->'productionSite'->>'name', i.prefix)";
  const where = siteId === undefined ? '' : ` AND ${site} = $1`;
  const params = siteId === undefined ? [] : [siteId];
  const totals = await db.query<{ state: string; n: unknown }>(
    `SELECT b.state, sum(b.quantity) AS n FROM blocks b JOIN issuances i ON i.id = b.issuance_id WHERE b.live${where} GROUP BY b.state`,
    params,
  );
  const by = new Map(totals.rows.map((r) => [r.state, num(r.n)]));
  const held = (by.get('tradable') ?? 0) + (by.get('suspended') ?? 0);
  const retired = by.get('retired') ?? 0;
  const issuedMonths = await db.query<{ month: string; n: unknown }>(
    `SELECT to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, sum(b.quantity) AS n
       FROM blocks b JOIN issuances i ON i.id = b.issuance_id JOIN events e ON e.seq = i.created_event
      WHERE b.live AND b.state <> 'cancelled'${where} GROUP BY 1`,
    params,
  );
  const retiredMonths = await db.query<{ month: string; n: unknown }>(
    `SELECT to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, sum(b.quantity) AS n
       FROM blocks b JOIN issuances i ON i.id = b.issuance_id JOIN retirements r ON r.id = b.retirement_id JOIN events e ON e.seq = r.created_event
      WHERE b.live AND b.state = 'retired'${where} GROUP BY 1`,
    params,
  );
  const months = new Map<string, { month: string; issued: number; retired: number }>();
  for (const r of issuedMonths.rows) months.set(r.month, { month: r.month, issued: num(r.n), retired: 0 });
  for (const r of retiredMonths.rows)
    months.set(r.month, { month: r.month, issued: months.get(r.month)?.issued ?? 0, retired: num(r.n) });
  const sites = await db.query<{ id: string; name: string; issued: unknown; retired: unknown }>(
    `SELECT ${site} AS id, min(${siteName}) AS name, sum(b.quantity) FILTER (WHERE b.state <> 'cancelled') AS issued, coalesce(sum(b.quantity) FILTER (WHERE b.state = 'retired'), 0) AS retired
       FROM blocks b JOIN issuances i ON i.id = b.issuance_id WHERE b.live GROUP BY 1 ORDER BY 2`,
  );
  const allocationRows = await db.query<AllocationRow>(
    `SELECT id, credential_id, digest, site_id, site_name, currency, received, allocated, period_start, period_end FROM impact_allocations
      ${siteId === undefined ? '' : 'WHERE site_id = $1'} ORDER BY period_start, id`,
    params,
  );
  const allocations = await records(db, allocationRows.rows);
  const premium = new Map<
    string,
    { currency: string; received: number; allocated: number; byArea: Map<string, number> }
  >();
  // Cents as integers, so the totals are exact.
  const cents = (s: string): number => Math.round(Number(s) * 100);
  for (const a of allocations) {
    const p = premium.get(a.currency) ?? { currency: a.currency, received: 0, allocated: 0, byArea: new Map() };
    p.received += cents(a.received);
    p.allocated += cents(a.allocated);
    for (const item of a.items)
      p.byArea.set(item.impactArea, (p.byArea.get(item.impactArea) ?? 0) + cents(item.amount));
    premium.set(a.currency, p);
  }
  const siteRows = sites.rows.map((s) => ({ id: s.id, name: s.name, issued: num(s.issued), retired: num(s.retired) }));
  const named = siteId === undefined ? undefined : siteRows.find((s) => s.id === siteId);
  return {
    ...(siteId === undefined ? {} : { siteId, ...(named ? { siteName: named.name } : {}) }),
    sites: siteRows,
    issued: [...by].filter(([state]) => state !== 'cancelled').reduce((sum, [, n]) => sum + n, 0),
    held,
    retired,
    months: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
    premium: [...premium.values()].map((p) => ({
      currency: p.currency,
      received: (p.received / 100).toFixed(2),
      allocated: (p.allocated / 100).toFixed(2),
      byArea: Object.fromEntries(
        ['health-and-safety', 'child-rights', 'cooperative-governance', 'environment'].map((area) => [
          area,
          ((p.byArea.get(area) ?? 0) / 100).toFixed(2),
        ]),
      ),
    })),
    allocations,
  };
}
