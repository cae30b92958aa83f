/**
 * untp-credits — what a digital product passport platform needs to check a credit credential
 * offline: validate, verify (credentials, presentations, SD-JWT), verify an offline bundle, resolve
 * keys and status lists, compute digests; the report types and the error family. Issuing, the
 * registry, the server, bundles and footprints have subpath entries (docs/api.md).
 */
// Errors: one class family, codes from one catalogue (docs/errors.md)
export { UntpCreditsError, ArtefactUnknownError, InvalidInputError, isUntpCreditsError } from './errors.js';
export {
  ERROR_CATALOGUE,
  hasCode,
  parseErrorCode,
  type ErrorCode,
  type DeprecatedCode,
  type CatalogueEntry,
} from './errors/catalogue.js';
// Validation against the UNTP schemas, VCDM 2.0 and JSON-LD safe mode (docs/validation.md)
export { validate, W3C_VC_SCHEMA } from './validate/validate.js';
export type { ValidateOptions } from './validate/options.js';
export type { Issue, ValidationReport } from './validate/report.js';
export { BUILTIN_EXTENSIONS, type ExtensionType } from './validate/extensions.js';
export { detectUntp, untpSchemaUrl, SUPPORTED_UNTP_VERSIONS } from './validate/detect.js';
export { ArtefactRegistry, type ArtefactEntry, type ArtefactKind } from './artefacts/registry.js';
export { createJsonLdProcessor } from './jsonld/index.js';
export type { JsonLdProcessor, JsonLdCheckResult, RdfQuad, RdfTerm } from './jsonld/types.js';
// Verification: a report of named steps that never throws (docs/verification.md)
export { verify } from './verify/verify.js';
export { verifyCredential } from './verify/credential.js';
export { verifyPresentation } from './verify/presentation.js';
export type { VerifyOptions, Validator } from './verify/options.js';
export {
  failedStep,
  reportFromValidation,
  validationStep,
  type VerificationReport,
  type VerificationStep,
  type StepName,
} from './verify/report.js';
export {
  SECURING_FORMATS,
  VC_JWT_PREFIX,
  VP_JWT_PREFIX,
  VC_SD_JWT_PREFIX,
  VC_SD_JWT_TYP,
  type SecuringFormat,
  type SdJwtFormat,
} from './lib/envelope.js';
export { issuerIdOf, holderIdOf } from './lib/credential.js';
export type { StatusListResolver, StatusCheck } from './verify/status.js';
export type { WithheldState, WithheldField } from './disclosure/withheld.js';
// Keys: DID resolution (did:key, did:web, a local store)
export { createDidResolver, LocalDidStore, type DidResolver, type DidResolverOptions } from './keys/resolver.js';
export type { DidWebHttpsOptions } from './keys/did-web-https.js';
export {
  SIGNATURE_ALGORITHMS,
  type SignatureAlgorithm,
  type PublicJwk,
  type DidDocument,
  type VerificationMethod,
  type VerificationRelationship,
} from './keys/types.js';
// Status lists (Bitstring Status List): resolvers over published lists
export {
  createStatusResolver,
  unwrapStatusList,
  type StatusListSource,
  type StatusResolverOptions,
  type PublishedStatusList,
} from './status/resolver.js';
export { createHttpsStatusListSource, type HttpsStatusListOptions } from './net/status-list-source.js';
// Digests: sha2-256 multihash, base58btc (digestMultibase), and the JWS inside a credential
export { digestMultibase, checkDigest, decodeDigestMultibase, jwsOf, jwsPayload } from './lib/digest.js';
// Offline verification bundles (docs/bundles.md); building them is in untp-credits/bundle
export {
  verifyBundle,
  BUNDLE_STEPS,
  type BundleReport,
  type BundleStep,
  type BundleStepName,
  type BundleVerifyOptions,
  type BundledCredentialReport,
} from './bundle/verify.js';
export {
  BUNDLE_TYPE,
  BUNDLE_VERSION,
  isBundle,
  parseBundle,
  type VerificationBundle,
  type BundleManifest,
  type ManifestEntry,
} from './bundle/format.js';
export { parseTrustFile, type TrustFile, type PinnedDid } from './trust/trust-file.js';
// The credit credentials a platform reads (docs/credit-credentials.md)
export { readIssuance, type IssuanceSummary } from './credits/build.js';
export type { Credential as CreditCredential } from './credits/types.js';
export type { SerialBlock, SerialRange } from './credits/serial-block.js';
