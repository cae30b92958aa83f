import { jwsOf, jwsPayload } from '../lib/digest.js';
import { InvalidInputError } from '../errors.js';
import { add, ceilDiv, cmp, decimal, format, mul, ZERO, type Decimal } from '../lib/decimal.js';
import { compact } from '../lib/compact.js';
import { measureKilograms } from '../lib/mass-units.js';
import { parsePeriod } from './period.js';

/**
 * A buyer's footprint of one commodity, per period: the kilograms of the commodity in the
 * products it sold, from UNTP 0.7.0 product passports (material composition) with a units-sold
 * table, and/or from a table of products with kilograms per unit. Pure: inputs in, numbers out.
 */

/** The commodity credited (as in a credit unit): matched by classification code, never by name. */
export interface FootprintCommodity {
  /** E.g. `Co`. */
  code: string;
  name: string;
  /** E.g. `https://iupac.org/what-we-do/periodic-table-of-elements/`. */
  schemeId?: string;
  schemeName?: string;
}

/**
 * A material classification that counts towards the commodity, with the commodity's share of
 * that material's mass (1 when the passport lists the contained metal itself; e.g. 0.2082 for
 * cobalt in cobalt sulphate heptahydrate). Given as a number or exact decimal text.
 */
export interface MaterialMatch {
  code: string;
  /** Compared without a trailing slash; absent matches the code in any scheme. */
  schemeId?: string;
  contentFraction?: number | string;
}

export interface FootprintOptions {
  commodity: FootprintCommodity;
  /** Which material classifications count, default: the commodity's own code and scheme. */
  materials?: MaterialMatch[];
  /** Tonnes of the commodity per credit (default 1). */
  tonnesPerCredit?: number | string;
}

/** One line of the units-sold table. */
export interface UnitsSoldRow {
  productId: string;
  period: string;
  units: number;
}

/** One row of the products table (the CSV route): kilograms of the commodity per unit given directly. */
export interface ProductRow {
  productId: string;
  period: string;
  unitsSold: number;
  kgPerUnit: number | string;
  name?: string;
}

export interface FootprintInput {
  /** Product passports (unsigned JSON, enveloped credentials or compact JWS strings). */
  dpps?: unknown[];
  unitsSold?: UnitsSoldRow[];
  products?: ProductRow[];
}

/** What one passport says about the commodity in one unit of its product. */
export interface ProductComposition {
  productId: string;
  name?: string;
  modelNumber?: string;
  batchNumber?: string;
  /** The passport credential's id. */
  dppId?: string;
  /** Exact decimal text. */
  kgPerUnit: string;
  /** How it was derived, one entry per matched material. */
  basis: string[];
}

export interface FootprintLine {
  productId: string;
  name?: string;
  modelNumber?: string;
  dppId?: string;
  units: number;
  /** Exact decimal text, kilograms of the commodity per unit. */
  kgPerUnit: string;
  /** Exact decimal text, units × kgPerUnit. */
  kg: string;
  source: 'dpp' | 'table';
}

export interface FootprintPeriod {
  period: string;
  startDate: string;
  endDate: string;
  lines: FootprintLine[];
  /** Exact decimal text. */
  kg: string;
  /** Whole credits: ⌈kg / (1000 × tonnesPerCredit)⌉. */
  credits: number;
}

export interface Footprint {
  commodity: FootprintCommodity;
  tonnesPerCredit: string;
  method: string;
  periods: FootprintPeriod[];
  /** Exact decimal text, all periods. */
  kg: string;
  /** Sum of the per-period credits (each period is rounded up on its own: one retirement per claim period). */
  credits: number;
}

export const FOOTPRINT_METHOD =
  "Mass of the commodity per unit = Σ over the passport's materialProvenance entries whose materialType (schemeId + code) matches the commodity: " +
  "material mass (mass, converted from its UNECE Rec 20 unit to kg), or else massFraction × product mass (dimensions.weight), × the commodity's content fraction of that material. " +
  'Footprint per period = Σ units sold × mass per unit (exact decimal arithmetic, no intermediate rounding). ' +
  'Credits per period = footprint in tonnes ÷ tonnes per credit, rounded up to a whole credit; the total is the sum of the periods.';

const slashless = (s: string): string => s.replace(/\/+$/, '');

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The passport payload of an unsigned, enveloped or compact-JWS passport. */
export function passportPayload(dpp: unknown, path = '/dpps/0'): Record<string, unknown> {
  if (typeof dpp === 'string') return jwsPayload(jwsOf(dpp));
  if (isObject(dpp) && typeof dpp.id === 'string' && dpp.id.startsWith('data:application/vc+jwt,'))
    return jwsPayload(jwsOf(JSON.stringify(dpp)));
  if (!isObject(dpp) || !Array.isArray(dpp.type) || !dpp.type.includes('DigitalProductPassport')) {
    throw new InvalidInputError('DPP_INVALID', `${path} is not a DigitalProductPassport`, path);
  }
  return dpp;
}

/**
 * The kilograms of the commodity in one unit of a passport's product (materials matched by
 * classification code, never by name). Codes: DPP_INVALID, MASS_MISSING, UNIT_UNSUPPORTED, INVALID_FIELD.
 *
 * @example
 *   compositionOf(dpp, { commodity: { code: 'Co', name: 'Cobalt', schemeId: IUPAC } }).kgPerUnit // '8.9'
 */
export function compositionOf(dpp: unknown, options: FootprintOptions, path = '/dpps/0'): ProductComposition {
  const payload = passportPayload(dpp, path);
  const subject = payload.credentialSubject;
  if (!isObject(subject) || typeof subject.id !== 'string')
    throw new InvalidInputError(
      'DPP_INVALID',
      `${path}/credentialSubject/id is required`,
      `${path}/credentialSubject/id`,
    );
  const matches = matchesOf(options);
  const materials = Array.isArray(subject.materialProvenance) ? subject.materialProvenance : [];
  let kg = ZERO;
  const basis: string[] = [];
  materials.forEach((material, i) => {
    const at = `${path}/credentialSubject/materialProvenance/${i}`;
    if (!isObject(material) || !isObject(material.materialType)) return;
    const type = material.materialType;
    const match = matches.find(
      (m) =>
        m.code === type.code &&
        (m.schemeId === undefined ||
          (typeof type.schemeId === 'string' && slashless(type.schemeId) === slashless(m.schemeId))),
    );
    if (match === undefined) return;
    let materialKg: Decimal;
    let how: string;
    if (material.mass !== undefined) {
      materialKg = measureKilograms(material.mass, `${at}/mass`);
      how = `mass ${format(materialKg)} kg`;
    } else {
      const dims = isObject(subject.dimensions) ? subject.dimensions : undefined;
      if (material.massFraction === undefined || dims?.weight === undefined) {
        throw new InvalidInputError(
          'MASS_MISSING',
          `${at}: a matched material needs mass, or massFraction and the product's dimensions.weight`,
          `${at}/mass`,
        );
      }
      const productKg = measureKilograms(dims.weight, `${path}/credentialSubject/dimensions/weight`);
      const fraction = decimal(material.massFraction, `${at}/massFraction`);
      materialKg = mul(fraction, productKg);
      how = `massFraction ${format(fraction)} × product mass ${format(productKg)} kg = ${format(materialKg)} kg`;
    }
    const content = match.contentFraction;
    const commodityKg = mul(materialKg, content);
    if (cmp(content, decimal(1, 'contentFraction')) !== 0)
      how += ` × content fraction ${format(content)} = ${format(commodityKg)} kg`;
    kg = add(kg, commodityKg);
    basis.push(`${typeof material.name === 'string' ? material.name : `material ${i}`} (${String(type.code)}): ${how}`);
  });
  if (basis.length === 0) basis.push(`no material classified as ${options.commodity.code}: 0 kg`);
  return compact({
    productId: subject.id,
    name: typeof subject.name === 'string' ? subject.name : undefined,
    modelNumber: typeof subject.modelNumber === 'string' ? subject.modelNumber : undefined,
    batchNumber: typeof subject.batchNumber === 'string' ? subject.batchNumber : undefined,
    dppId: typeof payload.id === 'string' ? payload.id : undefined,
    kgPerUnit: format(kg),
    basis,
  });
}

function matchesOf(
  options: FootprintOptions,
): Array<{ code: string; schemeId: string | undefined; contentFraction: Decimal }> {
  if (!isObject(options.commodity) || typeof options.commodity.code !== 'string' || options.commodity.code === '') {
    throw new InvalidInputError('MISSING_FIELD', 'commodity.code is required', '/commodity/code');
  }
  const list: MaterialMatch[] = options.materials ?? [
    compact({ code: options.commodity.code, schemeId: options.commodity.schemeId }),
  ];
  return list.map((m, i) => {
    const content = decimal(m.contentFraction ?? 1, `/materials/${i}/contentFraction`);
    if (cmp(content, decimal(1, '')) > 0)
      throw new InvalidInputError(
        'INVALID_FIELD',
        `/materials/${i}/contentFraction must be at most 1`,
        `/materials/${i}/contentFraction`,
      );
    return { code: m.code, schemeId: m.schemeId, contentFraction: content };
  });
}

function units(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new InvalidInputError(
      'INVALID_FIELD',
      `${path} must be a whole number of units ≥ 0, got ${JSON.stringify(value)}`,
      path,
    );
  return value;
}

/**
 * Computes the footprint per period and the whole credits that cover it. Codes: PRODUCT_UNKNOWN
 * (units sold for a product with no passport), DUPLICATE_PRODUCT_PERIOD, PERIOD_INVALID,
 * INVALID_FIELD, and those of `compositionOf`.
 *
 * @example
 *   const fp = computeFootprint({ dpps: [dpp], unitsSold: [{ productId: dppProductId, period: '2026', units: 2800 }] }, { commodity: COBALT });
 *   fp.periods[0].kg      // '24920'
 *   fp.periods[0].credits // 25
 */
export function computeFootprint(input: FootprintInput, options: FootprintOptions): Footprint {
  const tonnesPerCredit = decimal(options.tonnesPerCredit ?? 1, '/tonnesPerCredit');
  if (tonnesPerCredit.n === 0n)
    throw new InvalidInputError('QUANTITY_NOT_POSITIVE', '/tonnesPerCredit must be positive', '/tonnesPerCredit');
  const compositions = new Map<string, ProductComposition>();
  (input.dpps ?? []).forEach((dpp, i) => {
    const c = compositionOf(dpp, options, `/dpps/${i}`);
    compositions.set(c.productId, c);
  });
  const lines: Array<FootprintLine & { p: ReturnType<typeof parsePeriod> }> = [];
  const seen = new Set<string>();
  const once = (productId: string, period: string, path: string): void => {
    const key = `${productId}\u0000${period}`;
    if (seen.has(key))
      throw new InvalidInputError(
        'DUPLICATE_PRODUCT_PERIOD',
        `${path}: ${productId} is counted twice for ${period}`,
        path,
      );
    seen.add(key);
  };
  (input.unitsSold ?? []).forEach((row, i) => {
    const path = `/unitsSold/${i}`;
    const c = compositions.get(row.productId);
    if (c === undefined)
      throw new InvalidInputError(
        'PRODUCT_UNKNOWN',
        `${path}/productId: no passport for ${row.productId}`,
        `${path}/productId`,
      );
    const p = parsePeriod(row.period, `${path}/period`);
    once(row.productId, p.label, path);
    const n = units(row.units, `${path}/units`);
    lines.push(
      compact({
        p,
        productId: c.productId,
        name: c.name,
        modelNumber: c.modelNumber,
        dppId: c.dppId,
        units: n,
        kgPerUnit: c.kgPerUnit,
        kg: format(mul(decimal(n, ''), decimal(c.kgPerUnit, ''))),
        source: 'dpp' as const,
      }),
    );
  });
  (input.products ?? []).forEach((row, i) => {
    const path = `/products/${i}`;
    if (typeof row.productId !== 'string' || row.productId === '')
      throw new InvalidInputError('MISSING_FIELD', `${path}/productId is required`, `${path}/productId`);
    const p = parsePeriod(row.period, `${path}/period`);
    once(row.productId, p.label, path);
    const n = units(row.unitsSold, `${path}/unitsSold`);
    const perUnit = decimal(row.kgPerUnit, `${path}/kgPerUnit`);
    lines.push(
      compact({
        p,
        productId: row.productId,
        name: row.name,
        units: n,
        kgPerUnit: format(perUnit),
        kg: format(mul(decimal(n, ''), perUnit)),
        source: 'table' as const,
      }),
    );
  });
  const byPeriod = new Map<string, FootprintPeriod & { total: Decimal }>();
  for (const { p, ...line } of lines) {
    let entry = byPeriod.get(p.label);
    if (entry === undefined)
      byPeriod.set(
        p.label,
        (entry = {
          period: p.label,
          startDate: p.startDate,
          endDate: p.endDate,
          lines: [],
          kg: '0',
          credits: 0,
          total: ZERO,
        }),
      );
    entry.lines.push(line);
    entry.total = add(entry.total, decimal(line.kg, ''));
  }
  const perCreditKg = mul(tonnesPerCredit, decimal(1000, ''));
  let total = ZERO;
  let credits = 0;
  const periods = [...byPeriod.values()]
    .sort((a, b) => a.startDate.localeCompare(b.startDate) || a.endDate.localeCompare(b.endDate))
    .map(({ total: kg, ...period }) => {
      total = add(total, kg);
      const n = Number(ceilDiv(kg, perCreditKg));
      credits += n;
      return {
        ...period,
        lines: period.lines.sort((a, b) => a.productId.localeCompare(b.productId)),
        kg: format(kg),
        credits: n,
      };
    });
  return {
    commodity: options.commodity,
    tonnesPerCredit: format(tonnesPerCredit),
    method: FOOTPRINT_METHOD,
    periods,
    kg: format(total),
    credits,
  };
}
