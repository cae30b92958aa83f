import type { LogErrorCode } from '../../errors/catalogue.js';
import { UntpCreditsError } from '../../errors.js';

/** Every failure of the log core is an UntpCreditsError with a stable LOG_* code. */
export function logError(
  code: LogErrorCode,
  message: string,
  details?: Record<string, unknown>,
  path?: string,
): UntpCreditsError {
  return new UntpCreditsError(code, message, {
    ...(details === undefined ? {} : { details }),
    ...(path === undefined ? {} : { path }),
  });
}
