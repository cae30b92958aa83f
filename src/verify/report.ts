import type { ErrorCode } from '../errors/catalogue.js';
import type { WithheldState } from '../disclosure/withheld.js';
import type { ProofReport } from './proof-set.js';
import type { Issue, ValidationReport } from '../validate/report.js';
import { issuerIdOf } from '../lib/credential.js';
import type { SdJwtFormat, SecuringFormat } from '../lib/envelope.js';
import type { LogFinding } from './log.js';

/**
 * The named steps of verification, in order. JOSE: decode → header → key → signature; Data
 * Integrity: decode → proof → key → signature; then validation → validity → status for a
 * credential, or challenge → validation → credentials for a presentation.
 */
export type StepName =
  | 'decode'
  | 'header'
  | 'proof'
  | 'key'
  | 'signature'
  | 'challenge'
  | 'validation'
  | 'validity'
  | 'status'
  | 'credentials'
  // SD-JWT: the disclosures against the signed digests, and the holder's key binding; withheld fields of any credential.
  | 'disclosures'
  | 'keyBinding'
  | 'disclosure'
  // A credit credential against the registry's transparency log (src/verify/log.ts).
  | 'log';

export interface VerificationStep {
  name: StepName;
  ok: boolean;
  /** A stable code when the step failed (or passed with something to say, e.g. STATUS_UNAVAILABLE). */
  code?: ErrorCode;
  message?: string;
  /** The `validation` step carries the full validation report. */
  validation?: ValidationReport;
}

/**
 * The one report shape of validation and verification, for the CLI, the server and the web page.
 * `verified` is true only when every step passed. Steps after a failed decode/header/proof/key/signature
 * step are not run (and not listed). A validation-only result is the same shape with one `validation` step
 * (see `reportFromValidation`).
 */
export interface VerificationReport {
  verified: boolean;
  kind: 'credential' | 'presentation';
  format: SecuringFormat | SdJwtFormat | null;
  /** The issuer DID of a credential (the holder of a presentation), when it could be read. */
  issuer: string | null;
  /** The decoded credential (or presentation), when it could be decoded. */
  credential: Record<string, unknown> | null;
  steps: VerificationStep[];
  /** Everything worth a look that does not fail verification (validation warnings, STATUS_UNAVAILABLE, …). */
  warnings: Issue[];
  /** A presentation's inner credentials, each verified. */
  credentials?: VerificationReport[];
  /** Data Integrity proof sets and chains: each proof, with its controller and outcome. */
  proofs?: ProofReport[];
  /** Withheld fields (salted-hash commitments) and their state: withheld until a date, disclosed (with the value), or overdue. */
  withheld?: WithheldState[];
  /** A credit credential's place in the registry's log, when the log step established it. */
  log?: LogFinding;
}

/** The first failed step, if any. */
export function failedStep(report: VerificationReport): VerificationStep | undefined {
  return report.steps.find((step) => !step.ok);
}

/** The validation step of a report (validation embedded in verification). */
export function validationStep(validation: ValidationReport): VerificationStep {
  const first = validation.errors[0];
  return validation.valid
    ? { name: 'validation', ok: true, validation }
    : {
        name: 'validation',
        ok: false,
        code: 'VALIDATION_FAILED',
        message: `${validation.errors.length} validation error(s)${first ? `, first: ${first.code} at ${first.path || '/'}: ${first.message}` : ''}`,
        validation,
      };
}

/** A validation result in the verification report shape (nothing was secured or checked cryptographically). */
export function reportFromValidation(credential: unknown, validation: ValidationReport): VerificationReport {
  const doc =
    credential !== null && typeof credential === 'object' && !Array.isArray(credential)
      ? (credential as Record<string, unknown>)
      : null;
  const issuer = doc ? issuerIdOf(doc) : null;
  return {
    verified: validation.valid,
    kind: 'credential',
    format: null,
    issuer,
    credential: doc,
    steps: [validationStep(validation)],
    warnings: [...validation.warnings],
  };
}
