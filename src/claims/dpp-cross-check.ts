import type { ErrorCode } from '../errors/catalogue.js';
import { isObject } from '../credits/check.js';
import { checkDigest } from '../lib/digest.js';
import { CREDIT_RETIREMENT_TYPE, DCC_LINK_TYPE } from '../credits/vocabulary.js';
import { add, cmp, decimal, mul, ZERO, type Decimal } from '../lib/decimal.js';
import { convertMass, kilograms, MASS_UNITS } from '../lib/mass-units.js';

/**
 * The DPP cross-check: passports that cite a credit retirement as evidence of a performance claim
 * are checked against the retirement itself — the cited digest, the claim boundary (product or
 * product line, period, market), and the quantities all passports citing one retirement claim,
 * summed, against what it retired. Pure: the caller verifies signatures and passes what verified.
 */

type Obj = Record<string, unknown>;

/** The EU member states (ISO 3166-1 alpha-2), for a claim boundary whose market is "EU". */
export const EU_MEMBERS = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
] as const;

/** A retirement the cross-check can compare against: its compact JWS (digests are over these bytes) and payload. */
export interface KnownRetirement {
  jws: string;
  credential: Obj;
  /** False when the retirement itself failed verification (the DPP's claim then fails too). */
  valid: boolean;
}

/** A passport to check (its payload; signature checked by the caller). */
export interface PassportInput {
  /** Where it came from, for the report. */
  source: string;
  credential: Obj;
  /** Whether its own signature verified (reported, not re-checked here). */
  verified?: boolean;
}

export interface CrossCheckFinding {
  code: ErrorCode;
  ok: boolean;
  message: string;
  passport?: string;
  retirement?: string;
  claim?: string;
}

export interface CrossCheckOptions {
  /** The market the passports are used in (ISO 3166-1/-2, or a bloc like EU): checked against the claim boundary. */
  market?: string;
}

export interface CrossCheckReport {
  ok: boolean;
  findings: CrossCheckFinding[];
  /** Per retirement: what the passports claim in total, in the retired unit. */
  totals: Array<{ retirement: string; claimed: number; retired: number; unit: string; passports: string[] }>;
}

function objects(value: unknown): Obj[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function typesOf(value: Obj): string[] {
  return Array.isArray(value.type)
    ? value.type.filter((t): t is string => typeof t === 'string')
    : typeof value.type === 'string'
      ? [value.type]
      : [];
}

function inMarket(market: string, allowed: string[]): boolean {
  const country = market.slice(0, 2).toUpperCase();
  return allowed.some(
    (m) => m === market || m === country || (m === 'EU' && (EU_MEMBERS as readonly string[]).includes(country)),
  );
}

/**
 * Cross-checks passports against the retirements they cite. For each performance claim whose
 * evidence is a UNTP DCC link, the cited retirement is found by digest (or, to report a digest
 * mismatch, by URL). Codes (each a failure unless noted): DPP_RETIREMENT_UNKNOWN (warning: the
 * cited retirement was not given), DPP_DIGEST_MISMATCH, DPP_RETIREMENT_INVALID,
 * DPP_PRODUCT_OUTSIDE_BOUNDARY, DPP_PERIOD_OUTSIDE_BOUNDARY, DPP_MARKET_OUTSIDE_BOUNDARY,
 * DPP_UNIT_INCOMPATIBLE, DPP_CLAIMS_EXCEED_RETIRED. The same passport (by id) counts once.
 *
 * @example
 *   const report = crossCheckPassports([{ source: 'a.json', credential: dpp }], [{ jws, credential: retirement, valid: true }]);
 *   report.findings.filter((f) => !f.ok).map((f) => f.code); // ['DPP_CLAIMS_EXCEED_RETIRED']
 */
export function crossCheckPassports(
  passports: readonly PassportInput[],
  retirements: readonly KnownRetirement[],
  options: CrossCheckOptions = {},
): CrossCheckReport {
  const findings: CrossCheckFinding[] = [];
  const byUrl = new Map<string, KnownRetirement>();
  for (const r of retirements) if (typeof r.credential.id === 'string') byUrl.set(r.credential.id, r);
  const totals = new Map<string, Total>();
  const seen = new Set<string>();

  for (const passport of passports) {
    const dpp = passport.credential;
    const dppId = typeof dpp.id === 'string' ? dpp.id : passport.source;
    if (seen.has(dppId)) continue;
    seen.add(dppId);
    const subject = isObject(dpp.credentialSubject) ? dpp.credentialSubject : {};
    const productId = typeof subject.id === 'string' ? subject.id : undefined;
    for (const claim of objects(subject.performanceClaim)) {
      const claimId = typeof claim.id === 'string' ? claim.id : '(claim)';
      for (const evidence of objects(claim.evidence).filter((e) => e.linkType === DCC_LINK_TYPE)) {
        const digest = typeof evidence.digestMultibase === 'string' ? evidence.digestMultibase : undefined;
        const at = { passport: dppId, claim: claimId };
        const retirement =
          digest === undefined
            ? undefined
            : retirements.find((r) => {
                try {
                  return checkDigest(r.jws, digest);
                } catch {
                  return false;
                }
              });
        if (!retirement) {
          const named = typeof evidence.linkURL === 'string' ? byUrl.get(evidence.linkURL) : undefined;
          if (named) {
            findings.push({
              code: 'DPP_DIGEST_MISMATCH',
              ok: false,
              ...at,
              retirement: String(named.credential.id),
              message: `${dppId} cites ${String(evidence.linkURL)} with digest ${digest ?? '(none)'}, which is not the digest of the retirement given`,
            });
          } else {
            findings.push({
              code: 'DPP_RETIREMENT_UNKNOWN',
              ok: true,
              ...at,
              message: `${dppId} cites ${String(evidence.linkURL)} (${digest ?? 'no digest'}), which was not given to the verifier: not cross-checked`,
            });
          }
          continue;
        }
        const rc = retirement.credential;
        const retirementId = String(rc.id);
        if (!typesOf(rc).includes(CREDIT_RETIREMENT_TYPE)) continue;
        if (!retirement.valid) {
          findings.push({
            code: 'DPP_RETIREMENT_INVALID',
            ok: false,
            ...at,
            retirement: retirementId,
            message: `${dppId} cites retirement ${retirementId}, which did not verify`,
          });
        }
        const ext =
          isObject(rc.credentialSubject) && isObject(rc.credentialSubject.creditRetirement)
            ? rc.credentialSubject.creditRetirement
            : {};
        const boundary = isObject(ext.claimBoundary) ? ext.claimBoundary : {};
        checkProduct(findings, at, retirementId, productId, subject, boundary, rc);
        checkPeriod(findings, at, retirementId, claim, boundary);
        const markets = Array.isArray(boundary.market)
          ? boundary.market.filter((m): m is string => typeof m === 'string')
          : [];
        if (options.market !== undefined && !inMarket(options.market, markets)) {
          findings.push({
            code: 'DPP_MARKET_OUTSIDE_BOUNDARY',
            ok: false,
            ...at,
            retirement: retirementId,
            message: `market ${options.market} is outside the claim boundary's markets (${markets.join(', ')})`,
          });
        }
        // Quantities: the claimed performance, converted explicitly into the retired unit.
        const firstUnit = objects(ext.retiredUnits)[0];
        const creditUnit = firstUnit && isObject(firstUnit.creditUnit) ? firstUnit.creditUnit : {};
        const unit = typeof creditUnit.unit === 'string' ? creditUnit.unit : 'TNE';
        const perCredit = typeof creditUnit.quantityPerCredit === 'number' ? creditUnit.quantityPerCredit : 1;
        const retired = (typeof ext.totalQuantity === 'number' ? ext.totalQuantity : 0) * perCredit;
        const total = totals.get(retirementId) ?? {
          claimed: 0,
          claimedKg: ZERO,
          retired,
          retiredKg: exactKg(() => mul(decimal(ext.totalQuantity, '/'), kilograms(perCredit, unit, '/', '/'))),
          unit,
          passports: [],
        };
        for (const performance of objects(claim.claimedPerformance)) {
          const measure = isObject(performance.measure) ? performance.measure : {};
          if (typeof measure.value !== 'number' || typeof measure.unit !== 'string') continue;
          const converted = convertMass(measure.value, measure.unit, unit);
          const kg = exactKg(() => kilograms(measure.value, measure.unit, '/', '/'));
          if (converted === undefined || kg === undefined || total.retiredKg === undefined) {
            findings.push({
              code: 'DPP_UNIT_INCOMPATIBLE',
              ok: false,
              ...at,
              retirement: retirementId,
              message:
                converted === undefined
                  ? `${dppId} claims ${measure.value} ${measure.unit}, which cannot be converted to the retired unit ${unit} (UN/ECE Rec 20 mass units only: ${Object.keys(MASS_UNITS).join(', ')})`
                  : `${dppId} claims ${measure.value} ${measure.unit}, which is not a non-negative quantity comparable with what was retired`,
            });
            continue;
          }
          total.claimed += converted;
          total.claimedKg = add(total.claimedKg, kg);
        }
        if (!total.passports.includes(dppId)) total.passports.push(dppId);
        totals.set(retirementId, total);
      }
    }
  }
  for (const [retirement, t] of totals) {
    // Exact, in kilograms: no tolerance, so no excess hides in a rounding error.
    if (t.retiredKg !== undefined && cmp(t.claimedKg, t.retiredKg) > 0) {
      findings.push({
        code: 'DPP_CLAIMS_EXCEED_RETIRED',
        ok: false,
        retirement,
        message: `${t.passports.length} passport(s) citing ${retirement} claim ${round(t.claimed)} ${t.unit} in total, but it retired ${t.retired} ${t.unit} (${t.passports.join(', ')})`,
      });
    }
  }
  return {
    ok: findings.every((f) => f.ok),
    findings,
    totals: [...totals].map(([retirement, t]) => ({
      retirement,
      claimed: round(t.claimed),
      retired: t.retired,
      unit: t.unit,
      passports: t.passports,
    })),
  };
}

interface Total {
  /** For the report, in the retired unit (a double). */
  claimed: number;
  /** For the comparison: exact. */
  claimedKg: Decimal;
  retired: number;
  /** Undefined when the retirement's own unit or quantity is not one the table can weigh. */
  retiredKg: Decimal | undefined;
  unit: string;
  passports: string[];
}

/** A mass in kg, or undefined when the value is not a non-negative decimal or the unit not in the table. */
function exactKg(weigh: () => Decimal): Decimal | undefined {
  try {
    return weigh();
  } catch {
    return undefined;
  }
}

function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

function checkProduct(
  findings: CrossCheckFinding[],
  at: { passport: string; claim: string },
  retirementId: string,
  productId: string | undefined,
  product: Obj,
  boundary: Obj,
  retirement: Obj,
): void {
  const scope = boundary.scope;
  if (scope === 'organisation') {
    findings.push({
      code: 'DPP_PRODUCT_OUTSIDE_BOUNDARY',
      ok: false,
      ...at,
      retirement: retirementId,
      message: `retirement ${retirementId} is scoped to an organisation: it backs no product claim`,
    });
    return;
  }
  // The covered products as the retirement lists them, with model and batch from its assessments.
  const covered = objects(boundary.coveredProducts).map((p) => ({ ...p }));
  const subject = isObject(retirement.credentialSubject) ? retirement.credentialSubject : {};
  for (const assessment of objects(subject.conformityAssessment)) {
    for (const ap of objects(assessment.assessedProduct)) if (isObject(ap.product)) covered.push(ap.product);
  }
  const matches = covered.some(
    (c) =>
      (productId !== undefined && c.id === productId) ||
      (scope === 'product-line' && typeof c.modelNumber === 'string' && c.modelNumber === product.modelNumber) ||
      (typeof c.batchNumber === 'string' &&
        c.batchNumber === product.batchNumber &&
        (c.modelNumber === undefined || c.modelNumber === product.modelNumber)),
  );
  if (!matches) {
    findings.push({
      code: 'DPP_PRODUCT_OUTSIDE_BOUNDARY',
      ok: false,
      ...at,
      retirement: retirementId,
      message: `product ${productId ?? '(no id)'}${typeof product.batchNumber === 'string' ? ` batch ${product.batchNumber}` : ''} is not a ${String(scope)} covered by retirement ${retirementId}`,
    });
  }
}

function checkPeriod(
  findings: CrossCheckFinding[],
  at: { passport: string; claim: string },
  retirementId: string,
  claim: Obj,
  boundary: Obj,
): void {
  const period = isObject(boundary.claimPeriod) ? boundary.claimPeriod : {};
  const start = typeof period.startDate === 'string' ? period.startDate : undefined;
  const end = typeof period.endDate === 'string' ? period.endDate : undefined;
  if (!start || !end) return;
  const applicable = isObject(claim.applicablePeriod) ? claim.applicablePeriod : {};
  const dates = [applicable.startDate, applicable.endDate, claim.claimDate]
    .filter((d): d is string => typeof d === 'string')
    .map((d) => d.slice(0, 10));
  const outside = dates.filter((d) => d < start || d > end);
  if (outside.length > 0) {
    findings.push({
      code: 'DPP_PERIOD_OUTSIDE_BOUNDARY',
      ok: false,
      ...at,
      retirement: retirementId,
      message: `the claim's dates ${outside.join(', ')} fall outside the claim period ${start} – ${end}`,
    });
  }
}
