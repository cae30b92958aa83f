import type { BundleReport } from './verify.js';

/**
 * A bundle report for people: a head line (verified or the failed step), one line per step, then
 * each key with where it came from, each anchor, and the warnings.
 *
 * @example
 *   console.log(formatBundleReport('RET-2026-0007.bundle.json', await verifyBundle(bundle, { trust })));
 */
export function formatBundleReport(label: string, report: BundleReport, indent = ''): string {
  const failed = report.steps.find((s) => !s.ok);
  const lines = [
    `${indent}${report.verified ? '✔' : '✘'} ${label}  ${report.verified ? 'verified' : `NOT verified (${failed?.name}: ${failed?.code})`}  bundle  retirement ${report.retirementId ?? '(unknown)'}  issuer ${report.issuer ?? '(none)'}  status as of ${report.statusAsOf ?? '(unknown)'}`,
  ];
  for (const step of report.steps)
    lines.push(
      `${indent}    ${step.ok ? '✔' : '✘'} ${step.name}${step.code ? ` ${step.code}` : ''}${step.message ? `  ${step.message}` : ''}`,
    );
  for (const key of report.keys) {
    lines.push(
      `${indent}    key ${key.keyId}  ${key.trusted ? 'trusted' : 'UNTRUSTED'}: ${key.source ?? 'unresolved'}${key.source !== key.documentSource ? ` (DID document: ${key.documentSource ?? 'none'})` : ''}  signed ${key.usedFor.join(', ')}`,
    );
  }
  for (const anchor of report.anchors)
    lines.push(
      `${indent}    anchor ${anchor.anchorId ?? '(no id)'}  ${anchor.ok ? '✔' : `✘ ${anchor.code}`}  ${anchor.message}`,
    );
  for (const w of report.warnings) lines.push(`${indent}    warning ${w.code} ${w.path || '/'}  ${w.message}`);
  return lines.join('\n');
}
