import { UntpCreditsError } from '../errors.js';
import type { PublishedStatusList, StatusListSource } from '../status/resolver.js';
import { guardedFetch, type GuardedFetchOptions } from './guarded-fetch.js';

const STATUS_LIST_CODES = {
  url: 'STATUS_LIST_URL_REFUSED',
  host: 'STATUS_LIST_HOST_NOT_ALLOWED',
  address: 'STATUS_LIST_ADDRESS_REFUSED',
  redirect: 'STATUS_LIST_REDIRECT_REFUSED',
  status: 'STATUS_LIST_FETCH_FAILED',
  tooLarge: 'STATUS_LIST_TOO_LARGE',
  timeout: 'STATUS_LIST_TIMEOUT',
  network: 'STATUS_LIST_FETCH_FAILED',
} as const;

/** Options of remote status-list fetching: the guarded fetcher's (no error-code override). */
export type HttpsStatusListOptions = Omit<GuardedFetchOptions, 'codes' | 'accept'>;

/**
 * A status-list source that fetches lists over HTTPS through the guarded fetcher (no redirects, no
 * private addresses, timeout, size cap — default 2 MiB here, as a 16 KiB bitstring gzips small).
 * Only for when remote status checks are explicitly wanted; give `createStatusResolver` a
 * `verifyList` too, since a fetched list is only as good as its signature. A fetch failure throws,
 * which the status step reports as STATUS_UNAVAILABLE.
 *
 * @example
 *   const status = createStatusResolver(createHttpsStatusListSource({ allowedHosts: ['registry.example'] }), { verifyList });
 */
export function createHttpsStatusListSource(options: HttpsStatusListOptions = {}): StatusListSource {
  return {
    async get(url: string): Promise<PublishedStatusList | undefined> {
      const { body, contentType } = await guardedFetch(url, {
        maxBytes: 2 * 1024 * 1024,
        ...options,
        accept: 'application/vc+jwt, application/vc+ld+json, application/json',
        codes: STATUS_LIST_CODES,
      });
      const text = new TextDecoder().decode(body).trim();
      if (
        /^application\/(vc\+)?jwt\b/i.test(contentType ?? '') ||
        /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(text)
      )
        return text;
      try {
        const parsed = JSON.parse(text) as unknown;
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
          throw new Error('not a JSON object');
        return parsed as PublishedStatusList;
      } catch (error) {
        throw new UntpCreditsError(
          'STATUS_LIST_INVALID',
          `${url} is neither a JWS nor a JSON credential: ${(error as Error).message}`,
          { cause: error },
        );
      }
    },
  };
}
