import { checkWithheld, withheldFields } from '../disclosure/withheld.js';
import { validate } from '../validate/validate.js';
import { tolerateWithheld } from '../validate/withheld.js';
import type { VerifyOptions } from './options.js';
import { isUntpCreditsError } from '../errors.js';
import { validationStep, type StepName, type VerificationReport, type VerificationStep } from './report.js';
import { checkSecured, resolverOf } from './secured.js';
import { checkLogInclusion } from './log.js';
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
  const report: VerificationReport = {
    verified: false,
    kind: 'credential',
    format: null,
    issuer: null,
    credential: null,
    steps: [],
    warnings: [],
  };
  // The step running now: an unexpected failure is reported on it, not on `decode`.
  let step: StepName = 'decode';
  try {
    const secured = await checkSecured(input, 'credential', options);
    Object.assign(report, { format: secured.format, issuer: secured.signer, credential: secured.document });
    report.steps.push(...secured.steps);
    if (secured.proofs) report.proofs = secured.proofs;
    if (!secured.ok || !secured.document) return report;
    const credential = secured.document;
    // A challenge or domain is the verifier's defence against replay. Only a presentation or an
    // SD-JWT key binding (both signed by the holder) carries one; asking a plain credential for it
    // must fail, not pass silently.
    const bound = secured.steps.some((step) => step.name === 'keyBinding');
    if (!bound && (options.challenge !== undefined || options.domain !== undefined))
      report.steps.push(notAPresentation(options));

    report.warnings.push(...(secured.warnings ?? []));
    // A did:key is a key, not an identity: the signature shows that key signed, and nothing more.
    if (typeof report.issuer === 'string' && report.issuer.startsWith('did:key:'))
      report.warnings.push({
        code: 'ISSUER_IDENTITY_NOT_ESTABLISHED',
        path: '/issuer',
        message: `signed by ${report.issuer}: that key signed it, but a did:key names no one, so no issuer identity was established`,
      });
    step = 'validation';
    let validation = await (options.validator ?? validate)(credential, options.validateOptions);
    validation = tolerateWithheld(validation, secured.withheld ?? []);
    report.steps.push(validationStep(validation));
    report.warnings.push(...validation.warnings);

    // Withheld fields (salted-hash commitments) and their releases (docs/privacy.md).
    if (
      (options.disclosures ?? []).length > 0 ||
      (hasWithheldKey(credential) && withheldFields(credential).length > 0)
    ) {
      step = 'disclosure';
      const withheld = await checkWithheld(credential, {
        releases: options.disclosures ?? [],
        now: (options.clock ?? (() => new Date()))(),
        resolver: resolverOf(options),
        ...(secured.jws ? { credentialJws: secured.jws } : {}),
        ...(options.algorithms ? { algorithms: options.algorithms } : {}),
      });
      report.steps.push({
        name: 'disclosure',
        ok: withheld.ok,
        ...(withheld.code ? { code: withheld.code } : {}),
        ...(withheld.message ? { message: withheld.message } : {}),
      });
      report.warnings.push(...withheld.warnings);
      report.withheld = withheld.fields;
    }

    step = 'validity';
    const now = (options.clock ?? (() => new Date()))();
    report.steps.push({ name: 'validity', ...checkValidity(credential, now) });

    step = 'status';

    const status = await checkStatus(credential, options.status, options.requireStatus ?? false);
    report.steps.push({
      name: 'status',
      ok: status.ok,
      ...(status.code ? { code: status.code } : {}),
      ...(status.message ? { message: status.message } : {}),
    });
    report.warnings.push(...status.warnings);

    step = 'log';
    const log = checkLogInclusion({
      credential,
      jws: secured.jws,
      issuer: report.issuer,
      logs: options.logs ?? [],
      evidence: options.logEvidence,
      require: options.requireLog ?? false,
    });
    if (log) {
      const { log: finding, ...logStep } = log;
      report.steps.push(logStep);
      if (finding) report.log = finding;
    }
  } catch (error) {
    report.steps.push({
      name: step,
      ok: false,
      // Still INTERNAL_ERROR (a check that threw instead of reporting); the thrown code stays in the message.
      code: 'INTERNAL_ERROR',
      message: `${isUntpCreditsError(error) ? `${error.code}: ` : ''}${(error as Error)?.message ?? String(error)}`,
    });
  }
  report.verified = report.steps.length > 0 && report.steps.every((step) => step.ok);
  return report;
}

function notAPresentation(options: VerifyOptions): VerificationStep {
  const asked = [options.challenge !== undefined ? 'a challenge' : '', options.domain !== undefined ? 'a domain' : '']
    .filter(Boolean)
    .join(' and ');
  return {
    name: 'challenge',
    ok: false,
    code: 'NOT_A_PRESENTATION',
    message: `${asked} was expected, but this is a credential, not a presentation: only a presentation (or an SD-JWT key binding) signed by its holder binds a challenge or domain`,
  };
}

// withheldFields() builds a pointer for every node; most credentials have no `withheld<Field>`
// member at all, which this allocation-free walk settles first (it finds what withheldFields keys on).
const WITHHELD_KEY = /^withheld[A-Z]/;
function hasWithheldKey(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasWithheldKey);
  if (node === null || typeof node !== 'object') return false;
  for (const key in node) {
    if (!Object.prototype.hasOwnProperty.call(node, key)) continue;
    if (WITHHELD_KEY.test(key) || hasWithheldKey((node as Record<string, unknown>)[key])) return true;
  }
  return false;
}
