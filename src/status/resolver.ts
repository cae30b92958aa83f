import { jwsPayload } from '../lib/digest.js';
import { UntpCreditsError } from '../errors.js';
import { VC_JWT_PREFIX } from '../lib/envelope.js';
import type { StatusCheck, StatusListResolver } from '../verify/status.js';
import { checkStatusEntry } from './bitstring.js';
import { isCreditCredential, issuerIdOf } from '../lib/credential.js';

/** A status-list credential as published: enveloped (`data:application/vc+jwt,…`), a compact JWS, or the bare credential. */
export type PublishedStatusList = object | string;

/** Where status lists come from: the registry store, or a snapshot (url → list) for offline use. */
export interface StatusListSource {
  get(url: string): Promise<PublishedStatusList | undefined>;
}

export interface StatusResolverOptions {
  /**
   * Checks the list's signature before it is trusted (e.g. with `verify()` and the registry's DID
   * document). Without it the list is decoded without a signature check: fine for the registry's
   * own store, not for a snapshot from elsewhere.
   */
  verifyList?: (list: PublishedStatusList) => Promise<boolean>;
}

/** The status-list credential itself, unwrapped from its envelope or JWS. */
export function unwrapStatusList(published: PublishedStatusList): Record<string, unknown> {
  const list = published as Record<string, unknown> | string;
  if (typeof list === 'string')
    return jwsPayload(list.startsWith(VC_JWT_PREFIX) ? list.slice(VC_JWT_PREFIX.length) : list.trim());
  if (list.type === 'EnvelopedVerifiableCredential' && typeof list.id === 'string' && list.id.startsWith(VC_JWT_PREFIX))
    return jwsPayload(list.id.slice(VC_JWT_PREFIX.length));
  return list;
}

/**
 * A status resolver for the verifier's status step: reads the list an entry names from `source`
 * (a registry's store, a snapshot object url → list, or a Map) and checks the bit. A set bit gives
 * `revoked`, which `verify()` reports as CREDENTIAL_REVOKED; a list it cannot find gives
 * `unavailable` (STATUS_UNAVAILABLE).
 *
 * @example
 *   const report = await verify(retirementVc, { status: createStatusResolver(registry.statusSource()) });
 *   const offline = createStatusResolver({ 'https://registry.example/status/1': listVc });
 */
export function createStatusResolver(
  source: StatusListSource | Map<string, PublishedStatusList> | Record<string, PublishedStatusList>,
  options: StatusResolverOptions = {},
): StatusListResolver {
  const get: (url: string) => Promise<PublishedStatusList | undefined> =
    source instanceof Map
      ? async (url) => source.get(url)
      : typeof (source as StatusListSource).get === 'function'
        ? (url) => (source as StatusListSource).get(url)
        : async (url) =>
            Object.prototype.hasOwnProperty.call(source, url)
              ? (source as Record<string, PublishedStatusList>)[url]
              : undefined;
  return {
    async check(entry, credential): Promise<StatusCheck> {
      const url = entry.statusListCredential;
      if (typeof url !== 'string') return { status: 'unavailable', message: 'the entry names no statusListCredential' };
      const list = await get(url);
      if (list === undefined)
        return { status: 'unavailable', message: `status list ${url} is not in the store or snapshot` };
      if (options.verifyList && !(await options.verifyList(list))) {
        throw new UntpCreditsError('STATUS_LIST_UNVERIFIED', `the signature of status list ${url} does not verify`);
      }
      const listCredential = unwrapStatusList(list);
      // Only the ledger signs credit credentials and their lists: a credit credential's list must
      // be its own issuer's (the registry DID), not, say, the generic VC-API issuer's.
      if (credential && isCreditCredential(credential) && issuerIdOf(listCredential) !== issuerIdOf(credential))
        return {
          status: 'invalid',
          code: 'STATUS_LIST_NOT_LEDGER',
          message: `status list ${url} is issued by ${String(issuerIdOf(listCredential))}, not by the credit credential's issuer ${String(issuerIdOf(credential))}: it is not a ledger list`,
        };
      const result = checkStatusEntry(entry, listCredential);
      return result.message === undefined
        ? { status: result.status }
        : { status: result.status, message: result.message };
    },
  };
}
