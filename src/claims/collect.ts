import type { BundleReport } from '../bundle/verify.js';
import { isObject } from '../credits/check.js';
import { checkStatusEntry } from '../status/bitstring.js';
import type { VerificationReport } from '../verify/report.js';
import { retirementStatement, type RetirementStatement } from './double-claim.js';

type Obj = Record<string, unknown>;

/**
 * The newest verified status-list credential per URL across verified bundles (by `validFrom`):
 * a later bundle's snapshot can show that an earlier bundle's retirement has since been revoked
 * (amended). Lists only count from bundles that verified, and per issuer.
 */
export function latestStatusLists(
  reports: readonly BundleReport[],
): Map<string, { issuer: string; validFrom: string; list: Obj }> {
  const latest = new Map<string, { issuer: string; validFrom: string; list: Obj }>();
  for (const report of reports) {
    if (!report.verified && !report.revoked) continue;
    for (const c of report.credentials) {
      const list = c.report.credential;
      if (c.role !== 'status-list' || !c.report.verified || !list || !c.report.issuer) continue;
      const validFrom = typeof list.validFrom === 'string' ? list.validFrom : '';
      const key = `${c.report.issuer} ${c.id}`;
      const known = latest.get(key);
      if (!known || known.validFrom < validFrom) latest.set(key, { issuer: c.report.issuer, validFrom, list });
    }
  }
  return latest;
}

/** True when a newer snapshot (from `latestStatusLists`) of the issuer's list shows the credential revoked. */
export function revokedBy(
  credential: Obj,
  issuer: string | null,
  lists: Map<string, { issuer: string; list: Obj }>,
): boolean {
  const raw = credential.credentialStatus;
  for (const entry of (Array.isArray(raw) ? raw : [raw]).filter(isObject)) {
    const found = lists.get(`${issuer} ${String(entry.statusListCredential)}`);
    if (!found) continue;
    try {
      if (checkStatusEntry(entry, found.list).status === 'revoked') return true;
    } catch {
      // A list that does not fit the entry says nothing about it.
    }
  }
  return false;
}

/**
 * The retirement statements of verified bundles, for `detectDoubleClaims`: each bundle's
 * retirement, valid when its bundle verified, revoked when its own snapshot or a newer snapshot of
 * the same registry's list (from another bundle) shows it revoked.
 *
 * @example
 *   detectDoubleClaims(statementsFromBundles(reports.map((report, i) => ({ source: files[i], report }))));
 */
export function statementsFromBundles(
  inputs: readonly { source: string; report: BundleReport }[],
): RetirementStatement[] {
  const lists = latestStatusLists(inputs.map((i) => i.report));
  const out: RetirementStatement[] = [];
  for (const { source, report } of inputs) {
    if (!report.retirement) continue;
    const revoked = report.revoked || revokedBy(report.retirement, report.issuer, lists);
    out.push(retirementStatement(report.retirement, { valid: report.verified, revoked, source }));
  }
  return out;
}

/**
 * The retirement statement of a plainly verified credential (not a bundle): valid when it
 * verified; revoked when its status step says so.
 */
export function statementFromReport(source: string, report: VerificationReport): RetirementStatement | undefined {
  const credential = report.credential;
  if (!credential) return undefined;
  const types = Array.isArray(credential.type) ? credential.type : [credential.type];
  if (!types.includes('CreditRetirementCredential')) return undefined;
  const revoked = report.steps.some((s) => s.name === 'status' && s.code === 'CREDENTIAL_REVOKED');
  return retirementStatement(credential, { valid: report.verified, revoked, source });
}
