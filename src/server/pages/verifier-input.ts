import type { ErrorCode } from '../../errors/catalogue.js';
import type { VerificationReport } from '../../verify/report.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../body.js';

// Shared by the server's web verifier (routes/pages.ts) and the offline verifier that runs in the
// browser (offline/verify-inputs.ts): no I/O here.

/** A report for input that could not even be read as a credential (so it goes through the same renderer). */
export function unreadable(code: ErrorCode, message: string): VerificationReport {
  return {
    verified: false,
    kind: 'credential',
    format: null,
    issuer: null,
    credential: null,
    steps: [{ name: 'decode', ok: false, code, message }],
    warnings: [],
  };
}

/**
 * What the verifier page's text holds: JSON (a credential, an enveloped credential, a presentation,
 * or a registry record `{ …, credential }`, whose credential is verified), or a compact JWS.
 */
export function readVerifierInput(text: string): { input: unknown } | { report: VerificationReport } {
  const t = text.trim();
  if (!/^[[{"]/.test(t)) return { input: t };
  if (jsonDepth(t, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    return { report: unreadable('JSON_TOO_DEEP', `JSON nested deeper than ${MAX_JSON_DEPTH} levels is refused`) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(t);
  } catch (error) {
    return { report: unreadable('JSON_MALFORMED', `the input is not JSON: ${(error as Error).message}`) };
  }
  const record = parsed as { credential?: unknown; '@context'?: unknown } | null;
  if (record && typeof record === 'object' && record.credential !== undefined && record['@context'] === undefined)
    return { input: record.credential };
  return { input: parsed };
}
