import { InvalidInputError } from '../errors.js';
import { decimal, format, mul } from '../lib/decimal.js';
import type { Footprint } from './footprint.js';

/** What the buyer adds to a draft: who retires, for whom, where the claim is made. All optional. */
export interface DraftOptions {
  /** The period to draft for (a label of the footprint); required when it has several. */
  period?: string;
  account?: string;
  beneficiary?: Record<string, unknown>;
  market?: string[];
  allowedClaim?: string;
  /** The registry's attestation levels for the retirement (default: the reference scheme's, 3rdParty / scheme-self). */
  assessorLevel?: string;
  assessmentLevel?: string;
  /** Link to each product's passport (by product id). */
  dppLinks?: Record<
    string,
    { linkURL: string; linkName: string; mediaType?: string; linkType?: string; digestMultibase?: string }
  >;
}

/** A retirement request body (as `untp-credits retire --body` and POST /registry/retirements take it), to complete and submit. */
export interface DraftRetirementRequest {
  account?: string;
  quantity: number;
  assessorLevel: string;
  assessmentLevel: string;
  purpose: 'product-claim';
  purposeDetails: string;
  beneficiary?: Record<string, unknown>;
  claimBoundary: {
    claimPeriod: { startDate: string; endDate: string };
    scope: 'listed-products';
    coveredProducts: Array<{
      id: string;
      name: string;
      modelNumber?: string;
      quantity: number;
      dppLink?: Record<string, unknown>;
    }>;
    coveredQuantity: { value: number; unit: 'TNE' };
    market?: string[];
    allowedClaim?: string;
    claimRules: string;
  };
}

/**
 * Drafts the retirement request that covers one footprint period: whole credits (rounded up),
 * its claim boundary listing every product with a footprint in the period and the tonnes
 * attributed to each (exact, so they add up to at most the covered quantity).
 * Codes: PERIOD_REQUIRED, PERIOD_UNKNOWN.
 *
 * @example
 *   draftRetirementRequest(footprint, { period: '2026', account: 'ACC-DE-0042' }).quantity // 25
 */
export function draftRetirementRequest(footprint: Footprint, options: DraftOptions = {}): DraftRetirementRequest {
  if (options.period === undefined && footprint.periods.length !== 1) {
    throw new InvalidInputError(
      'PERIOD_REQUIRED',
      `the footprint has ${footprint.periods.length} periods; name one (${footprint.periods.map((p) => p.period).join(', ')})`,
      '/period',
    );
  }
  const period =
    options.period === undefined ? footprint.periods[0] : footprint.periods.find((p) => p.period === options.period);
  if (period === undefined)
    throw new InvalidInputError('PERIOD_UNKNOWN', `no footprint for period ${String(options.period)}`, '/period');
  const tonnes = (kg: string): number => Number(format(mul(decimal(kg, ''), decimal('0.001', ''))));
  const coveredTonnes = Number(format(mul(decimal(period.credits, ''), decimal(footprint.tonnesPerCredit, ''))));
  const products = period.lines
    .filter((l) => decimal(l.kg, '').n > 0n)
    .map((l) => {
      const link = options.dppLinks?.[l.productId];
      return {
        id: l.productId,
        name: l.name ?? l.productId,
        ...(l.modelNumber ? { modelNumber: l.modelNumber } : {}),
        quantity: tonnes(l.kg),
        ...(link ? { dppLink: link } : {}),
      };
    });
  const what = footprint.commodity.name.toLowerCase();
  const purposeDetails = `Covers the ${what} in ${period.lines.map((l) => `${l.units.toLocaleString('en')} × ${l.name ?? l.productId} (${l.kgPerUnit} kg each)`).join(', ')} sold in ${period.period}: ${format(mul(decimal(period.kg, ''), decimal('0.001', '')))} t, rounded up to ${period.credits} credit(s).`;
  return {
    ...(options.account ? { account: options.account } : {}),
    quantity: period.credits,
    assessorLevel: options.assessorLevel ?? '3rdParty',
    assessmentLevel: options.assessmentLevel ?? 'scheme-self',
    purpose: 'product-claim',
    purposeDetails,
    ...(options.beneficiary ? { beneficiary: options.beneficiary } : {}),
    claimBoundary: {
      claimPeriod: { startDate: period.startDate, endDate: period.endDate },
      scope: 'listed-products',
      coveredProducts: products,
      coveredQuantity: { value: coveredTonnes, unit: 'TNE' },
      ...(options.market ? { market: options.market } : {}),
      ...(options.allowedClaim ? { allowedClaim: options.allowedClaim } : {}),
      claimRules: 'https://w3id.org/untp-credits/docs/credit-credentials#claim-rules',
    },
  };
}
