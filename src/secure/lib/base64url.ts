import * as base64url from 'jose/base64url';
import { UntpCreditsError } from '../../errors.js';
import { decodeBase64url, encodeBase64url } from '../../lib/base64url.js';

/**
 * Decodes one base64url segment of a JWS, refusing anything but the one canonical encoding of its
 * bytes: no padding, no characters outside the alphabet, and no unused trailing bits set (a last
 * character that differs but decodes to the same bytes is refused with JWS_BASE64URL_NONCANONICAL).
 */
export function decodeCanonicalBase64url(segment: string, what: string): Uint8Array {
  // Fast path (native): Node's decoder skips foreign characters and padding, so a segment that
  // re-encodes to itself is in the alphabet, unpadded and canonical. Otherwise the checks below name why.
  const fast = lenientDecode(segment);
  if (fast && encodeBase64url(fast) === segment) return fast;
  if (!/^[A-Za-z0-9_-]*$/.test(segment) || segment.length % 4 === 1) {
    throw new UntpCreditsError('JWS_MALFORMED', `the JWS ${what} is not base64url`);
  }
  const bytes = base64url.decode(segment);
  if (base64url.encode(bytes) !== segment) {
    throw new UntpCreditsError(
      'JWS_BASE64URL_NONCANONICAL',
      `the JWS ${what} is not canonical base64url (unused trailing bits are set)`,
    );
  }
  return bytes;
}

function lenientDecode(segment: string): Uint8Array | undefined {
  try {
    return decodeBase64url(segment);
  } catch {
    return undefined;
  }
}
