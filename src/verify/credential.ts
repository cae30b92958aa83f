import { validate } from '../validate/validate.js';
import type { VerifyOptions } from './options.js';
import { validationStep, type VerificationReport } from './report.js';
import { checkSecured } from './secured.js';
import { checkStatus } from './status.js';
import { checkValidity } from './validity.js';

/**
 * Verifies a secured credential: an EnvelopedVerifiableCredential, a bare compact vc+jwt, or a
 * credential with an embedded Data Integrity proof. Steps: decode → header/proof → key → signature →
 * validation → validity → status. Never throws on bad input.
 *
 * @example
 *   const report = await verifyCredential(enveloped, { didDocuments: [didDoc] });
 *   report.verified; report.steps.find((s) => !s.ok)?.code;
 */
export async function verifyCredential(input: unknown, options: VerifyOptions = {}): Promise<VerificationReport> {
  const report: VerificationReport = { verified: false, kind: 'credential', format: null, issuer: null, credential: null, steps: [], warnings: [] };
  try {
    const secured = await checkSecured(input, 'credential', options);
    Object.assign(report, { format: secured.format, issuer: secured.signer, credential: secured.document });
    report.steps.push(...secured.steps);
    if (!secured.ok || !secured.document) return report;
    const credential = secured.document;

    const validation = await (options.validator ?? validate)(credential, options.validateOptions);
    report.steps.push(validationStep(validation));
    report.warnings.push(...validation.warnings);

    const now = (options.clock ?? (() => new Date()))();
    report.steps.push({ name: 'validity', ...checkValidity(credential, now) });

    const status = await checkStatus(credential, options.status, options.requireStatus ?? false);
    report.steps.push({ name: 'status', ok: status.ok, ...(status.code ? { code: status.code } : {}), ...(status.message ? { message: status.message } : {}) });
    report.warnings.push(...status.warnings);
  } catch (error) {
    report.steps.push({ name: 'decode', ok: false, code: 'INTERNAL_ERROR', message: (error as Error)?.message ?? String(error) });
  }
  report.verified = report.steps.length > 0 && report.steps.every((step) => step.ok);
  return report;
}
