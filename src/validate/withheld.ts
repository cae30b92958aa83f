import type { ErrorCode } from '../errors/catalogue.js';
import type { ValidationReport } from './report.js';

/**
 * Schema checks of an SD-JWT credential accept what the disclosed subset can show: a missing
 * required member or too few items in an object/array that still holds undisclosed digests becomes
 * the warning CLAIMS_MAY_BE_WITHHELD (it may be among the undisclosed claims).
 */
export function tolerateWithheld(validation: ValidationReport, withheld: readonly string[]): ValidationReport {
  if (withheld.length === 0) return validation;
  const hidden = new Set(withheld);
  const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));
  const tolerated = (code: ErrorCode, path: string) =>
    // SCHEMA_INVALID at the object itself: an anyOf/oneOf of required members (e.g. beneficiary or withheldBeneficiary).
    (code === 'SCHEMA_REQUIRED' && hidden.has(parentOf(path))) ||
    ((code === 'SCHEMA_CARDINALITY' || code === 'SCHEMA_CONTAINS' || code === 'SCHEMA_INVALID') && hidden.has(path));
  const errors = validation.errors.filter((e) => !tolerated(e.code, e.path));
  const moved = validation.errors
    .filter((e) => tolerated(e.code, e.path))
    .map((e) => ({
      ...e,
      code: 'CLAIMS_MAY_BE_WITHHELD' as const,
      message: `${e.message} (claims may be withheld at ${parentOf(e.path) || '/'})`,
    }));
  return { ...validation, valid: errors.length === 0, errors, warnings: [...validation.warnings, ...moved] };
}
