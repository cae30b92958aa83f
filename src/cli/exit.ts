import { catalogueEntry } from '../errors/catalogue.js';
import { isUntpCreditsError } from '../errors.js';

/**
 * Exit codes of every verb, derived in one place: 0 everything checked out (or the command was
 * done), 1 a check failed or the registry refused the command, 2 the verb could not run (usage,
 * unreadable input, missing or refused credentials, an unreachable, locked or closing registry).
 * The exit code of each error code is declared in the error catalogue (src/errors/catalogue.ts).
 */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/**
 * The exit code for an error a verb caught: the catalogue's for an UntpCreditsError; 2 for
 * anything else (a file that cannot be read, a bug: the verb could not run).
 *
 * @example
 *   catch (error) { err(errorLine('lookup', error)); return exitCodeOf(error); }
 */
export function exitCodeOf(error: unknown): number {
  return isUntpCreditsError(error) ? catalogueEntry(error.code).exit : EXIT_USAGE;
}

/** The exit code for a finished check: 0 when it held, 1 when it failed. */
export function exitForCheck(ok: boolean): number {
  return ok ? EXIT_OK : EXIT_FAILED;
}

/** `CODE: message` for an error, for stderr. */
export function errorLine(verb: string, error: unknown): string {
  return `${verb}: ${isUntpCreditsError(error) ? `${error.code}: ` : ''}${(error as Error)?.message ?? String(error)}`;
}
