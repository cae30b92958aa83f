import { InvalidInputError, UntpCreditsError } from './errors.js';
import type { JsonLdProcessor } from './jsonld/types.js';
import { didOf } from './keys/did.js';
import type { PublicJwk, Signer } from './keys/types.js';
import { signDataIntegrity } from './secure/data-integrity/sign.js';
import { signJoseCredential } from './secure/jose/sign.js';
import type { ValidateOptions } from './validate/options.js';
import type { ValidationReport } from './validate/report.js';
import { validate } from './validate/validate.js';
import type { Validator } from './verify/options.js';
import { issuerIdOf, SECURING_FORMATS, type SecuringFormat } from './verify/report.js';

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
    // Loaded on use: the SD-JWT module imports CredentialInvalidError from here.
    const { issueSdJwt } = await import('./secure/sd-jwt/sign.js');
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
