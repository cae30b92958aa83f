import { Disclosure } from '@sd-jwt/utils';
import { InvalidInputError, UntpCreditsError } from '../errors.js';
import { checkDigest, digestMultibase } from '../lib/digest.js';
import { newSalt } from '../secure/sd-jwt/hash.js';
import { decodeBase64urlText } from '../lib/base64url.js';

/**
 * Salted-hash commitments to a withheld field inside an ordinary (vc+jwt, JSON-LD) credential.
 *
 * The committed bytes are an RFC 9901 (SD-JWT) disclosure, `base64url(JSON([salt, name, value]))`,
 * encoded by the kept SD-JWT library, so the value needs no canonicalisation: the disclosure string
 * is what is hashed and what is later released. The credential carries
 * `{ commitmentMethod, digestMultibase, disclosureDate }` (terms of the untp-credits context), with
 * `digestMultibase` the toolkit's one digest (sha2-256 multihash, base58btc) over the disclosure string.
 */

/** The only commitment method: sha2-256 over an RFC 9901 disclosure string. */
export const COMMITMENT_METHOD = 'sd-jwt-disclosure-sha2-256';

/** A commitment as it appears in a credential (e.g. creditRetirement.withheldBeneficiary). */
export interface FieldCommitment {
  commitmentMethod: typeof COMMITMENT_METHOD;
  digestMultibase: string;
  /** ISO date from which the registry will release the disclosure. */
  disclosureDate: string;
}

/** What is kept back (by the registry) and released later: the disclosure string and what it decodes to. */
export interface FieldDisclosure<T = unknown> {
  /** The RFC 9901 disclosure: base64url of `[salt, name, value]`. */
  disclosure: string;
  salt: string;
  name: string;
  value: T;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Commits to `value` under `name` with a fresh 128-bit salt (or the given one): returns the
 * commitment to put in the credential and the disclosure to keep until `disclosureDate`.
 *
 * @example
 *   const { commitment, disclosure } = commitField('beneficiary', beneficiary, { disclosureDate: '2027-03-31' });
 *   // buildRetirementCredential({ …, withheldBeneficiary: commitment }); store `disclosure.disclosure` privately
 */
export function commitField<T>(
  name: string,
  value: T,
  options: { disclosureDate: string; salt?: string },
): { commitment: FieldCommitment; disclosure: FieldDisclosure<T> } {
  if (!DATE.test(options.disclosureDate) || Number.isNaN(Date.parse(`${options.disclosureDate}T00:00:00Z`))) {
    throw new InvalidInputError(
      'INVALID_DATE',
      `the disclosure date must be an ISO date (YYYY-MM-DD), got ${JSON.stringify(options.disclosureDate)}`,
      '/disclosureDate',
    );
  }
  const salt = options.salt ?? newSalt();
  if (salt.length < 22)
    throw new InvalidInputError(
      'SALT_TOO_SHORT',
      'a commitment salt carries at least 128 bits (22 base64url characters or more)',
      '/salt',
    );
  const encoded = new Disclosure<T>([salt, name, value]).encode();
  return {
    commitment: {
      commitmentMethod: COMMITMENT_METHOD,
      digestMultibase: digestMultibase(encoded),
      disclosureDate: options.disclosureDate,
    },
    disclosure: { disclosure: encoded, salt, name, value },
  };
}

/**
 * Decodes a disclosure string `[salt, name, value]`. Code: DISCLOSURE_MALFORMED.
 *
 * @example
 *   decodeFieldDisclosure('WyJzYWx0IiwgImJlbmVmaWNpYXJ5IiwgeyJpZCI6Ii4uLiJ9XQ').value;
 */
export function decodeFieldDisclosure(encoded: string): FieldDisclosure {
  let data: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(encoded)) throw new Error('not base64url');
    data = JSON.parse(decodeBase64urlText(encoded));
  } catch (error) {
    throw new UntpCreditsError(
      'DISCLOSURE_MALFORMED',
      `the disclosure is not base64url JSON: ${(error as Error).message}`,
    );
  }
  if (!Array.isArray(data) || data.length !== 3 || typeof data[0] !== 'string' || typeof data[1] !== 'string') {
    throw new UntpCreditsError('DISCLOSURE_MALFORMED', 'a field disclosure is the array [salt, name, value]');
  }
  return { disclosure: encoded, salt: data[0], name: data[1], value: data[2] as unknown };
}

/**
 * Checks a disclosure against a commitment: the method is known, the disclosure's digest is the
 * committed one and it discloses the expected field name. Codes: COMMITMENT_METHOD_UNSUPPORTED,
 * DISCLOSURE_MISMATCH (wrong salt, value or name), DISCLOSURE_MALFORMED.
 *
 * @example
 *   checkFieldDisclosure(credential.credentialSubject.creditRetirement.withheldBeneficiary, released, 'beneficiary').value;
 */
export function checkFieldDisclosure(commitment: unknown, encoded: string, name: string): FieldDisclosure {
  const c = commitment as Partial<FieldCommitment> | null;
  if (
    c === null ||
    typeof c !== 'object' ||
    c.commitmentMethod !== COMMITMENT_METHOD ||
    typeof c.digestMultibase !== 'string'
  ) {
    throw new UntpCreditsError(
      'COMMITMENT_METHOD_UNSUPPORTED',
      `the commitment is not a ${COMMITMENT_METHOD} commitment`,
    );
  }
  const decoded = decodeFieldDisclosure(encoded);
  if (!checkDigest(encoded, c.digestMultibase)) {
    throw new UntpCreditsError(
      'DISCLOSURE_MISMATCH',
      `the disclosure does not match the commitment ${c.digestMultibase} (wrong salt or value)`,
    );
  }
  if (decoded.name !== name)
    throw new UntpCreditsError(
      'DISCLOSURE_MISMATCH',
      `the disclosure discloses ${JSON.stringify(decoded.name)}, not ${JSON.stringify(name)}`,
    );
  return decoded;
}
