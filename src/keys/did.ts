import { InvalidInputError } from '../errors.js';

const DID = /^did:([a-z0-9]+):([A-Za-z0-9._:%-]*[A-Za-z0-9._%-])$/;

/** The DID of a DID URL (drops path, query and fragment). */
export function didOf(didUrl: string): string {
  const end = didUrl.search(/[/?#]/);
  return end === -1 ? didUrl : didUrl.slice(0, end);
}

export function isDid(value: unknown): value is string {
  return typeof value === 'string' && DID.test(value);
}

/** The method name of a DID ('web', 'key', …). */
export function didMethod(did: string): string {
  const match = DID.exec(did);
  if (!match) throw new InvalidInputError('DID_INVALID', `${did} is not a DID`);
  return match[1] as string;
}

/**
 * The HTTPS URL a did:web document is published at (did:web method spec §3.2):
 * did:web:example.com → https://example.com/.well-known/did.json;
 * did:web:example.com:a:b → https://example.com/a/b/did.json; %3A in the host is a port.
 */
export function didWebUrl(did: string): URL {
  if (!isDid(did) || didMethod(did) !== 'web')
    throw new InvalidInputError('DID_INVALID', `${did} is not a did:web DID`);
  const [host, ...path] = did.slice('did:web:'.length).split(':');
  const authority = decodeURIComponent(host ?? '');
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(authority))
    throw new InvalidInputError('DID_INVALID', `${did}: the host is not a domain name`);
  const segments = path.map((segment) => {
    const decoded = decodeURIComponent(segment);
    if (decoded === '' || decoded === '.' || decoded === '..' || decoded.includes('/'))
      throw new InvalidInputError('DID_INVALID', `${did}: bad path segment`);
    return encodeURIComponent(decoded);
  });
  return new URL(
    segments.length === 0
      ? `https://${authority}/.well-known/did.json`
      : `https://${authority}/${segments.join('/')}/did.json`,
  );
}
