import type { Issue, ValidationReport } from '../validate/report.js';
import { verifyCredential } from './credential.js';
import type { VerifyOptions } from './options.js';
import { validationStep, type VerificationReport, type VerificationStep } from './report.js';
import { checkSecured, typesOf } from './secured.js';
import { defaultJsonLd } from '../secure/lib/jsonld.js';
import { isVcdm11, VCDM11_CONTEXT } from '../validate/vcdm11.js';

const VCDM2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

/**
 * Verifies a presentation: an EnvelopedVerifiablePresentation / compact vp+jwt, or a presentation with a
 * Data Integrity proof (proofPurpose authentication). Steps: decode → header/proof → key (the holder's,
 * under `authentication`) → signature → challenge (challenge and domain against `options.challenge` /
 * `options.domain`) → validation (of the presentation, without the JOSE claims nonce/aud) → credentials
 * (each inner credential verified; their reports are in `credentials`). Never throws on bad input.
 */
export async function verifyPresentation(input: unknown, options: VerifyOptions = {}): Promise<VerificationReport> {
  const report: VerificationReport = {
    verified: false,
    kind: 'presentation',
    format: null,
    issuer: null,
    credential: null,
    steps: [],
    warnings: [],
    credentials: [],
  };
  try {
    const secured = await checkSecured(input, 'presentation', options);
    Object.assign(report, { format: secured.format, issuer: secured.signer, credential: secured.document });
    report.steps.push(...secured.steps);
    if (secured.proofs) report.proofs = secured.proofs;
    report.warnings.push(...(secured.warnings ?? []));
    if (!secured.ok || !secured.document) return finish(report);
    const presentation = secured.document;

    report.steps.push(checkBinding(secured.binding, options, report.warnings));

    const validation = await validatePresentation(presentation, options);
    report.steps.push(validationStep(validation));
    report.warnings.push(...validation.warnings);

    const inner = presentation.verifiableCredential;
    const entries = inner === undefined ? [] : Array.isArray(inner) ? inner : [inner];
    const { challenge: _c, domain: _d, ...credentialOptions } = options;
    for (const entry of entries) report.credentials?.push(await verifyCredential(entry, credentialOptions));
    const failed = (report.credentials ?? []).map((r, i) => [r, i] as const).filter(([r]) => !r.verified);
    report.steps.push(
      failed.length === 0
        ? { name: 'credentials', ok: true, message: `${entries.length} credential(s) verified` }
        : {
            name: 'credentials',
            ok: false,
            code: 'PRESENTATION_CREDENTIAL_FAILED',
            message: `credential(s) ${failed.map(([, i]) => i).join(', ')} of ${entries.length} did not verify`,
          },
    );
  } catch (error) {
    report.steps.push({
      name: 'decode',
      ok: false,
      code: 'INTERNAL_ERROR',
      message: (error as Error)?.message ?? String(error),
    });
  }
  return finish(report);
}

function finish(report: VerificationReport): VerificationReport {
  report.verified = report.steps.length > 0 && report.steps.every((step) => step.ok);
  return report;
}

/** The challenge step: the signed challenge and domain must be those the verifier expects. */
function checkBinding(
  binding: { challenge?: unknown; domain?: unknown },
  options: VerifyOptions,
  warnings: Issue[],
): VerificationStep {
  if (options.challenge !== undefined && binding.challenge !== options.challenge) {
    return {
      name: 'challenge',
      ok: false,
      code: 'PRESENTATION_CHALLENGE_MISMATCH',
      message: `the presentation was signed for challenge ${JSON.stringify(binding.challenge ?? null)}, not the one expected`,
    };
  }
  if (options.domain !== undefined) {
    const signed = Array.isArray(binding.domain) ? binding.domain : [binding.domain];
    if (!signed.includes(options.domain)) {
      return {
        name: 'challenge',
        ok: false,
        code: 'PRESENTATION_DOMAIN_MISMATCH',
        message: `the presentation was signed for domain ${JSON.stringify(binding.domain ?? null)}, not ${options.domain}`,
      };
    }
  }
  if (options.challenge === undefined) {
    warnings.push({
      code: 'PRESENTATION_CHALLENGE_NOT_CHECKED',
      path: '',
      message: 'no challenge was expected, so the presentation is not protected against replay',
    });
  }
  return { name: 'challenge', ok: true };
}

/** VCDM 2.0 presentation checks and JSON-LD safe mode (the JOSE claims nonce/aud are already removed). */
async function validatePresentation(
  presentation: Record<string, unknown>,
  options: VerifyOptions,
): Promise<ValidationReport> {
  const report: ValidationReport = {
    valid: false,
    credentialType: 'VerifiablePresentation',
    untpType: null,
    untpVersion: null,
    errors: [],
    warnings: [],
  };
  const context = presentation['@context'];
  if (isVcdm11(presentation)) {
    report.warnings.push({
      code: 'VCDM_1_1',
      path: '/@context/0',
      message: 'a VC Data Model 1.1 presentation: read for interoperability, not UNTP-conformant',
    });
  } else if (!Array.isArray(context) || context[0] !== VCDM2_CONTEXT) {
    report.errors.push({
      code: 'VCDM_CONTEXT',
      path: '/@context',
      message: `the first @context must be ${VCDM2_CONTEXT} (or, for VC 1.1, ${VCDM11_CONTEXT})`,
    });
  }
  if (!typesOf(presentation).includes('VerifiablePresentation')) {
    report.errors.push({ code: 'VCDM_TYPE', path: '/type', message: 'type must include VerifiablePresentation' });
  }
  if (report.errors.length === 0) {
    const jsonld = options.validateOptions?.jsonld ?? options.jsonld ?? defaultJsonLd();
    // VC 1.1 presentations carry VC-JWT strings, which JSON-LD reads as bare @id nodes: each is verified
    // as a credential of its own (the credentials step), so the JSON-LD check leaves them out.
    const inner = presentation.verifiableCredential;
    const checked = await jsonld.check(
      isVcdm11(presentation) && inner !== undefined
        ? {
            ...presentation,
            verifiableCredential: (Array.isArray(inner) ? inner : [inner]).filter((e) => typeof e !== 'string'),
          }
        : presentation,
    );
    report.errors.push(...checked.errors);
    report.warnings.push(...checked.warnings);
  }
  report.valid = report.errors.length === 0;
  return report;
}
