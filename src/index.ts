export { UntpCreditsError, ArtefactUnknownError, InvalidInputError, isUntpCreditsError } from './errors.js';
export { ERROR_CATALOGUE, hasCode, parseErrorCode, type ErrorCode, type DeprecatedCode } from './errors/catalogue.js';
export { ArtefactRegistry, type ArtefactEntry, type ArtefactKind } from './artefacts/registry.js';
export { SchemaValidator } from './artefacts/schemas.js';
export type { Issue, ValidationReport } from './validate/report.js';
export type { JsonLdProcessor, JsonLdCheckResult, RdfQuad, RdfTerm } from './jsonld/types.js';
export { JsonLdJsProcessor } from './jsonld/reference.js';
export { validate, W3C_VC_SCHEMA } from './validate/validate.js';
export type { ValidateOptions } from './validate/options.js';
export { BUILTIN_EXTENSIONS, type ExtensionType } from './validate/extensions.js';
export { detectUntp, untpSchemaUrl, SUPPORTED_UNTP_VERSIONS } from './validate/detect.js';
export { createJsonLdProcessor } from './jsonld/index.js';
export { FastJsonLdProcessor, type RdfResult } from './jsonld/fast.js';
// Keys, DIDs, signing and verification (docs/keys-and-signing.md)
export type {
  Signer,
  SignatureAlgorithm,
  PublicJwk,
  PrivateJwk,
  DidDocument,
  VerificationMethod,
  VerificationRelationship,
} from './keys/types.js';
export { SIGNATURE_ALGORITHMS } from './keys/types.js';
export { generateKeyPair, type GeneratedKeyPair } from './keys/generate.js';
export { createLocalSigner } from './keys/signer.js';
export {
  algorithmOfJwk,
  publicJwkOf,
  jwkThumbprint,
  publicJwkToMultibase,
  multibaseToPublicJwk,
  publicJwkOfMethod,
} from './keys/jwk.js';
export {
  writePrivateKeyFile,
  readPrivateKeyFile,
  signerFromKeyFile,
  methodIdFor,
  type KeyUse,
} from './keys/key-file.js';
export {
  createDidDocument,
  addKeyToDidDocument,
  revokeKeyInDidDocument,
  keyMethodIds,
  verificationMethodsForKey,
  DID_CONTEXTS,
  type KeyMethodIds,
} from './keys/did-document.js';
export { didOf, didWebUrl, isDid } from './keys/did.js';
export { resolveDidKey, didKeyOf } from './keys/did-key.js';
export { createDidResolver, LocalDidStore, type DidResolver, type DidResolverOptions } from './keys/resolver.js';
export { fetchDidWebDocument, isPublicAddress, type DidWebHttpsOptions } from './keys/did-web-https.js';
export { issue, CredentialInvalidError, type IssueOptions } from './issue.js';
export {
  signJoseCredential,
  signCompactJws,
  type EnvelopedCredential,
  type EnvelopedPresentation,
  type JoseProtectedHeader,
} from './secure/jose/sign.js';
export { VC_JWT_PREFIX, VP_JWT_PREFIX } from './lib/envelope.js';
export { decodeCompactJws, checkJoseHeader, type DecodedJws } from './secure/jose/verify.js';
export { signDataIntegrity, type DataIntegritySignOptions } from './secure/data-integrity/sign.js';
export { DATA_INTEGRITY_CRYPTOSUITES, type DataIntegrityCryptosuite } from './secure/data-integrity/lib.js';
export { createPresentation, signPresentation, type PresentationSignOptions } from './secure/presentation/sign.js';
export { verifyPresentation } from './verify/presentation.js';
export { verify } from './verify/verify.js';
export { verifyCredential } from './verify/credential.js';
export type { VerifyOptions, Validator } from './verify/options.js';
export {
  failedStep,
  reportFromValidation,
  validationStep,
  type VerificationReport,
  type VerificationStep,
  type StepName,
} from './verify/report.js';
export { SECURING_FORMATS, type SecuringFormat } from './lib/envelope.js';
export type { StatusListResolver, StatusCheck } from './verify/status.js';
// Credit credentials: issuance and retirement as UNTP DCC extensions (docs/credit-credentials.md)
export {
  buildIssuanceCredential,
  buildRetirementCredential,
  readIssuance,
  DEFAULT_PHYSICAL_OUTPUT_STATEMENT,
  DEFAULT_RETIREMENT_STATEMENT,
  type IssuanceSummary,
} from './credits/build.js';
export {
  addRetirementClaim,
  matchClaimToAssessment,
  type RetirementClaimOptions,
  type ClaimMatch,
} from './credits/dpp.js';
export { digestMultibase, checkDigest, decodeDigestMultibase, jwsOf, jwsPayload } from './lib/digest.js';
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
  type SerialBlock,
  type SerialRange,
} from './credits/serial-block.js';
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
} from './credits/vocabulary.js';
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
  type Credential as CreditCredential,
} from './credits/types.js';
export { Registry } from './registry/registry.js';
export { openRegistry, type OpenRegistryOptions } from './registry/open.js';
export {
  openDatabase,
  PgliteDatabase,
  PostgresDatabase,
  checkDataDir,
  type Database,
  type Queryable,
  type QueryResult,
  type OpenDatabaseOptions,
} from './registry/db.js';
export { migrate, MIGRATIONS, type Migration } from './registry/migrations/index.js';
export { creditBuilders } from './registry/credit-builders.js';
export { joseSecurer } from './registry/signing.js';
export { checkInvariants, type InvariantReport, type InvariantViolation } from './registry/invariants.js';
export { lookupSerial, holdings, type SerialLookup } from './registry/lookup.js';
export { backupPglite, restorePglite, backupPostgres, restorePostgres } from './registry/backup.js';
export type { OpenAccountInput, OpenAccountResult } from './registry/commands/account.js';
export type { IssueInput } from './registry/commands/issue.js';
export type { TransferInput } from './registry/commands/transfer.js';
export type { RetireInput } from './registry/commands/retire.js';
export type { AmendRetirementInput } from './registry/commands/amend.js';
export type { SuspendInput } from './registry/commands/suspend.js';
export type { CancelInput } from './registry/commands/cancel.js';
export type { InvalidateRetirementInput } from './registry/commands/invalidate.js';
export type { CorrectInput } from './registry/commands/correct.js';
export type {
  RegistryOptions,
  CredentialBuilders,
  SecureCredential,
  IssuanceFacts,
  RetirementFacts,
  RetiredUnitFacts,
  AccountHolder,
  AccountReference,
  BlockState,
  LedgerBlock,
  RangeSelector,
  BlockRef,
  EventRecord,
  SignedCredential,
  Revocations,
  IssueResult,
  TransferResult,
  RetireResult,
  AmendResult,
  SuspendResult,
  CancelResult,
  InvalidateResult,
  CorrectResult,
} from './registry/types.js';
export {
  MIN_STATUS_LIST_SIZE,
  MAX_STATUS_LIST_BYTES,
  emptyBitstring,
  getBit,
  setBit,
  encodeBitstring,
  decodeBitstring,
  statusEntry,
  buildStatusListCredential,
  checkStatusEntry,
  type StatusListEntry,
  type StatusEntryCheck,
} from './status/bitstring.js';
export {
  createStatusResolver,
  unwrapStatusList,
  type StatusListSource,
  type StatusResolverOptions,
  type PublishedStatusList,
} from './status/resolver.js';
// The one guarded fetcher for every outbound request (SECURITY.md)
export {
  guardedFetch,
  checkFetchUrl,
  GUARDED_FETCH_CODES,
  type GuardedFetchOptions,
  type GuardedFetchFailure,
  type GuardedResponse,
} from './net/guarded-fetch.js';
export { createHttpsStatusListSource, type HttpsStatusListOptions } from './net/status-list-source.js';
// Offline verification bundles, pinned trust, double-claim detection, DPP cross-checks (docs/bundles.md)
export {
  BUNDLE_TYPE,
  BUNDLE_VERSION,
  MANIFEST_TYP,
  isBundle,
  parseBundle,
  type VerificationBundle,
  type BundleManifest,
  type ManifestEntry,
} from './bundle/format.js';
export { buildBundle, signManifest, compactJwsOf, type BundleParts } from './bundle/build.js';
export {
  verifyBundle,
  BUNDLE_STEPS,
  type BundleReport,
  type BundleStep,
  type BundleStepName,
  type BundleVerifyOptions,
  type BundledCredentialReport,
} from './bundle/verify.js';
export { databaseBundleSource, bundleRetirement, type BundleSource } from './bundle/source.js';
export {
  parseTrustFile,
  readTrustFile,
  trustFileFor,
  canonicalJson,
  didDocumentDigest,
  TRUST_FILE_TYPE,
  JWK_THUMBPRINT_URI,
  type TrustFile,
  type PinnedDid,
} from './trust/trust-file.js';
export {
  createTrackedResolver,
  assessKeys,
  type TrackedResolver,
  type TrackedResolverOptions,
  type KeyTrust,
  type KeySource,
  type DocumentSource,
  type VouchingAnchor,
} from './trust/provenance.js';
export {
  checkAnchors,
  vouchingAnchors,
  buildAnchorCredential,
  type AnchorReport,
  type AnchorInput,
} from './trust/anchors.js';
export {
  detectDoubleClaims,
  retirementStatement,
  type RetirementStatement,
  type RetiredRange,
  type DoubleClaim,
  type SweepResult,
} from './claims/double-claim.js';
export { statementsFromBundles, statementFromReport, latestStatusLists } from './claims/collect.js';
export {
  crossCheckPassports,
  EU_MEMBERS,
  type KnownRetirement,
  type PassportInput,
  type CrossCheckFinding,
  type CrossCheckOptions,
  type CrossCheckReport,
} from './claims/dpp-cross-check.js';
// Batch verification on worker threads (input order, bounded queue, clean shutdown)
export { VerifyPool, type VerifyPoolOptions, type PoolVerifyOptions } from './verify/pool.js';
// HTTP server: VC-API, registry API, did:web, status lists, retirement statements, web verifier (docs/server.md)
export { createApp, createServerContext, type ServerContext, type ServerContextOptions } from './server/app.js';
export { startServer, type StartServerOptions, type StartedServer } from './server/start.js';
export { openServerDatabase, DEFAULT_DATA_DIR, type ServerDatabaseOptions } from './server/bootstrap.js';
export { openLedger, LedgerAdapter, ledgerBaseUrl, ledgerStatusLists } from './server/ledger.js';
export {
  ensureIdentity,
  loadIdentity,
  rotateSigningKey,
  identitySigner,
  identityDidDocument,
  didWebForUrl,
  publicUrlForDid,
  type RegistryIdentity,
  type StoredKey,
  type EnsureIdentityOptions,
} from './server/identity.js';
export {
  createApiKey,
  revokeApiKey,
  listApiKeys,
  hashApiKey,
  hasScope,
  type Scope,
  type Principal,
  type CreatedApiKey,
} from './server/auth.js';
export { statusForCode, problemOf, HttpProblem, type ProblemBody } from './server/problem.js';
export { openApiDocument } from './server/openapi.js';
export {
  LEDGER_COMMANDS,
  type LedgerPort,
  type StatusListsPort,
  type LedgerCommand,
  type Page,
} from './server/ports.js';
export { seedDemo } from './server/demo.js';
// Privacy: withheld fields (salted-hash commitments and signed releases), SD-JWT credentials, personal-data refusal (docs/privacy.md)
export {
  COMMITMENT_METHOD,
  commitField,
  checkFieldDisclosure,
  decodeFieldDisclosure,
  type FieldCommitment,
  type FieldDisclosure,
} from './disclosure/commitment.js';
export { newSalt } from './secure/sd-jwt/hash.js';
export { commitBeneficiary, WITHHELD_BENEFICIARY_POINTER } from './credits/beneficiary.js';
export {
  DISCLOSURE_RELEASE_TYP,
  signDisclosureRelease,
  releaseDisclosure,
  verifyDisclosureRelease,
  type DisclosureReleasePayload,
  type ReleaseInput,
  type VerifiedRelease,
} from './disclosure/release.js';
export {
  withheldFields,
  checkWithheld,
  describeWithheld,
  type WithheldField,
  type WithheldState,
  type WithheldCheck,
} from './disclosure/withheld.js';
export {
  findPersonalData,
  refusePersonalData,
  REFUSED_MEMBER_NAMES,
  PERSONAL_DATA_PATTERN,
} from './disclosure/personal-data.js';
export {
  presentSdJwt,
  NEVER_DISCLOSABLE,
  type SdJwtPresentOptions,
  type EnvelopedSdJwtCredential,
} from './secure/sd-jwt/sign.js';
export { issueSdJwt, type SdJwtIssueOptions } from './issue.js';
export { VC_SD_JWT_TYP, VC_SD_JWT_PREFIX } from './lib/envelope.js';
export { decodeSdJwt, sdJwtOfInput, type DecodedSdJwt } from './secure/sd-jwt/decode.js';
export type { SdJwtFormat } from './lib/envelope.js';
export { beneficiaryOf } from './credits/build.js';
export {
  CONFIDENTIAL_DOCUMENT_TYPES,
  type ConfidentialDocumentRef,
  type ConfidentialDocumentType,
  type WithheldCommitment,
} from './credits/types.js';
export { ClaimsBatch, type BatchClaimsReport, type ClaimFinding } from './claims/batch.js';
export { formatBundleReport } from './bundle/text.js';
export { formatBatchClaims } from './claims/text.js';
// Footprint: how many credits a buyer needs, from passports and units sold; coverage of retirements (docs/impact.md)
export {
  computeFootprint,
  compositionOf,
  passportPayload,
  FOOTPRINT_METHOD,
  parsePeriod,
  periodContains,
  parseCsv,
  productsFromCsv,
  unitsSoldFromCsv,
  productsCsv,
  checkCoverage,
  retirementCover,
  draftRetirementRequest,
  formatFootprint,
  formatCoverage,
  type Footprint,
  type FootprintInput,
  type FootprintOptions,
  type FootprintCommodity,
  type FootprintLine,
  type FootprintPeriod,
  type FootprintPeriodRef,
  type MaterialMatch,
  type ProductComposition,
  type ProductRow,
  type UnitsSoldRow,
  type CoverageReport,
  type CoveragePeriod,
  type OverClaim,
  type RetirementCover,
  type DraftOptions,
  type DraftRetirementRequest,
} from './footprint/index.js';
// The one UN/ECE Rec 20 mass-unit table every quantity comparison uses
export { MASS_UNITS, massUnit, kilograms, convertMass, type MassUnit } from './lib/mass-units.js';
// Impact: where the premium went, as a PremiumAllocationCredential (docs/impact.md)
export { buildAllocationCredential, readAllocation, type AllocationSummary } from './impact/build.js';
export type { AllocationInput, AllocationItemInput, PremiumReceivedInput, Amount } from './impact/types.js';
export {
  IMPACT_CONTEXT_URL,
  IMPACT_VOCAB,
  PREMIUM_ALLOCATION_SCHEMA_URL,
  PREMIUM_ALLOCATION_TYPE,
  REPORTER_ROLES,
  type ReporterRole,
} from './impact/vocabulary.js';
export {
  recordAllocation,
  allocationsForRetirement,
  allocationJws,
  readOverview,
  type AllocationRecord,
  type Overview,
  type Reader as OverviewReader,
} from './impact/ledger.js';
export {
  renderOverviewPage,
  renderRetirementPremiumPage,
  creditsChart,
  premiumChart,
} from './server/pages/overview.js';
