import type { ErrorCode } from '../errors/catalogue.js';

/** One finding of a check: a stable code, a JSON pointer into the checked document, a message. */
export interface Issue {
  code: ErrorCode;
  /** RFC 6901 JSON pointer into the document ('' is the whole document). */
  path: string;
  message: string;
  /** The schema that produced the finding, for schema checks. */
  schemaUrl?: string;
}

/**
 * The result of `validate()`. It is never thrown: bad input yields `valid: false` with codes.
 * `credentialType` is the most specific type (an extension type when there is one);
 * `untpVersion` is read from the UNTP context URL ('0.7.0', '0.6.1'), null for non-UNTP credentials.
 */
export interface ValidationReport {
  valid: boolean;
  credentialType: string | null;
  /** The UNTP core type the credential extends or is, e.g. DigitalConformityCredential. */
  untpType: string | null;
  untpVersion: string | null;
  errors: Issue[];
  warnings: Issue[];
}
