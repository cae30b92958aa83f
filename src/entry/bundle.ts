/**
 * untp-credits/bundle — offline verification bundles (build and sign; reading and verifying one
 * are in the root entry), pinned trust files and anchors, double-claim detection, passport cross-checks,
 * batch verification on worker threads, and the text reports of the CLI (docs/bundles.md).
 */
export { buildBundle, signManifest, type BundleParts } from '../bundle/build.js';
export {
  readTrustFile,
  trustFileFor,
  didDocumentDigest,
  TRUST_FILE_TYPE,
  JWK_THUMBPRINT_URI,
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
