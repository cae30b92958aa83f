/**
 * One error family for the whole toolkit. Every failure carries a stable string `code`
 * that the library, the CLI (exit codes) and the HTTP server (problem+json) all share.
 *
 * @example
 *   try { registry.get(url) } catch (e) { if (isUntpCreditsError(e) && e.code === 'ARTEFACT_UNKNOWN') … }
 */
export class UntpCreditsError extends Error {
  readonly code: string;
  /** JSON pointer into the input the error is about, when there is one. */
  readonly path: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: string,
    message: string,
    options: { path?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UntpCreditsError';
    this.code = code;
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
  constructor(code: string, message: string, path?: string) {
    super(code, message, path === undefined ? {} : { path });
    this.name = 'InvalidInputError';
  }
}
