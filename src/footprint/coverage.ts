import { jwsOf, jwsPayload } from '../lib/digest.js';
import { InvalidInputError } from '../errors.js';
import { add, cmp, decimal, format, mul, sub, ZERO, type Decimal } from '../lib/decimal.js';
import { type Footprint } from './footprint.js';
import { measureKilograms } from '../lib/mass-units.js';
import { periodContains } from './period.js';

/** What coverage needs from one retirement credential. */
export interface RetirementCover {
  id: string;
  retirementId: string;
  startDate: string;
  endDate: string;
  scope: string;
  /** Products named in the claim boundary, with the quantity attributed to each (kg) when stated. */
  products: Map<string, Decimal | undefined>;
  /** The claim boundary's covered quantity, kg. */
  kg: Decimal;
}

export interface CoveragePeriod {
  period: string;
  startDate: string;
  endDate: string;
  /** Exact decimal text, kg. */
  footprintKg: string;
  /** Retired quantity allotted to this period (kg), from retirements whose claim period contains it. */
  retiredKg: string;
  /** Footprint kg of covered products, up to the retired quantity. */
  coveredKg: string;
  /** coveredKg ÷ footprintKg, rounded down to 4 decimals (1 when the footprint is 0). */
  coveredShare: number;
  retirements: string[];
  /** Products with a footprint in the period that no applicable retirement names. */
  missingProducts: Array<{ productId: string; name?: string; kg: string }>;
  complete: boolean;
}

export interface OverClaim {
  retirementId: string;
  productId: string;
  /** The product's footprint under this retirement's claim period, kg. */
  footprintKg: string;
  /** What the retirement attributes to the product (or, with no attribution, to all its products), kg. */
  retiredKg: string;
}

export interface CoverageReport {
  periods: CoveragePeriod[];
  overClaimed: OverClaim[];
  /** Every period fully covered and no product claimed beyond its retired quantity. */
  complete: boolean;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Reads a CreditRetirementCredential (unsigned, enveloped or compact JWS) for coverage.
 * Codes: RETIREMENT_INVALID.
 */
export function retirementCover(credential: unknown, path = '/retirements/0'): RetirementCover {
  const vc =
    typeof credential === 'string' ||
    (isObject(credential) && typeof credential.id === 'string' && credential.id.startsWith('data:'))
      ? jwsPayload(jwsOf(typeof credential === 'string' ? credential : JSON.stringify(credential)))
      : credential;
  const subject = isObject(vc) && isObject(vc.credentialSubject) ? vc.credentialSubject : {};
  const r = subject.creditRetirement;
  const boundary = isObject(r) ? r.claimBoundary : undefined;
  if (
    !isObject(vc) ||
    !Array.isArray(vc.type) ||
    !vc.type.includes('CreditRetirementCredential') ||
    !isObject(r) ||
    !isObject(boundary) ||
    !isObject(boundary.claimPeriod)
  ) {
    throw new InvalidInputError(
      'RETIREMENT_INVALID',
      `${path} is not a CreditRetirementCredential with a claim boundary`,
      path,
    );
  }
  const products = new Map<string, Decimal | undefined>();
  const unit = isObject(boundary.coveredQuantity) ? boundary.coveredQuantity.unit : undefined;
  for (const [i, p] of (Array.isArray(boundary.coveredProducts) ? boundary.coveredProducts : []).entries()) {
    if (!isObject(p) || typeof p.id !== 'string') continue;
    products.set(
      p.id,
      typeof p.quantity === 'number'
        ? measureKilograms(
            { value: p.quantity, unit },
            `${path}/credentialSubject/creditRetirement/claimBoundary/coveredProducts/${i}/quantity`,
          )
        : undefined,
    );
  }
  // The quantity attributed to each product is read the UNTP way: the retired-quantity measure of
  // the conformity assessment whose assessed product it is (the claim boundary lists ids only).
  for (const [i, a] of (Array.isArray(subject.conformityAssessment) ? subject.conformityAssessment : []).entries()) {
    if (!isObject(a) || !Array.isArray(a.assessedProduct)) continue;
    const performance = Array.isArray(a.assessedPerformance)
      ? a.assessedPerformance.find(
          (p) => isObject(p) && isObject(p.metric) && String(p.metric.id).endsWith('#metric-retired-quantity'),
        )
      : undefined;
    if (!isObject(performance)) continue;
    for (const ap of a.assessedProduct) {
      const id = isObject(ap) && isObject(ap.product) && typeof ap.product.id === 'string' ? ap.product.id : undefined;
      if (id !== undefined && products.has(id))
        products.set(
          id,
          measureKilograms(
            performance.measure,
            `${path}/credentialSubject/conformityAssessment/${i}/assessedPerformance/0/measure`,
          ),
        );
    }
  }
  return {
    id: String(vc.id),
    retirementId: typeof r.retirementId === 'string' ? r.retirementId : String(vc.id),
    startDate: String(boundary.claimPeriod.startDate),
    endDate: String(boundary.claimPeriod.endDate),
    scope: String(boundary.scope),
    products,
    kg: measureKilograms(
      boundary.coveredQuantity,
      `${path}/credentialSubject/creditRetirement/claimBoundary/coveredQuantity`,
    ),
  };
}

const share = (part: Decimal, whole: Decimal): number => {
  if (whole.n === 0n) return 1;
  // Rounded down so an uncovered gram never shows as 100 %.
  const [p, w] = [mul(part, decimal(10000, '')), whole];
  const scale = Math.max(p.scale, w.scale);
  const x = p.n * 10n ** BigInt(scale - p.scale);
  const y = w.n * 10n ** BigInt(scale - w.scale);
  return Number(x / y) / 10000;
};
const min = (a: Decimal, b: Decimal): Decimal => (cmp(a, b) <= 0 ? a : b);

/**
 * Which share of each footprint period the retirements cover, which products they leave out,
 * and which products are claimed beyond what was retired for them.
 *
 * A retirement applies to the footprint periods its claim period contains; its covered quantity
 * is allotted to those periods in date order, each taking what it still needs (so one tonne never
 * counts twice). A period's covered kilograms are the footprint of the products the applicable
 * retirements name, up to the quantity allotted. A product is claimed beyond the retired quantity
 * when its footprint over a retirement's claim period exceeds the quantity that retirement
 * attributes to it (the retired-quantity measure of the conformity assessment of that product; or,
 * without attribution, when its named products together exceed the covered quantity). Organisation-scoped retirements name no products and cover none.
 *
 * @example
 *   const report = checkCoverage(footprint, [retirementVc]);
 *   report.periods[0].coveredShare // 1
 *   report.periods[1].missingProducts // [{ productId: 'https://id…/ECW-50', kg: '5940' }]
 */
export function checkCoverage(footprint: Footprint, retirements: unknown[]): CoverageReport {
  const covers = retirements.map((r, i) => retirementCover(r, `/retirements/${i}`));
  const remaining = covers.map((c) => c.kg);
  const periods: CoveragePeriod[] = footprint.periods.map((period) => {
    const footprintKg = decimal(period.kg, '');
    const applicable = covers
      .map((c, i) => [c, i] as const)
      .filter(([c]) => c.scope !== 'organisation' && periodContains(c, period));
    const named = new Set(applicable.flatMap(([c]) => [...c.products.keys()]));
    let coveredFootprint = ZERO;
    const missingProducts: CoveragePeriod['missingProducts'] = [];
    for (const line of period.lines) {
      if (named.has(line.productId)) coveredFootprint = add(coveredFootprint, decimal(line.kg, ''));
      else if (decimal(line.kg, '').n > 0n)
        missingProducts.push({ productId: line.productId, ...(line.name ? { name: line.name } : {}), kg: line.kg });
    }
    let allotted = ZERO;
    for (const [, i] of applicable) {
      const need = sub(coveredFootprint, allotted);
      if (need.n <= 0n) break;
      const take = min(need, remaining[i] ?? ZERO);
      allotted = add(allotted, take);
      remaining[i] = sub(remaining[i] ?? ZERO, take);
    }
    const coveredKg = min(coveredFootprint, allotted);
    const coveredShare = share(coveredKg, footprintKg);
    return {
      period: period.period,
      startDate: period.startDate,
      endDate: period.endDate,
      footprintKg: period.kg,
      retiredKg: format(allotted),
      coveredKg: format(coveredKg),
      coveredShare,
      retirements: applicable.map(([c]) => c.retirementId),
      missingProducts,
      complete: cmp(coveredKg, footprintKg) >= 0,
    };
  });
  const overClaimed: OverClaim[] = [];
  for (const c of covers) {
    const footprintOf = (productId: string): Decimal =>
      footprint.periods
        .filter((p) => periodContains(c, p))
        .flatMap((p) => p.lines.filter((l) => l.productId === productId))
        .reduce((sum, l) => add(sum, decimal(l.kg, '')), ZERO);
    const unattributed = [...c.products].filter(([, kg]) => kg === undefined).map(([id]) => id);
    for (const [productId, kg] of c.products) {
      if (kg === undefined) continue;
      const used = footprintOf(productId);
      if (cmp(used, kg) > 0)
        overClaimed.push({ retirementId: c.retirementId, productId, footprintKg: format(used), retiredKg: format(kg) });
    }
    const attributed = [...c.products.values()].reduce<Decimal>((sum, kg) => add(sum, kg ?? ZERO), ZERO);
    const pool = sub(c.kg, attributed);
    const together = unattributed.reduce((sum, id) => add(sum, footprintOf(id)), ZERO);
    if (unattributed.length > 0 && cmp(together, pool) > 0) {
      for (const productId of unattributed)
        overClaimed.push({
          retirementId: c.retirementId,
          productId,
          footprintKg: format(footprintOf(productId)),
          retiredKg: format(pool),
        });
    }
  }
  return { periods, overClaimed, complete: overClaimed.length === 0 && periods.every((p) => p.complete) };
}
