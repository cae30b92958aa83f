import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { UntpCreditsError } from '../errors.js';
import { didWebUrl } from './did.js';
import type { DidDocument } from './types.js';

export interface DidWebHttpsOptions {
  /** Whole-request timeout in milliseconds (default 5000). */
  timeoutMs?: number;
  /** Largest DID document accepted, in bytes (default 256 KiB). */
  maxBytes?: number;
  /** Extra trust anchors (PEM) for a DID host under a private PKI. */
  ca?: string | Buffer;
  /**
   * Which resolved addresses may be contacted (default `isPublicAddress`: no loopback, private or
   * link-local). Override only to reach an internal DID host you trust.
   */
  isAllowedAddress?: (address: string) => boolean;
}

// Addresses a did:web fetch must never reach: loopback, private, link-local, CGNAT, multicast, reserved.
const REFUSED = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  REFUSED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['2001:db8::', 32]] as const) {
  REFUSED.addSubnet(net, prefix, 'ipv6');
}

/** False for loopback, private, link-local and other non-public addresses (IPv4-mapped IPv6 included). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !REFUSED.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return isPublicAddress(mapped[1] as string);
    return !REFUSED.check(address, 'ipv6');
  }
  return false;
}

// Checked at connection time (not before), so a DNS answer cannot change between check and connect.
const safeLookup = (allowed: (address: string) => boolean): LookupFunction => (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find((a) => !allowed(a.address));
    if (refused || addresses.length === 0) {
      const e = Object.assign(new Error(`${hostname} resolves to a non-public address ${refused?.address ?? ''}`), { code: 'DID_WEB_ADDRESS_REFUSED' });
      return callback(e, '', 0);
    }
    const first = addresses[0] as LookupAddress;
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    else callback(null, first.address, first.family);
  });
};

/**
 * Fetches a did:web DID document over HTTPS — only call this when remote resolution is explicitly
 * allowed. Refuses redirects, non-public addresses (loopback, private, link-local), bodies over
 * `maxBytes`, and anything slower than `timeoutMs`. Errors: DID_WEB_ADDRESS_REFUSED,
 * DID_WEB_REDIRECT_REFUSED, DID_DOCUMENT_TOO_LARGE, DID_RESOLUTION_TIMEOUT, DID_RESOLUTION_FAILED,
 * DID_DOCUMENT_INVALID.
 */
export async function fetchDidWebDocument(did: string, options: DidWebHttpsOptions = {}): Promise<DidDocument> {
  const url = didWebUrl(did);
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 256 * 1024;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const allowed = options.isAllowedAddress ?? isPublicAddress;
  if (isIP(host) !== 0 && !allowed(host)) {
    throw new UntpCreditsError('DID_WEB_ADDRESS_REFUSED', `${did}: ${host} is not a public address`, { details: { did } });
  }
  const body = await new Promise<string>((resolve, reject) => {
    const fail = (code: string, message: string, cause?: unknown) => reject(new UntpCreditsError(code, `${did}: ${message}`, { details: { did, url: url.href }, cause }));
    const req = request(url, { method: 'GET', lookup: safeLookup(allowed), headers: { accept: 'application/did+json, application/json' }, ...(options.ca ? { ca: options.ca } : {}) }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        res.resume();
        return fail('DID_WEB_REDIRECT_REFUSED', `${url.href} redirects (${status}); redirects are refused`);
      }
      if (status !== 200) {
        res.resume();
        return fail('DID_RESOLUTION_FAILED', `${url.href} answered ${status}`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          req.destroy();
          fail('DID_DOCUMENT_TOO_LARGE', `${url.href} is larger than ${maxBytes} bytes`);
        } else chunks.push(chunk);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', (error) => fail('DID_RESOLUTION_FAILED', error.message, error));
    });
    const timer = setTimeout(() => {
      req.destroy();
      fail('DID_RESOLUTION_TIMEOUT', `no answer from ${url.href} within ${timeoutMs} ms`);
    }, timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (error: Error & { code?: string }) => {
      clearTimeout(timer);
      if (error.code === 'DID_WEB_ADDRESS_REFUSED') fail('DID_WEB_ADDRESS_REFUSED', error.message, error);
      else fail('DID_RESOLUTION_FAILED', error.message, error);
    });
    req.end();
  });
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch (error) {
    throw new UntpCreditsError('DID_DOCUMENT_INVALID', `${did}: the document at ${url.href} is not JSON`, { cause: error });
  }
  return document as DidDocument;
}
