import { catalogueEntry, type ErrorCode } from '../errors/catalogue.js';
import { isUntpCreditsError, UntpCreditsError } from '../errors.js';

type Out = (line: string) => void;
const toStderr: Out = (line) => process.stderr.write(`${line}\n`);

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

/** A batch exits with its worst outcome: could not run (2) over failed (1) over ok (0). */
export function worstExit(a: number, b: number): number {
  return Math.max(a, b);
}

/**
 * Ends a verb on an error it caught: one `verb: CODE: message` line on stderr and the catalogue's
 * exit code — the one way a verb fails.
 *
 * @example
 *   catch (error) { return endOnError('lookup', error, err); }
 */
export function endOnError(verb: string, error: unknown, err: Out = toStderr): number {
  err(errorLine(verb, error));
  return exitCodeOf(error);
}

/**
 * Ends a verb on a refusal it found itself (a usage error, a record that is not there), exactly as
 * if `code` had been thrown.
 *
 * @example
 *   if (!found) return endWith('lookup', 'SERIAL_NOT_FOUND', `${serial} was never issued`, err); // exit 1
 */
export function endWith(verb: string, code: ErrorCode, message: string, err: Out = toStderr): number {
  return endOnError(verb, new UntpCreditsError(code, message), err);
}

/** `CODE: message` for an error, for stderr. */
export function errorLine(verb: string, error: unknown): string {
  return `${verb}: ${isUntpCreditsError(error) ? `${error.code}: ` : ''}${(error as Error)?.message ?? String(error)}`;
}
