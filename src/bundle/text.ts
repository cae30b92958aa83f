import {
  checkLine,
  creditSections,
  verdictLines,
  verdictOf,
  type DetailField,
  type VerdictLine,
  type VerdictView,
} from '../verify/verdict.js';
import { BUNDLE_STEPS, type BundleReport } from './verify.js';

/**
 * The verdict view of a bundle report (the same view a credential's report gets): the steps as
 * checks, each key and anchor as evidence (a key only carried in the bundle warns), the
 * retirement's facts attested only when the bundle verified.
 */
export function bundleVerdict(report: BundleReport): VerdictView {
  const checks = report.steps.map(checkLine);
  const stopped = report.steps.length < BUNDLE_STEPS.length ? report.steps[report.steps.length - 1] : undefined;
  const verdict = verdictOf(report.verified, checks, report.warnings, new Set(stopped ? [stopped.name] : []));
  const evidence: VerdictLine[] = [
    ...report.keys.map((key): VerdictLine => ({
      mark: key.trusted ? 'ok' : 'warn',
      name: `key ${key.keyId}`,
      message: `${key.trusted ? 'trusted' : 'UNTRUSTED'}: ${key.source ?? 'unresolved'}${key.source !== key.documentSource ? ` (DID document: ${key.documentSource ?? 'none'})` : ''}; signed ${key.usedFor.join(', ')}`,
    })),
    // What the log established, said exactly: inclusion, and "retired once" only with k witnesses.
    ...(report.log ?? []).map((l): VerdictLine => ({
      mark: 'ok',
      name: `log ${l.role}`,
      message:
        l.attestedUpTo === undefined
          ? `entry ${l.index} of ${l.origin} (checkpoint of size ${l.treeSize}); inclusion only, no pinned witness attests the ledger's rules`
          : `entry ${l.index} of ${l.origin}; ${l.role === 'retirement' ? 'retired' : 'issued'} once up to size ${l.attestedUpTo}: ${l.witnesses.length} pinned witness(es) (${l.witnesses.join(', ')}) cosigned`,
    })),
    ...report.anchors.map((anchor): VerdictLine => ({
      mark: anchor.ok ? 'ok' : 'fail',
      name: `anchor ${anchor.anchorId ?? '(no id)'}`,
      ...(anchor.ok ? {} : { code: anchor.code ?? 'ANCHOR_INVALID' }),
      message: anchor.message,
    })),
  ];
  const head: DetailField[] = [];
  if (report.issuer !== null) head.push({ label: 'Issuer', value: report.issuer, kind: 'id', brief: true });
  if (report.credentialId !== null) head.push({ label: 'Credential', value: report.credentialId, kind: 'id' });
  if (report.bundledAt !== null) head.push({ label: 'Bundled at', value: report.bundledAt });
  head.push({ label: 'Status as of', value: report.statusAsOf ?? '(unknown)', brief: true });
  const credits = report.retirement ? creditSections(report.retirement) : [];
  if (credits.length === 0 && report.retirementId !== null)
    head.unshift({ label: 'Retirement', value: report.retirementId, kind: 'id', brief: true });
  return {
    ...verdict,
    what: 'bundle',
    checks,
    evidence,
    sections: [{ id: 'credential', title: 'Bundle', fields: head }, ...credits],
    inner: [],
  };
}

/**
 * A bundle report for people: the headline (verified, with warnings, or the failed step), the
 * checks, each key with where it came from, each anchor, the warnings, then the retirement, issuer
 * and status date (set apart as unverified content when the bundle did not verify).
 *
 * @example
 *   console.log(formatBundleReport('RET-2026-0007.bundle.json', await verifyBundle(bundle, { trust })));
 */
export function formatBundleReport(label: string, report: BundleReport, indent = ''): string {
  return verdictLines(label, bundleVerdict(report), indent).join('\n');
}
