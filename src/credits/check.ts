import type { ErrorCode } from '../errors/catalogue.js';
import { InvalidInputError } from '../errors.js';

/** Small input checks shared by the builders; each throws InvalidInputError naming the field by JSON pointer. */

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function present<T>(value: T | undefined | null, path: string, what = 'this field'): T {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    throw new InvalidInputError('MISSING_FIELD', `${what} is required (${path})`, path);
  }
  return value;
}

export function str(value: unknown, path: string): string {
  present(value, path);
  if (typeof value !== 'string') throw new InvalidInputError('INVALID_FIELD', `${path} must be a string`, path);
  return value;
}

const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
export function uri(value: unknown, path: string): string {
  const s = str(value, path);
  if (!URI.test(s))
    throw new InvalidInputError('INVALID_FIELD', `${path} must be an absolute URI, got ${JSON.stringify(s)}`, path);
  return s;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  const s = str(value, path);
  if (!(allowed as readonly string[]).includes(s)) {
    throw new InvalidInputError(
      'INVALID_FIELD',
      `${path} must be one of ${allowed.join(', ')}, got ${JSON.stringify(s)}`,
      path,
    );
  }
  return s as T;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function date(value: unknown, path: string): string {
  const s = str(value, path);
  if (!DATE.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`)))
    throw new InvalidInputError(
      'INVALID_DATE',
      `${path} must be an ISO date (YYYY-MM-DD), got ${JSON.stringify(s)}`,
      path,
    );
  return s;
}

export function dateTime(value: unknown, path: string): string {
  const s = str(value, path);
  if (!DATE_TIME.test(s) || Number.isNaN(Date.parse(s)))
    throw new InvalidInputError(
      'INVALID_DATE',
      `${path} must be an ISO date-time with a time zone, got ${JSON.stringify(s)}`,
      path,
    );
  return s;
}

export function positive(value: unknown, path: string): number {
  present(value, path);
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new InvalidInputError('INVALID_FIELD', `${path} must be a number`, path);
  if (value <= 0) throw new InvalidInputError('QUANTITY_NOT_POSITIVE', `${path} must be positive, got ${value}`, path);
  return value;
}

export function bool(value: unknown, path: string): boolean {
  present(value, path);
  if (typeof value !== 'boolean') throw new InvalidInputError('INVALID_FIELD', `${path} must be true or false`, path);
  return value;
}

/** A period whose end is not before its start; `code` names which period (PERIOD_INVERTED, CLAIM_PERIOD_INVERTED). */
export function period(
  value: unknown,
  path: string,
  code: ErrorCode = 'PERIOD_INVERTED',
): { startDate: string; endDate: string } {
  present(value, path);
  if (!isObject(value)) throw new InvalidInputError('INVALID_FIELD', `${path} must be { startDate, endDate }`, path);
  const startDate = date(value.startDate, `${path}/startDate`);
  const endDate = date(value.endDate, `${path}/endDate`);
  if (endDate < startDate)
    throw new InvalidInputError(code, `${path} ends (${endDate}) before it starts (${startDate})`, `${path}/endDate`);
  return { startDate, endDate };
}

export function array<T>(value: unknown, path: string, minItems = 1): T[] {
  present(value, path);
  if (!Array.isArray(value)) throw new InvalidInputError('INVALID_FIELD', `${path} must be an array`, path);
  if (value.length < minItems)
    throw new InvalidInputError('MISSING_FIELD', `${path} needs at least ${minItems} item(s)`, path);
  return value as T[];
}

/** Drops undefined members so built credentials carry no `undefined` (and serialise identically). */
export { compact } from '../lib/compact.js';
