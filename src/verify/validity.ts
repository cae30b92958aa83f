import type { ErrorCode } from '../errors/catalogue.js';
import { isVcdm11 } from '../validate/vcdm11.js';
/**
 * The validity-window step: `validFrom` ≤ now ≤ `validUntil` (each optional), with the clock given.
 * A VC 1.1 credential's window is `issuanceDate` ≤ now ≤ `expirationDate`.
 */
export function checkValidity(
  credential: Record<string, unknown>,
  now: Date,
): { ok: boolean; code?: ErrorCode; message?: string } {
  const v11 = isVcdm11(credential);
  const names = { validFrom: v11 ? 'issuanceDate' : 'validFrom', validUntil: v11 ? 'expirationDate' : 'validUntil' };
  const read = (member: 'validFrom' | 'validUntil'): number | null | undefined => {
    const value = credential[names[member]];
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
      message: `${from === null ? names.validFrom : names.validUntil} is not a date-time`,
    };
  if (from !== undefined && now.getTime() < from)
    return {
      ok: false,
      code: 'CREDENTIAL_NOT_YET_VALID',
      message: `valid from ${String(credential[names.validFrom])}; it is ${now.toISOString()}`,
    };
  if (until !== undefined && now.getTime() > until)
    return {
      ok: false,
      code: 'CREDENTIAL_EXPIRED',
      message: `expired at ${String(credential[names.validUntil])}; it is ${now.toISOString()}`,
    };
  return { ok: true };
}
