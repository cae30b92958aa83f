import { isUntpCreditsError } from '../errors.js';

/**
 * Exit codes of every verb, derived in one place: 0 everything checked out (or the command was
 * done), 1 a check failed or the registry refused the command, 2 the verb could not run (usage,
 * unreadable input, unreachable registry or database, missing key).
 */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Codes that mean "could not run" rather than "checked and refused". */
const CANNOT_RUN = [
  /^REQUEST_INVALID$/,
  /^INVALID_FIELD$/,
  /^MISSING_FIELD$/,
  /_UNREADABLE$/,
  /^TRUST_FILE_/,
  /^FETCH_/,
  /^REGISTRY_UNREACHABLE$/,
  /^REGISTRY_URL_/,
  /^REGISTRY_TRANSPORT_UNSUPPORTED$/,
  /^REGISTRY_LOCKED$/,
  /^API_KEY_MISSING$/,
  /^UNAUTHORIZED$/,
  /^FORBIDDEN$/,
  /^STORE_/,
  /^DATABASE_/,
  /^IDENTITY_MISSING$/,
  /^PGLITE_LOCKED$/,
  /^USAGE$/,
  /^DID_DOCUMENT_INVALID$/,
  /^INTERNAL_ERROR$/,
];

/**
 * The exit code for an error a verb caught: 2 when it could not run, 1 when a check or the
 * registry said no (an UntpCreditsError with any other code).
 *
 * @example
 *   catch (error) { err(message(error)); return exitCodeOf(error); }
 */
export function exitCodeOf(error: unknown): number {
  if (!isUntpCreditsError(error)) return EXIT_USAGE;
  return CANNOT_RUN.some((p) => p.test(error.code)) ? EXIT_USAGE : EXIT_FAILED;
}

/** `CODE: message` for an error, for stderr. */
export function errorLine(verb: string, error: unknown): string {
  return `${verb}: ${isUntpCreditsError(error) ? `${error.code}: ` : ''}${(error as Error)?.message ?? String(error)}`;
}
