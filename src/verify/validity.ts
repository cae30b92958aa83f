import type { ErrorCode } from '../errors/catalogue.js';
/** The validity-window step: `validFrom` ≤ now ≤ `validUntil` (each optional), with the clock given. */
export function checkValidity(
  credential: Record<string, unknown>,
  now: Date,
): { ok: boolean; code?: ErrorCode; message?: string } {
  const read = (member: 'validFrom' | 'validUntil'): number | null | undefined => {
    const value = credential[member];
    if (value === undefined) return undefined;
    const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    return Number.isNaN(time) ? null : time;
  };
  const from = read('validFrom');
  const until = read('validUntil');
  if (from === null || until === null)
    return {
      ok: false,
      code: 'VALIDITY_DATE_INVALID',
      message: `${from === null ? 'validFrom' : 'validUntil'} is not a date-time`,
    };
  if (from !== undefined && now.getTime() < from)
    return {
      ok: false,
      code: 'CREDENTIAL_NOT_YET_VALID',
      message: `valid from ${String(credential.validFrom)}; it is ${now.toISOString()}`,
    };
  if (until !== undefined && now.getTime() > until)
    return {
      ok: false,
      code: 'CREDENTIAL_EXPIRED',
      message: `expired at ${String(credential.validUntil)}; it is ${now.toISOString()}`,
    };
  return { ok: true };
}
