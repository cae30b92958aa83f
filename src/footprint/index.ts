export { decimal, add, sub, mul, cmp, ceilDiv, format as formatDecimal, type Decimal } from '../lib/decimal.js';
export { MASS_UNITS, massUnit, kilograms, measureKilograms, convertMass, type MassUnit } from '../lib/mass-units.js';
export { parsePeriod, periodContains, type FootprintPeriodRef } from './period.js';
export {
  computeFootprint,
  compositionOf,
  passportPayload,
  FOOTPRINT_METHOD,
  type Footprint,
  type FootprintInput,
  type FootprintOptions,
  type FootprintCommodity,
  type FootprintLine,
  type FootprintPeriod,
  type MaterialMatch,
  type ProductComposition,
  type ProductRow,
  type UnitsSoldRow,
} from './footprint.js';
export { parseCsv, productsFromCsv, unitsSoldFromCsv, productsCsv } from './csv.js';
export {
  checkCoverage,
  retirementCover,
  type CoverageReport,
  type CoveragePeriod,
  type OverClaim,
  type RetirementCover,
} from './coverage.js';
export { draftRetirementRequest, type DraftOptions, type DraftRetirementRequest } from './draft.js';
export { formatFootprint, formatCoverage } from './text.js';
