import type { JsonLdProcessor } from '../jsonld/types.js';
import type { DidResolver } from '../keys/resolver.js';
import type { SignatureAlgorithm } from '../keys/types.js';
import type { ValidateOptions } from '../validate/options.js';
import type { ValidationReport } from '../validate/report.js';
import type { LogEvidence, TrustedLog } from './log.js';
import type { StatusListResolver } from './status.js';

export type Validator = (credential: unknown, options?: ValidateOptions) => Promise<ValidationReport>;

export interface VerifyOptions {
  /** Resolves issuer/holder DIDs (default: did:key only, plus `didDocuments`). */
  resolver?: DidResolver;
  /** DID documents to use when no `resolver` is given. */
  didDocuments?: readonly unknown[];
  /** The clock for the validity window and proof expiry (default: the system clock). */
  clock?: () => Date;
  /** Credential status lookup; without one a `credentialStatus` gives the warning STATUS_UNAVAILABLE. */
  status?: StatusListResolver;
  /** Fail (instead of warn) when status cannot be checked. */
  requireStatus?: boolean;
  /** Options of the validation step. */
  validateOptions?: ValidateOptions;
  /** The validation step's implementation (default: `validate`). */
  validator?: Validator;
  /** The JSON-LD component for Data Integrity canonicalization (default: validateOptions.jsonld or the shared one). */
  jsonld?: JsonLdProcessor;
  /** JOSE algorithms accepted (default EdDSA, ES256, ES384; never none or HS*). */
  algorithms?: readonly SignatureAlgorithm[];
  /** Presentations: the challenge the verifier issued (JOSE `nonce`, Data Integrity `proof.challenge`). */
  challenge?: string;
  /** Presentations: the verifier's domain (JOSE `aud`, Data Integrity `proof.domain`). */
  domain?: string;
  /**
   * Disclosure releases (compact JWS, typ untp-disclosure+jwt) of the credential's withheld fields
   * (docs/privacy.md). Each must verify; the `disclosure` step reports every withheld field.
   */
  disclosures?: readonly unknown[];
  /** SD-JWT key binding: the oldest `iat` accepted, in seconds before now (default 300). */
  keyBindingMaxAge?: number;
  /**
   * Transparency logs the verifier pins (a trust file's `issuers[].log`): a credit credential of
   * such an issuer is checked against its log (the `log` step, src/verify/log.ts).
   */
  logs?: readonly TrustedLog[];
  /** The credential's log entry, inclusion proof and checkpoint (a registry record's `log`, with `entry`). */
  logEvidence?: LogEvidence;
  /** Fail a credit credential whose inclusion in a pinned log is not shown (LOG_KEY_NOT_PINNED, LOG_ENTRY_MISSING). */
  requireLog?: boolean;
}
