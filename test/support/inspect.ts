/** Small probes the unit tests share: what a call refuses with, which member names a JSON value uses. */
import { isUntpCreditsError } from '../../src/errors.js';

/** The code and JSON pointer a synchronous call refuses with; throws when it does not refuse. */
export function refusal(fn: () => unknown): { code: string; path: string | undefined } {
  try {
    fn();
  } catch (error) {
    if (!isUntpCreditsError(error)) throw error;
    return { code: error.code, path: error.path };
  }
  throw new Error('expected a refusal');
}

/** Every member name anywhere in a JSON value. */
export function memberNames(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => memberNames(v, into));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      memberNames(v, into);
    }
  return into;
}
