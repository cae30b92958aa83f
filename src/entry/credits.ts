/**
 * untp-credits/credits — building and issuing credit credentials: the issuance and retirement
 * builders and their vocabulary, serial-block arithmetic, passport claims, issue() and the securing
 * formats, keys and DID documents, withheld fields and SD-JWT, status list credentials, impact
 * (premium allocation) credentials. Verification is in the root entry.
 */
export {
  buildIssuanceCredential,
  buildRetirementCredential,
  DEFAULT_PHYSICAL_OUTPUT_STATEMENT,
  DEFAULT_RETIREMENT_STATEMENT,
} from '../credits/build.js';
export {
  addRetirementClaim,
  matchClaimToAssessment,
  type RetirementClaimOptions,
  type ClaimMatch,
} from '../credits/dpp.js';
export {
  MAX_SERIAL,
  checkSerialBlock,
  makeBlock,
  rangeLength,
  blockQuantity,
  contains,
  overlaps,
  intersection,
  splitBlock,
  carve,
  totalQuantity,
  assertDisjoint,
  formatBlock,
} from '../credits/serial-block.js';
export {
  CREDITS_CONTEXT_URL,
  CREDITS_VOCAB,
  CREDIT_ISSUANCE_SCHEMA_URL,
  CREDIT_RETIREMENT_SCHEMA_URL,
  CREDIT_ISSUANCE_TYPE,
  CREDIT_RETIREMENT_TYPE,
  CREDIT_SCHEME_URL,
  CREDIT_SCHEME_NAME,
  CREDIT_PROFILE_ID,
  CRITERION_PRODUCTION_ASSESSED,
  CRITERION_RETIRED_FOR_PRODUCT,
  CRITERION_RETIRED_FOR_ORGANISATION,
  CRITERION_TOPICS,
  METRIC_ASSESSED_PRODUCTION,
  METRIC_RETIRED_QUANTITY,
  DCC_LINK_TYPE,
  type CriterionRef,
  type TopicRef,
  type MetricRef,
} from '../credits/vocabulary.js';
export {
  ASSESSOR_LEVELS,
  ASSESSMENT_LEVELS,
  ATTESTATION_TYPES,
  PRODUCTION_TYPES,
  CREDIT_BASES,
  IMPACT_AREAS,
  RETIREMENT_PURPOSES,
  CLAIM_SCOPES,
  ASSURANCE_LEVELS,
  type IssuanceInput,
  type RetirementInput,
  type RetiredBlockInput,
  type CoveredProduct,
  type PartyRef,
  type IdScheme,
  type LinkRef,
  type Period,
  type Commodity,
  type CreditUnit,
  type PermitRef,
  type ProductionSite,
  type StandardRef,
  type AccountRef,
  type StatusInput,
  type SchemeInput,
  type RenderTemplate,
  type AssessorLevel,
  type AssessmentLevel,
  type AttestationType,
  type ProductionType,
  type CreditBasis,
  type ImpactArea,
  type RetirementPurpose,
  type ClaimScope,
  type AssuranceLevel,
} from '../credits/types.js';
export { beneficiaryOf } from '../credits/build.js';
export {
  CONFIDENTIAL_DOCUMENT_TYPES,
  type ConfidentialDocumentRef,
  type ConfidentialDocumentType,
  type WithheldCommitment,
} from '../credits/types.js';
// Keys, DIDs and signing (docs/keys-and-signing.md); DID resolution and the key and DID types are in the root entry
export type { Signer, PrivateJwk } from '../keys/types.js';
export { generateKeyPair, type GeneratedKeyPair } from '../keys/generate.js';
export { createLocalSigner } from '../keys/signer.js';
export {
  algorithmOfJwk,
  publicJwkOf,
  jwkThumbprint,
  publicJwkToMultibase,
  multibaseToPublicJwk,
  publicJwkOfMethod,
} from '../keys/jwk.js';
export {
  writePrivateKeyFile,
  readPrivateKeyFile,
  signerFromKeyFile,
  methodIdFor,
  type KeyUse,
} from '../keys/key-file.js';
export {
  createDidDocument,
  addKeyToDidDocument,
  revokeKeyInDidDocument,
  keyMethodIds,
  verificationMethodsForKey,
  DID_CONTEXTS,
  type KeyMethodIds,
} from '../keys/did-document.js';
export { didOf, didWebUrl, isDid } from '../keys/did.js';
export { resolveDidKey, didKeyOf } from '../keys/did-key.js';
export { issue, CredentialInvalidError, type IssueOptions } from '../issue.js';
export { signJoseCredential, type EnvelopedCredential, type EnvelopedPresentation } from '../secure/jose/sign.js';
export { signDataIntegrity, type DataIntegritySignOptions } from '../secure/data-integrity/sign.js';
export { DATA_INTEGRITY_CRYPTOSUITES, type DataIntegrityCryptosuite } from '../secure/data-integrity/lib.js';
export { createPresentation, signPresentation, type PresentationSignOptions } from '../secure/presentation/sign.js';
// Privacy: withheld fields (salted-hash commitments and signed releases), SD-JWT credentials, personal-data refusal (docs/privacy.md)
export {
  COMMITMENT_METHOD,
  commitField,
  checkFieldDisclosure,
  type FieldCommitment,
  type FieldDisclosure,
} from '../disclosure/commitment.js';
export { commitBeneficiary, WITHHELD_BENEFICIARY_POINTER } from '../credits/beneficiary.js';
export {
  DISCLOSURE_RELEASE_TYP,
  signDisclosureRelease,
  releaseDisclosure,
  verifyDisclosureRelease,
  type DisclosureReleasePayload,
  type ReleaseInput,
  type VerifiedRelease,
} from '../disclosure/release.js';
export { findPersonalData, refusePersonalData } from '../disclosure/personal-data.js';
export {
  presentSdJwt,
  NEVER_DISCLOSABLE,
  type SdJwtPresentOptions,
  type EnvelopedSdJwtCredential,
} from '../secure/sd-jwt/sign.js';
export { issueSdJwt, type SdJwtIssueOptions } from '../issue.js';
export {
  MIN_STATUS_LIST_SIZE,
  MAX_STATUS_LIST_BYTES,
  statusEntry,
  buildStatusListCredential,
  checkStatusEntry,
  type StatusListEntry,
  type StatusEntryCheck,
} from '../status/bitstring.js';
// Impact: where the premium went, as a PremiumAllocationCredential (docs/impact.md)
export { buildAllocationCredential, readAllocation, type AllocationSummary } from '../impact/build.js';
export type { AllocationInput, AllocationItemInput, PremiumReceivedInput, Amount } from '../impact/types.js';
export {
  IMPACT_CONTEXT_URL,
  IMPACT_VOCAB,
  PREMIUM_ALLOCATION_SCHEMA_URL,
  PREMIUM_ALLOCATION_TYPE,
  REPORTER_ROLES,
  type ReporterRole,
} from '../impact/vocabulary.js';
