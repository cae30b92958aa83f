import type { CoverageReport } from './coverage.js';
import type { Footprint } from './footprint.js';

/** The footprint as text: method, then one block per period (lines, total, credits). */
export function formatFootprint(fp: Footprint): string {
  const out = [
    `Footprint of ${fp.commodity.name} (${fp.commodity.code}); 1 credit = ${fp.tonnesPerCredit} t`,
    `Method: ${fp.method}`,
    '',
  ];
  for (const p of fp.periods) {
    out.push(`${p.period} (${p.startDate} to ${p.endDate}): ${p.kg} kg → ${p.credits} credit(s)`);
    for (const l of p.lines)
      out.push(
        `  ${l.productId}${l.name ? ` (${l.name})` : ''}: ${l.units} × ${l.kgPerUnit} kg = ${l.kg} kg [${l.source}]`,
      );
  }
  out.push('', `Total: ${fp.kg} kg → ${fp.credits} credit(s)`);
  return out.join('\n');
}

/** The coverage report as text: share per period, missing products, over-claims. */
export function formatCoverage(report: CoverageReport): string {
  const out: string[] = [];
  for (const p of report.periods) {
    out.push(
      `${p.complete ? '✔' : '✘'} ${p.period}: ${(p.coveredShare * 100).toFixed(2)} % covered (${p.coveredKg} of ${p.footprintKg} kg; retired ${p.retiredKg} kg${p.retirements.length ? ` by ${p.retirements.join(', ')}` : ''})`,
    );
    for (const m of p.missingProducts)
      out.push(`    not covered: ${m.productId}${m.name ? ` (${m.name})` : ''}, ${m.kg} kg`);
  }
  for (const o of report.overClaimed)
    out.push(
      `✘ ${o.productId} claimed beyond ${o.retirementId}: ${o.footprintKg} kg against ${o.retiredKg} kg retired for it`,
    );
  out.push(report.complete ? 'Coverage complete.' : 'Coverage incomplete.');
  return out.join('\n');
}
