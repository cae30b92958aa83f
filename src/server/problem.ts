import type { Response } from 'express';
import { isUntpCreditsError, UntpCreditsError } from '../errors.js';

/**
 * A request the server refuses: carries the stable `code`; the HTTP status is derived from the
 * code in `statusForCode`, the one place that maps codes to statuses.
 */
export class HttpProblem extends UntpCreditsError {
  constructor(code: string, message: string, options: { path?: string; details?: Record<string, unknown> } = {}) {
    super(code, message, options);
    this.name = 'HttpProblem';
  }
}

// Codes whose status is not the default of their family (see `statusForCode`).
const STATUS_BY_CODE: Record<string, number> = {
  BODY_TOO_LARGE: 413,
  CONTENT_TYPE_UNSUPPORTED: 415,
  JSON_MALFORMED: 400,
  JSON_TOO_DEEP: 400,
  REQUEST_INVALID: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  TOO_MANY_FAILED_ATTEMPTS: 429,
  NOT_FOUND: 404,
  NOT_ACCEPTABLE: 406,
  METHOD_NOT_ALLOWED: 405,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_IN_PROGRESS: 409,
  CONFLICT: 409,
  LEDGER_UNAVAILABLE: 503,
  STATUS_LISTS_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
  SIGNING_FAILED: 500,
  SIGNING_KEY_UNAVAILABLE: 500,
  REGISTRY_DATA_DAMAGED: 500,
  DATABASE_UNAVAILABLE: 503,
  REGISTRY_LOCKED: 503,
  REGISTRY_CLOSING: 503,
  STATUS_LIST_UNAVAILABLE: 503,
  // The ledger's state forbids the command (no family suffix to recognise them by).
  RETIREMENT_INVALIDATED: 409,
  RETIREMENT_REPLACED: 409,
  CONCURRENT_MODIFICATION: 409,
  LEDGER_RULE_VIOLATION: 409,
  NOTHING_TO_MOVE: 409,
  STATUS_MANAGED_BY_LEDGER: 409,
  DISCLOSURE_NOT_DUE: 409,
  BLOCKS_OVERLAP: 422,
  // Usage errors of issue(): the credential is well-formed JSON but cannot be issued.
  CREDENTIAL_INVALID: 422,
  ISSUER_KEY_MISMATCH: 422,
  CREDENTIAL_ALREADY_SECURED: 422,
  FORMAT_UNSUPPORTED: 400,
};

/**
 * The HTTP status for an error code. Explicit codes first; then families: `…_NOT_FOUND`/`…_UNKNOWN`
 * → 404, conflicts with the ledger's state (`…_CONFLICT`, `ALREADY_…`, `…_EXISTS`, `INSUFFICIENT_…`,
 * `BLOCK_…`, `…_NOT_HELD`, `…_OVERLAP`) → 409; any other code of a refused input → 422.
 *
 * @example
 *   statusForCode('BODY_TOO_LARGE'); // 413
 *   statusForCode('SERIALS_ALREADY_RETIRED'); // 409
 */
export function statusForCode(code: string): number {
  const explicit = STATUS_BY_CODE[code];
  if (explicit !== undefined) return explicit;
  if (/_NOT_FOUND$|^UNKNOWN_|_UNKNOWN$/.test(code)) return 404;
  if (/_CONFLICT$|^ALREADY_|_EXISTS$|^DUPLICATE_|^INSUFFICIENT_|^BLOCK_|_NOT_HELD$|_OVERLAP$/.test(code)) return 409;
  return 422;
}

/** The RFC 9457 body, with our `code` and, for input errors, the JSON pointer. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  path?: string;
  errors?: unknown;
  [member: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

/** The problem body for any thrown value; never leaks a stack. Unknown errors are INTERNAL_ERROR. */
export function problemOf(error: unknown): ProblemBody {
  if (isUntpCreditsError(error)) {
    const status = statusForCode(error.code);
    const errors = error.details?.errors;
    return {
      type: `urn:untp-credits:problem:${error.code}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail: error.message,
      code: error.code,
      ...(error.path !== undefined ? { path: error.path } : {}),
      ...(errors !== undefined ? { errors } : {}),
    };
  }
  return {
    type: 'urn:untp-credits:problem:INTERNAL_ERROR',
    title: TITLES[500] as string,
    status: 500,
    detail: 'the server could not process the request',
    code: 'INTERNAL_ERROR',
  };
}

/** Sends `application/problem+json`. */
export function sendProblem(res: Response, error: unknown): void {
  const body = problemOf(error);
  if (body.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="untp-credits"');
  res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}
