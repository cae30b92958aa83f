import { canonicalCode, type DeprecatedCode, type ErrorCode } from './errors/catalogue.js';

export {
  CATALOGUE_SECTIONS,
  DEPRECATED_CODES,
  ERROR_CATALOGUE,
  catalogueEntry,
  hasCode,
  isErrorCode,
  parseErrorCode,
  type CatalogueEntry,
  type DeprecatedCode,
  type ErrorCode,
  type ErrorExit,
  type ProblemStatus,
} from './errors/catalogue.js';

/**
 * One error family for the whole toolkit. Every failure carries a stable `code` of the error
 * catalogue (src/errors/catalogue.ts, docs/errors.md), from which the CLI takes its exit code and
 * the HTTP server its problem+json status and title.
 *
 * @example
 *   try { registry.get(url) } catch (e) { if (isUntpCreditsError(e) && e.code === 'ARTEFACT_UNKNOWN') … }
 */
export class UntpCreditsError extends Error {
  readonly code: ErrorCode;
  /** JSON pointer into the input the error is about, when there is one. */
  readonly path: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  /** A deprecated alias is accepted and stored as the code that replaces it. */
  constructor(
    code: ErrorCode | DeprecatedCode,
    message: string,
    options: { path?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UntpCreditsError';
    this.code = canonicalCode(code);
    this.path = options.path;
    this.details = options.details;
  }
}

export function isUntpCreditsError(value: unknown): value is UntpCreditsError {
  return value instanceof UntpCreditsError;
}

/** Raised when an artefact (context, schema) is neither bundled nor registered; the URL is never fetched. */
export class ArtefactUnknownError extends UntpCreditsError {
  readonly url: string;
  constructor(url: string, kind: 'context' | 'schema' | 'document' = 'document') {
    super(
      kind === 'context' ? 'CONTEXT_UNKNOWN' : 'ARTEFACT_UNKNOWN',
      `${kind} ${url} is not bundled or registered, and remote loading is off`,
      { details: { url } },
    );
    this.name = 'ArtefactUnknownError';
    this.url = url;
  }
}

/** Bad input given to a function (a usage error, not a failed check of a credential). */
export class InvalidInputError extends UntpCreditsError {
  constructor(code: ErrorCode | DeprecatedCode, message: string, path?: string) {
    super(code, message, path === undefined ? {} : { path });
    this.name = 'InvalidInputError';
  }
}
