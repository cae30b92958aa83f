import { UntpCreditsError } from '../errors.js';
import { guardedFetch, type GuardedFetchOptions } from '../net/guarded-fetch.js';
import { didWebUrl } from './did.js';
import type { DidDocument } from './types.js';

export { isPublicAddress } from '../net/guarded-fetch.js';

/** did:web resolution goes through the one guarded fetcher (src/net/guarded-fetch.ts); its options apply. */
export interface DidWebHttpsOptions extends Omit<GuardedFetchOptions, 'codes' | 'accept'> {
  /** Whole-request timeout in milliseconds (default 5000). */
  timeoutMs?: number;
  /** Largest DID document accepted, in bytes (default 256 KiB). */
  maxBytes?: number;
}

const DID_WEB_CODES = {
  url: 'DID_INVALID',
  host: 'DID_WEB_HOST_NOT_ALLOWED',
  address: 'DID_WEB_ADDRESS_REFUSED',
  redirect: 'DID_WEB_REDIRECT_REFUSED',
  status: 'DID_RESOLUTION_FAILED',
  tooLarge: 'DID_DOCUMENT_TOO_LARGE',
  timeout: 'DID_RESOLUTION_TIMEOUT',
  network: 'DID_RESOLUTION_FAILED',
} as const;

/**
 * Fetches a did:web DID document over HTTPS — only call this when remote resolution is explicitly
 * allowed. Refuses redirects, non-public addresses (loopback, private, link-local), hosts off
 * `allowedHosts` when given, bodies over `maxBytes`, and anything slower than `timeoutMs`. Errors:
 * DID_WEB_ADDRESS_REFUSED, DID_WEB_HOST_NOT_ALLOWED, DID_WEB_REDIRECT_REFUSED, DID_DOCUMENT_TOO_LARGE,
 * DID_RESOLUTION_TIMEOUT, DID_RESOLUTION_FAILED, DID_DOCUMENT_INVALID.
 */
export async function fetchDidWebDocument(did: string, options: DidWebHttpsOptions = {}): Promise<DidDocument> {
  const url = didWebUrl(did);
  let body: Uint8Array;
  try {
    ({ body } = await guardedFetch(url, {
      ...options,
      accept: 'application/did+json, application/json',
      codes: DID_WEB_CODES,
    }));
  } catch (error) {
    if (error instanceof UntpCreditsError) {
      throw new UntpCreditsError(error.code, `${did}: ${error.message}`, {
        details: { did, url: url.href },
        cause: error,
      });
    }
    throw error;
  }
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder().decode(body));
  } catch (error) {
    throw new UntpCreditsError('DID_DOCUMENT_INVALID', `${did}: the document at ${url.href} is not JSON`, {
      cause: error,
    });
  }
  return document as DidDocument;
}
