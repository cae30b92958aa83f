import { InvalidInputError } from '../errors.js';
import { decimal, mul, type Decimal } from './decimal.js';

/**
 * The one table of mass units: UN/ECE Recommendation 20 common codes, as UNTP 0.7.0 `Measure.unit`
 * uses them (`https://vocabulary.uncefact.org/UnitMeasureCode#` — the UNTP metrics vocabulary
 * allows TNE, KGM and GRM for masses). Every comparison of a claim with what was retired, every
 * footprint and every passport cross-check reads its factors here; a code not in this table is
 * refused (UNIT_UNSUPPORTED), never skipped or guessed.
 *
 * `kg` is the exact decimal text of one unit in kilograms. Metric units are powers of ten; the
 * avoirdupois and troy units are exact by the 1959 international yard and pound agreement
 * (1 lb = 0.45359237 kg exactly; 1 oz = 1/16 lb; 1 oz t = 480 grains of 64.79891 mg; short ton =
 * 2000 lb; long ton = 2240 lb). Rec 20 prints the non-metric factors rounded to 7 figures; the
 * definitions are used here so that 2000 LBR is exactly 1 STN.
 */
export interface MassUnit {
  /** The Rec 20 common code, e.g. `TNE`. */
  readonly code: string;
  /** The Rec 20 name. */
  readonly name: string;
  /** The unit symbol, for display. */
  readonly symbol: string;
  /** One unit in kilograms, as exact decimal text. */
  readonly kg: string;
}

const UNITS: readonly MassUnit[] = [
  { code: 'MC', name: 'microgram', symbol: 'µg', kg: '0.000000001' },
  { code: 'MGM', name: 'milligram', symbol: 'mg', kg: '0.000001' },
  { code: 'CGM', name: 'centigram', symbol: 'cg', kg: '0.00001' },
  { code: 'CTM', name: 'carat (metric)', symbol: 'ct', kg: '0.0002' },
  { code: 'GRM', name: 'gram', symbol: 'g', kg: '0.001' },
  { code: 'HGM', name: 'hectogram', symbol: 'hg', kg: '0.1' },
  { code: 'KGM', name: 'kilogram', symbol: 'kg', kg: '1' },
  { code: 'DTN', name: 'decitonne', symbol: 'dt', kg: '100' },
  { code: 'TNE', name: 'tonne (metric ton)', symbol: 't', kg: '1000' },
  { code: 'KTN', name: 'kilotonne', symbol: 'kt', kg: '1000000' },
  { code: 'ONZ', name: 'ounce (avoirdupois)', symbol: 'oz', kg: '0.028349523125' },
  { code: 'APZ', name: 'troy ounce or apothecary ounce', symbol: 'tr oz', kg: '0.0311034768' },
  { code: 'LBR', name: 'pound', symbol: 'lb', kg: '0.45359237' },
  { code: 'STN', name: 'ton (US) or short ton (UK/US)', symbol: 'ton (US)', kg: '907.18474' },
  { code: 'LTN', name: 'ton (UK) or long ton (US)', symbol: 'ton (UK)', kg: '1016.0469088' },
];

/** The mass units by Rec 20 code. */
export const MASS_UNITS: Readonly<Record<string, MassUnit>> = Object.freeze(
  Object.fromEntries(UNITS.map((unit) => [unit.code, Object.freeze(unit)])),
);

const CODES = UNITS.map((unit) => unit.code).join(', ');

/**
 * The mass unit with this Rec 20 code, or UNIT_UNSUPPORTED naming `path` (codes are case-sensitive:
 * `kg` is not `KGM`). `field` names the unit in the message when `path` points at its container
 * (a signed credential, say).
 *
 * @example massUnit('TNE', '/claimBoundary/coveredQuantity/unit').kg; // '1000'
 */
export function massUnit(code: unknown, path: string, field = path): MassUnit {
  const unit = typeof code === 'string' && Object.hasOwn(MASS_UNITS, code) ? MASS_UNITS[code] : undefined;
  if (unit === undefined)
    throw new InvalidInputError(
      'UNIT_UNSUPPORTED',
      `${field} must be a UN/ECE Rec 20 mass unit code (${CODES}), got ${JSON.stringify(code)}`,
      path,
    );
  return unit;
}

/**
 * An exact quantity in kilograms: `value` (a number or decimal text, read as written) in `unit`.
 * Throws UNIT_UNSUPPORTED naming `unitPath`, INVALID_FIELD naming `valuePath`.
 *
 * @example format(kilograms(25, 'TNE', '/value', '/unit')); // '25000'
 */
export function kilograms(value: unknown, code: unknown, valuePath: string, unitPath: string): Decimal {
  const unit = massUnit(code, unitPath);
  return mul(decimal(value, valuePath), decimal(unit.kg, unitPath));
}

/**
 * Converts a mass between Rec 20 codes for display, or returns undefined when either code is not in
 * the table (never guessed). A double, for reports: to compare quantities use `kilograms` and `cmp`.
 *
 * @example convertMass(9000, 'KGM', 'TNE'); // 9
 */
export function convertMass(value: number, from: string, to: string): number | undefined {
  if (!Object.hasOwn(MASS_UNITS, from) || !Object.hasOwn(MASS_UNITS, to)) return undefined;
  if (from === to) return value;
  return (value * Number((MASS_UNITS[from] as MassUnit).kg)) / Number((MASS_UNITS[to] as MassUnit).kg);
}

/**
 * The kilograms of a UNTP `Measure { value, unit }` at `path`. Throws INVALID_FIELD (not a
 * measure, or a value that is not a non-negative decimal) or UNIT_UNSUPPORTED (`${path}/unit`).
 *
 * @example format(measureKilograms({ value: 2.5, unit: 'GRM' }, '/mass')); // '0.0025'
 */
export function measureKilograms(measure: unknown, path: string): Decimal {
  if (measure === null || typeof measure !== 'object' || Array.isArray(measure))
    throw new InvalidInputError('INVALID_FIELD', `${path} must be a Measure { value, unit }`, path);
  const { value, unit } = measure as { value?: unknown; unit?: unknown };
  return kilograms(value, unit, `${path}/value`, `${path}/unit`);
}
