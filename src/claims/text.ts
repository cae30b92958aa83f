import type { BatchClaimsReport } from './batch.js';

/**
 * The batch checks for people: the double-claim sweep (statements, participants, each double
 * claim with both credential ids) and the passport cross-check (totals per retirement, findings).
 *
 * @example
 *   console.log(formatBatchClaims(batch.finish()));
 */
export function formatBatchClaims(report: BatchClaimsReport): string {
  const { sweep, passports } = report;
  const lines = [
    `${report.ok ? '✔' : '✘'} claims  ${sweep.statements} retirement statement(s), ${sweep.participants} valid and current, ${sweep.ranges} range(s) swept, ${sweep.doubleClaims.length} double claim(s); ${passports.totals.length} retirement(s) cited by passports`,
  ];
  for (const d of sweep.doubleClaims) lines.push(`    ✘ ${d.code}  ${d.message}`);
  for (const e of sweep.excluded)
    lines.push(`    - ${e.credentialId} left out: ${e.reason}${e.by ? ` (amended by ${e.by})` : ''}`);
  for (const w of sweep.warnings) lines.push(`    warning ${w.code}  ${w.message}`);
  for (const t of passports.totals)
    lines.push(
      `    ${t.claimed <= t.retired ? '✔' : '✘'} ${t.retirement}: passports claim ${t.claimed} of ${t.retired} ${t.unit} retired (${t.passports.length} passport(s))`,
    );
  for (const f of passports.findings) lines.push(`    ${f.ok ? 'warning' : '✘'} ${f.code}  ${f.message}`);
  return lines.join('\n');
}
