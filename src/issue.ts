import { InvalidInputError, UntpCreditsError } from './errors.js';
import type { JsonLdProcessor } from './jsonld/types.js';
import { didOf } from './keys/did.js';
import type { PublicJwk, Signer } from './keys/types.js';
import { signDataIntegrity } from './secure/data-integrity/sign.js';
import { signJoseCredential } from './secure/jose/sign.js';
import { signSdJwt, type EnvelopedSdJwtCredential } from './secure/sd-jwt/sign.js';
import type { ValidateOptions } from './validate/options.js';
import type { ValidationReport } from './validate/report.js';
import { validate } from './validate/validate.js';
import type { Validator } from './verify/options.js';
import { SECURING_FORMATS, type SecuringFormat } from './lib/envelope.js';
import { issuerIdOf } from './lib/credential.js';

/** A securing format of `issue()`: those of SECURING_FORMATS, or `sd-jwt` (W3C VC-JOSE-COSE `vc+sd-jwt`, via `issueSdJwt`). */
export type IssueFormat = SecuringFormat | 'sd-jwt';

export interface IssueOptions {
  format: IssueFormat;
  /** sd-jwt only: JSON pointers of the members the holder may choose to disclose (default none). */
  disclosable?: readonly string[];
  /** sd-jwt only: the holder's public key (`cnf.jwk`; presentations then carry a key-binding JWT). */
  holderKey?: PublicJwk;
  signer: Signer;
  validateOptions?: ValidateOptions;
  /** The validation step's implementation (default: `validate`). */
  validator?: Validator;
  /** JSON-LD component for Data Integrity (default: validateOptions.jsonld or the shared one). */
  jsonld?: JsonLdProcessor;
  /** `created` of a Data Integrity proof (default: the system clock). */
  clock?: () => Date;
}

/** `issue()` refused a credential that does not validate; `report` holds every error. */
export class CredentialInvalidError extends UntpCreditsError {
  readonly report: ValidationReport;
  constructor(report: ValidationReport) {
    const first = report.errors[0];
    super(
      'CREDENTIAL_INVALID',
      `the credential is not valid (${report.errors.length} error(s)${first ? `; first: ${first.code} at ${first.path || '/'}: ${first.message}` : ''})`,
      { details: { errors: report.errors } },
    );
    this.name = 'CredentialInvalidError';
    this.report = report;
  }
}

/**
 * Validates, then secures a credential: VC-JOSE-COSE (an EnvelopedVerifiableCredential around a
 * vc+jwt), an SD-JWT (`format: 'sd-jwt'`, with `disclosable` pointers; see `issueSdJwt`) or a Data
 * Integrity proof (eddsa-rdfc-2022 / ecdsa-rdfc-2019). Refuses an invalid credential
 * (CredentialInvalidError, CREDENTIAL_INVALID) and an issuer that is not the key's DID (ISSUER_KEY_MISMATCH).
 *
 * @example
 *   const signed = await issue(credential, { format: 'jose', signer: signerFromKeyFile('key.jwk.json', 'jose') });
 */
export async function issue(credential: unknown, options: IssueOptions): Promise<Record<string, unknown>> {
  if (options.format === 'sd-jwt') {
    if (credential === null || typeof credential !== 'object' || Array.isArray(credential))
      throw new InvalidInputError('INPUT_INVALID', 'a credential is a JSON object');
    return {
      ...(await issueSdJwt(credential as Record<string, unknown>, {
        signer: options.signer,
        disclosable: options.disclosable ?? [],
        ...(options.holderKey ? { holderKey: options.holderKey } : {}),
        ...(options.validateOptions ? { validateOptions: options.validateOptions } : {}),
        ...(options.validator ? { validator: options.validator } : {}),
      })),
    };
  }
  if (!SECURING_FORMATS.includes(options.format))
    throw new InvalidInputError(
      'FORMAT_UNSUPPORTED',
      `format ${String(options.format)} is not one of ${SECURING_FORMATS.join(', ')}`,
    );
  if (credential !== null && typeof credential === 'object' && !Array.isArray(credential)) {
    const doc = credential as Record<string, unknown>;
    if (doc.proof !== undefined || String(doc.type).includes('Enveloped'))
      throw new InvalidInputError(
        'CREDENTIAL_ALREADY_SECURED',
        'the credential is already secured (it has a proof or is enveloped)',
      );
  }
  const report = await (options.validator ?? validate)(credential, options.validateOptions);
  if (!report.valid) throw new CredentialInvalidError(report);
  const doc = credential as Record<string, unknown>;
  const issuer = issuerIdOf(doc);
  const keyDid = didOf(options.signer.keyId);
  if (issuer !== keyDid)
    throw new InvalidInputError(
      'ISSUER_KEY_MISMATCH',
      `the issuer ${String(issuer)} is not the DID of key ${options.signer.keyId}`,
      '/issuer',
    );
  if (options.format === 'jose') return { ...(await signJoseCredential(doc, options.signer)) };
  return signDataIntegrity(doc, {
    cryptosuite: options.format,
    signer: options.signer,
    proofPurpose: 'assertionMethod',
    ...(options.clock ? { created: options.clock() } : {}),
    ...((options.jsonld ?? options.validateOptions?.jsonld)
      ? { jsonld: (options.jsonld ?? options.validateOptions?.jsonld) as JsonLdProcessor }
      : {}),
  });
}

export interface SdJwtIssueOptions {
  signer: Signer;
  /** JSON pointers of the members (or array items) the holder may choose to disclose. */
  disclosable: readonly string[];
  /** The holder's public key: becomes `cnf.jwk`, and presentations then carry a key-binding JWT. */
  holderKey?: PublicJwk;
  validateOptions?: ValidateOptions;
  validator?: Validator;
}

/**
 * Validates, then secures a credential as a W3C VC-JOSE-COSE SD-JWT (`typ` vc+sd-jwt, `cty` vc):
 * the members at `disclosable` are replaced by salted digests, their disclosures appended. Refuses
 * what `issue()` refuses (CREDENTIAL_INVALID, ISSUER_KEY_MISMATCH, CREDENTIAL_ALREADY_SECURED), and
 * SD_NOT_ALLOWED / SD_POINTER_UNKNOWN / SD_POINTER_INVALID for the pointers.
 *
 * @example
 *   const vc = await issueSdJwt(retirement, { signer, disclosable: ['/credentialSubject/creditRetirement/beneficiary'], holderKey });
 *   vc.id; // 'data:application/vc+sd-jwt,eyJ…~WyJ…~'
 */
export async function issueSdJwt(
  credential: Record<string, unknown>,
  options: SdJwtIssueOptions,
): Promise<EnvelopedSdJwtCredential> {
  if (credential === null || typeof credential !== 'object' || Array.isArray(credential))
    throw new InvalidInputError('INPUT_INVALID', 'a credential is a JSON object');
  if (credential.proof !== undefined || String(credential.type).includes('Enveloped'))
    throw new InvalidInputError(
      'CREDENTIAL_ALREADY_SECURED',
      'the credential is already secured (it has a proof or is enveloped)',
    );
  if (credential.cnf !== undefined || credential._sd !== undefined || credential._sd_alg !== undefined)
    throw new InvalidInputError(
      'SD_RESERVED_MEMBER',
      'cnf, _sd and _sd_alg are set by the SD-JWT securing, not by the credential',
    );
  const report = await (options.validator ?? validate)(credential, options.validateOptions);
  if (!report.valid) throw new CredentialInvalidError(report);
  const issuer = issuerIdOf(credential);
  if (issuer !== didOf(options.signer.keyId))
    throw new InvalidInputError(
      'ISSUER_KEY_MISMATCH',
      `the issuer ${String(issuer)} is not the DID of key ${options.signer.keyId}`,
      '/issuer',
    );
  return signSdJwt(credential, {
    signer: options.signer,
    disclosable: options.disclosable,
    ...(options.holderKey ? { holderKey: options.holderKey } : {}),
  });
}
