/**
 * untp-credits/bundle — offline verification bundles (build, sign, read; verifying one is in the
 * root entry too), pinned trust files and anchors, double-claim detection, passport cross-checks,
 * batch verification on worker threads, and the text reports of the CLI (docs/bundles.md).
 */
export {
  BUNDLE_TYPE,
  BUNDLE_VERSION,
  MANIFEST_TYP,
  isBundle,
  parseBundle,
  type VerificationBundle,
  type BundleManifest,
  type ManifestEntry,
} from '../bundle/format.js';
export { buildBundle, signManifest, type BundleParts } from '../bundle/build.js';
export {
  verifyBundle,
  BUNDLE_STEPS,
  type BundleReport,
  type BundleStep,
  type BundleStepName,
  type BundleVerifyOptions,
  type BundledCredentialReport,
} from '../bundle/verify.js';
export {
  parseTrustFile,
  readTrustFile,
  trustFileFor,
  didDocumentDigest,
  TRUST_FILE_TYPE,
  JWK_THUMBPRINT_URI,
  type TrustFile,
  type PinnedDid,
} from '../trust/trust-file.js';
export {
  createTrackedResolver,
  assessKeys,
  type TrackedResolver,
  type TrackedResolverOptions,
  type KeyTrust,
  type KeySource,
  type DocumentSource,
  type VouchingAnchor,
} from '../trust/provenance.js';
export {
  checkAnchors,
  vouchingAnchors,
  buildAnchorCredential,
  type AnchorReport,
  type AnchorInput,
} from '../trust/anchors.js';
export {
  detectDoubleClaims,
  retirementStatement,
  type RetirementStatement,
  type RetiredRange,
  type DoubleClaim,
  type SweepResult,
} from '../claims/double-claim.js';
export { statementsFromBundles, statementFromReport, latestStatusLists } from '../claims/collect.js';
export {
  crossCheckPassports,
  EU_MEMBERS,
  type KnownRetirement,
  type PassportInput,
  type CrossCheckFinding,
  type CrossCheckOptions,
  type CrossCheckReport,
} from '../claims/dpp-cross-check.js';
// Batch verification on worker threads (input order, bounded queue, clean shutdown)
export { VerifyPool, type VerifyPoolOptions, type PoolVerifyOptions } from '../verify/pool.js';
export { ClaimsBatch, type BatchClaimsReport, type ClaimFinding } from '../claims/batch.js';
export { formatBundleReport } from '../bundle/text.js';
export { formatBatchClaims } from '../claims/text.js';
