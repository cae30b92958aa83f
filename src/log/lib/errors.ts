import { UntpCreditsError } from '../../errors.js';

/** Every failure of the log core is an UntpCreditsError with a stable LOG_* code. */
export function logError(
  code: `LOG_${string}`,
  message: string,
  details?: Record<string, unknown>,
  path?: string,
): UntpCreditsError {
  return new UntpCreditsError(code, message, {
    ...(details === undefined ? {} : { details }),
    ...(path === undefined ? {} : { path }),
  });
}
