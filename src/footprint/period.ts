import { InvalidInputError } from '../errors.js';

/** A reporting period: a label and the inclusive dates it stands for. */
export interface FootprintPeriodRef {
  /** As given: `2026`, `2026-Q1`, `2026-H2`, `2026-03` or `2026-01-01/2026-06-30`. */
  label: string;
  startDate: string;
  endDate: string;
}

const pad = (n: number): string => String(n).padStart(2, '0');
function lastDay(year: number, month: number): string {
  // Day 0 of the next month is the last day of this one (UTC, so no time-zone shift).
  return `${year}-${pad(month)}-${pad(new Date(Date.UTC(year, month, 0)).getUTCDate())}`;
}
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads a period label into dates. Codes: PERIOD_INVALID, PERIOD_INVERTED (naming `path`).
 *
 * @example parsePeriod('2026-Q2') // { label: '2026-Q2', startDate: '2026-04-01', endDate: '2026-06-30' }
 */
export function parsePeriod(label: unknown, path = '/period'): FootprintPeriodRef {
  if (typeof label !== 'string' || label.trim() === '')
    throw new InvalidInputError(
      'MISSING_FIELD',
      `${path}: a period is required (2026, 2026-Q1, 2026-H1, 2026-03 or start/end dates)`,
      path,
    );
  const text = label.trim();
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})$/.exec(text))) return { label: text, startDate: `${m[1]}-01-01`, endDate: `${m[1]}-12-31` };
  if ((m = /^(\d{4})-Q([1-4])$/.exec(text))) {
    const year = Number(m[1]);
    const q = Number(m[2]);
    return { label: text, startDate: `${year}-${pad(q * 3 - 2)}-01`, endDate: lastDay(year, q * 3) };
  }
  if ((m = /^(\d{4})-H([12])$/.exec(text))) {
    const year = Number(m[1]);
    const h = Number(m[2]);
    return { label: text, startDate: `${year}-${pad(h * 6 - 5)}-01`, endDate: lastDay(year, h * 6) };
  }
  if ((m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text)))
    return { label: text, startDate: `${m[1]}-${m[2]}-01`, endDate: lastDay(Number(m[1]), Number(m[2])) };
  const [start, end, ...rest] = text.split('/');
  if (
    rest.length === 0 &&
    start !== undefined &&
    end !== undefined &&
    DATE.test(start) &&
    DATE.test(end) &&
    !Number.isNaN(Date.parse(start)) &&
    !Number.isNaN(Date.parse(end))
  ) {
    if (end < start) throw new InvalidInputError('PERIOD_INVERTED', `${path}: ${text} ends before it starts`, path);
    return { label: text, startDate: start, endDate: end };
  }
  throw new InvalidInputError(
    'PERIOD_INVALID',
    `${path}: ${JSON.stringify(label)} is not a period (2026, 2026-Q1, 2026-H1, 2026-03 or YYYY-MM-DD/YYYY-MM-DD)`,
    path,
  );
}

/** Whether `outer` contains `inner` (inclusive dates). */
export function periodContains(
  outer: { startDate: string; endDate: string },
  inner: { startDate: string; endDate: string },
): boolean {
  return outer.startDate <= inner.startDate && outer.endDate >= inner.endDate;
}
