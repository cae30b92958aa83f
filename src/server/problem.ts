import type { Response } from 'express';
import {
  canonicalCode,
  catalogueEntry,
  type DeprecatedCode,
  type ErrorCode,
  type ProblemStatus,
} from '../errors/catalogue.js';
import { isUntpCreditsError, UntpCreditsError } from '../errors.js';

/**
 * A request the server refuses: carries the stable `code`; the HTTP status and title come from
 * the error catalogue (src/errors/catalogue.ts), the one place that maps codes to statuses.
 */
export class HttpProblem extends UntpCreditsError {
  constructor(
    code: ErrorCode | DeprecatedCode,
    message: string,
    options: { path?: string; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
    this.name = 'HttpProblem';
  }
}

/**
 * The HTTP status for an error code, from the catalogue (a deprecated alias: its replacement's).
 *
 * @example
 *   statusForCode('BODY_TOO_LARGE'); // 413
 *   statusForCode('INSUFFICIENT_HOLDING'); // 409
 */
export function statusForCode(code: ErrorCode | DeprecatedCode): ProblemStatus {
  return catalogueEntry(canonicalCode(code)).http;
}

/** The RFC 9457 body, with our `code` and, for input errors, the JSON pointer. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  path?: string;
  errors?: unknown;
  [member: string]: unknown;
}

/** The problem type URI of a code (one type per code, so the title is the catalogue's). */
export const problemType = (code: ErrorCode): string => `urn:untp-credits:problem:${code}`;

/** The problem body for any thrown value; never leaks a stack. Unknown errors are INTERNAL_ERROR. */
export function problemOf(error: unknown): ProblemBody {
  if (isUntpCreditsError(error)) {
    const entry = catalogueEntry(error.code);
    const errors = error.details?.errors;
    return {
      type: problemType(error.code),
      title: entry.title,
      status: entry.http,
      detail: error.message,
      code: error.code,
      ...(error.path !== undefined ? { path: error.path } : {}),
      ...(errors !== undefined ? { errors } : {}),
    };
  }
  return {
    type: problemType('INTERNAL_ERROR'),
    title: catalogueEntry('INTERNAL_ERROR').title,
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
