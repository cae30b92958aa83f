import type { ErrorCode } from '../errors/catalogue.js';
import type * as Dns from 'node:dns';
import type { LookupAddress } from 'node:dns';
import type { BlockList, LookupFunction } from 'node:net';
import { UntpCreditsError } from '../errors.js';
import { concatBytes } from '../lib/bytes.js';
import { nodeDns, nodeHttp, nodeHttps, nodeNet } from '../lib/platform.js';

/**
 * The one way this toolkit reaches the network. Nothing fetches by default: did:web resolution and
 * status-list fetching call this only when the caller explicitly allows remote resolution, and JSON-LD
 * contexts are never fetched at all (src/artefacts). Every request is:
 *
 * - HTTPS only (GET, or POST with a JSON body), to a host on `allowedHosts` when one is configured;
 *   plain HTTP only to a loopback host, and only when the caller opts in with `allowLoopbackHttp`
 *   (a registry URL given explicitly on the command line);
 * - refused when the host resolves to (or is) a loopback, private, link-local, CGNAT, multicast or
 *   reserved address — checked at connection time, so a DNS answer cannot change between check and
 *   connect (tests opt in to loopback with `isAllowedAddress`);
 * - never redirected (a 3xx is an error, not followed);
 * - bounded: `timeoutMs` for the whole exchange and `maxBytes` for the body.
 *
 * test/security/net-rule.test.ts keeps it the only place in src/ that opens outbound connections.
 *
 * Node's modules are taken when first needed (lib/platform.ts), so the root entry bundles for a
 * browser. There the page's own `fetch` is used, with the same URL policy, no redirects and the same
 * limits; a browser does its own name resolution, so host names are not checked against addresses
 * there, and IP literals are refused unless `isAllowedAddress` allows them.
 */

/** What went wrong, independent of the caller's error codes. */
export type GuardedFetchFailure =
  'url' | 'host' | 'address' | 'redirect' | 'status' | 'tooLarge' | 'timeout' | 'network';

/** The default code of each failure (callers such as did:web map them to their own codes). */
export const GUARDED_FETCH_CODES: Readonly<Record<GuardedFetchFailure, ErrorCode>> = {
  url: 'FETCH_URL_REFUSED',
  host: 'FETCH_HOST_NOT_ALLOWED',
  address: 'FETCH_ADDRESS_REFUSED',
  redirect: 'FETCH_REDIRECT_REFUSED',
  status: 'FETCH_FAILED',
  tooLarge: 'FETCH_TOO_LARGE',
  timeout: 'FETCH_TIMEOUT',
  network: 'FETCH_FAILED',
};

export interface GuardedFetchOptions {
  /** Whole-request timeout in milliseconds (default 5000, at most 60 000). */
  timeoutMs?: number;
  /** Largest body accepted, in bytes (default 256 KiB, at most 16 MiB). */
  maxBytes?: number;
  /** Extra trust anchors (PEM) for a host under a private PKI. */
  ca?: string | Buffer;
  /**
   * Which resolved addresses may be contacted (default `isPublicAddress`: no loopback, private or
   * link-local). Override only to reach an internal host you trust (or a test's local listener).
   */
  isAllowedAddress?: (address: string) => boolean;
  /** When given, only these host names (case-insensitive, exact; `host:port` to pin a port) may be fetched. */
  allowedHosts?: readonly string[];
  /** The Accept header (default application/json). */
  accept?: string;
  /** Error codes to use instead of GUARDED_FETCH_CODES. */
  codes?: Partial<Record<GuardedFetchFailure, ErrorCode>>;
  /** GET (default) or POST. */
  method?: 'GET' | 'POST';
  /** The request body (POST), sent as `content-type: application/json` unless `headers` say otherwise. */
  body?: string;
  /** Extra request headers (e.g. Authorization, Idempotency-Key); Host, Content-Length and encodings are set here. */
  headers?: Readonly<Record<string, string>>;
  /**
   * Answer with any non-redirect status (the body included: a problem+json) instead of refusing all
   * but 200. Redirects stay refused.
   */
  anyStatus?: boolean;
  /**
   * Explicit opt-in, never a default: allow a plain-HTTP URL whose host is a loopback literal
   * (127.0.0.0/8, ::1) or `localhost`, connecting to loopback addresses only. For a registry URL a
   * person typed on the command line (`--registry http://127.0.0.1:8080`); nothing read from a
   * credential or a DID document may set it.
   */
  allowLoopbackHttp?: boolean;
}

export interface GuardedResponse {
  url: string;
  status: number;
  contentType: string | undefined;
  body: Uint8Array;
}

const MAX_TIMEOUT_MS = 60_000;
const MAX_BYTES = 16 * 1024 * 1024;

// Addresses a fetch must never reach: loopback, private, link-local, CGNAT, multicast, reserved.
const REFUSED_V4 = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const;
const REFUSED_V6 = [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['2002::', 16],
] as const;

let refused: BlockList | undefined;
function refusedList(): BlockList | undefined {
  const net = nodeNet();
  if (!net) return undefined;
  if (!refused) {
    refused = new net.BlockList();
    for (const [subnet, prefix] of REFUSED_V4) refused.addSubnet(subnet, prefix, 'ipv4');
    for (const [subnet, prefix] of REFUSED_V6) refused.addSubnet(subnet, prefix, 'ipv6');
  }
  return refused;
}

/** 4, 6 or 0 as node:net's isIP (a strict portable check where the runtime has no node:net). */
function isIP(text: string): number {
  const net = nodeNet();
  if (net) return net.isIP(text);
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(text)) return 4;
  return /^[0-9a-f:.]+$/i.test(text) && text.includes(':') ? 6 : 0;
}

/** False for loopback, private, link-local and other non-public addresses (IPv4-mapped and -compatible IPv6 included). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  const REFUSED = refusedList();
  // Without node:net (a browser) no address counts as public: callers allow literals explicitly.
  if (!REFUSED) return false;
  if (family === 4) return !REFUSED.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^(?:0{0,4}:){0,4}:?(?:ffff:)?(?:0{1,4}:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return isPublicAddress(mapped[1] as string);
    // ::ffff:7f00:1 (mapped, hex form) → the IPv4 address it carries.
    const hexMapped = /^(?:0{0,4}:){0,4}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
    if (hexMapped) {
      const high = parseInt(hexMapped[1] as string, 16);
      const low = parseInt(hexMapped[2] as string, 16);
      return isPublicAddress(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
    }
    return !REFUSED.check(address, 'ipv6');
  }
  return false;
}

/** True for loopback addresses only (127.0.0.0/8, ::1, and IPv4-mapped loopback). */
export function isLoopbackAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return address.startsWith('127.');
  if (family === 6) {
    const bare = address.toLowerCase();
    if (bare === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(bare)) return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
    return mapped ? isLoopbackAddress(mapped[1] as string) : false;
  }
  return false;
}

const ADDRESS_REFUSED = 'GUARDED_FETCH_ADDRESS_REFUSED';

// Checked at connection time (not before), so a DNS answer cannot change between check and connect.
function safeLookup(allowed: (address: string) => boolean): LookupFunction {
  return (hostname, options, callback) => {
    (nodeDns() as typeof Dns).lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.find((a) => !allowed(a.address));
      if (refused || addresses.length === 0) {
        const e = Object.assign(new Error(`${hostname} resolves to a non-public address ${refused?.address ?? ''}`), {
          code: ADDRESS_REFUSED,
        });
        return callback(e, '', 0);
      }
      const first = addresses[0] as LookupAddress;
      if ((options as { all?: boolean }).all)
        (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

/**
 * Checks a URL against the policy without connecting: HTTPS, allow-list, literal addresses.
 * Throws the same errors `guardedFetch` would. Exported for tests and for callers that want to
 * refuse early.
 */
export function checkFetchUrl(target: string | URL, options: GuardedFetchOptions = {}): URL {
  const codes = { ...GUARDED_FETCH_CODES, ...options.codes };
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new UntpCreditsError(codes.url, `${String(target)} is not a URL`, { details: { url: String(target) } });
  }
  if (url.protocol === 'http:' && options.allowLoopbackHttp) {
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (host !== 'localhost' && !isLoopbackAddress(host))
      throw new UntpCreditsError(codes.url, `${url.href}: plain http: is allowed for a loopback registry only`, {
        details: { url: url.href },
      });
    if (url.username || url.password)
      throw new UntpCreditsError(codes.url, `${url.origin}: URLs with credentials are refused`, {
        details: { url: url.origin },
      });
    return url;
  }
  if (url.protocol !== 'https:')
    throw new UntpCreditsError(codes.url, `${url.href}: only https: URLs are fetched`, { details: { url: url.href } });
  if (url.username || url.password)
    throw new UntpCreditsError(codes.url, `${url.origin}: URLs with credentials are refused`, {
      details: { url: url.origin },
    });
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (options.allowedHosts) {
    const allowed = options.allowedHosts.map((h) => h.toLowerCase());
    if (!allowed.includes(host) && !allowed.includes(url.host.toLowerCase())) {
      throw new UntpCreditsError(codes.host, `${url.host} is not on the allow-list of hosts`, {
        details: { url: url.href },
      });
    }
  }
  const isAllowed = options.isAllowedAddress ?? isPublicAddress;
  if (isIP(host) !== 0 && !isAllowed(host)) {
    throw new UntpCreditsError(codes.address, `${url.href}: ${host} is not a public address`, {
      details: { url: url.href },
    });
  }
  if (
    isIP(host) === 0 &&
    /^(localhost|.*\.localhost|.*\.local|.*\.internal)$/i.test(host) &&
    options.isAllowedAddress === undefined
  ) {
    throw new UntpCreditsError(codes.address, `${url.href}: ${host} is a local name`, { details: { url: url.href } });
  }
  return url;
}

/**
 * GET `target` under the policy above. Resolves only on 200 with a body within `maxBytes`.
 * Errors (UntpCreditsError, codes overridable with `codes`): FETCH_URL_REFUSED, FETCH_HOST_NOT_ALLOWED,
 * FETCH_ADDRESS_REFUSED, FETCH_REDIRECT_REFUSED, FETCH_TOO_LARGE, FETCH_TIMEOUT, FETCH_FAILED.
 *
 * @example
 *   const { body } = await guardedFetch('https://registry.example/status/1', { allowedHosts: ['registry.example'] });
 */
export async function guardedFetch(target: string | URL, options: GuardedFetchOptions = {}): Promise<GuardedResponse> {
  const codes = { ...GUARDED_FETCH_CODES, ...options.codes };
  const url = checkFetchUrl(target, options);
  const timeoutMs = Math.min(Math.max(options.timeoutMs ?? 5000, 1), MAX_TIMEOUT_MS);
  const maxBytes = Math.min(Math.max(options.maxBytes ?? 256 * 1024, 0), MAX_BYTES);
  const plainLoopback = url.protocol === 'http:';
  const allowed = plainLoopback ? isLoopbackAddress : (options.isAllowedAddress ?? isPublicAddress);
  const method = options.method ?? 'GET';
  const payload = options.body === undefined ? undefined : new TextEncoder().encode(options.body);
  const headers: Record<string, string> = {
    accept: options.accept ?? 'application/json',
    ...(payload ? { 'content-type': 'application/json' } : {}),
    ...(options.headers ?? {}),
  };
  headers['accept-encoding'] = 'identity';
  if (payload) headers['content-length'] = String(payload.length);
  const http = plainLoopback ? nodeHttp() : nodeHttps();
  if (!http || !nodeDns()) return portableFetch(url, { method, headers, payload, timeoutMs, maxBytes, codes, options });
  return new Promise<GuardedResponse>((resolve, reject) => {
    let settled = false;
    const fail = (kind: GuardedFetchFailure, message: string, cause?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(new UntpCreditsError(codes[kind], message, { details: { url: url.href }, cause }));
    };
    const req = http.request(
      url,
      {
        method,
        lookup: safeLookup(allowed),
        headers,
        ...(options.ca && !plainLoopback ? { ca: options.ca } : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          res.resume();
          return fail('redirect', `${url.href} redirects (${status}); redirects are refused`);
        }
        if (status !== 200 && !(options.anyStatus && status >= 200)) {
          res.resume();
          return fail('status', `${url.href} answered ${status}`);
        }
        const declared = Number(res.headers['content-length'] ?? '0');
        if (declared > maxBytes) return fail('tooLarge', `${url.href} is larger than ${maxBytes} bytes`);
        const chunks: Uint8Array[] = [];
        let size = 0;
        res.on('data', (chunk: Uint8Array) => {
          if (settled) return;
          size += chunk.length;
          if (size > maxBytes) fail('tooLarge', `${url.href} is larger than ${maxBytes} bytes`);
          else chunks.push(chunk);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ url: url.href, status, contentType: res.headers['content-type'], body: concatBytes(...chunks) });
        });
        res.on('error', (error) => fail('network', error.message, error));
      },
    );
    const timer = setTimeout(() => fail('timeout', `no answer from ${url.href} within ${timeoutMs} ms`), timeoutMs);
    req.on('error', (error: Error & { code?: string }) => {
      if (error.code === ADDRESS_REFUSED) fail('address', `${url.href}: ${error.message}`, error);
      else fail('network', `${url.href}: ${error.message}`, error);
    });
    req.end(payload);
  });
}

/** The same request with the runtime's fetch (a browser): no redirects, the timeout and size limits kept. */
async function portableFetch(
  url: URL,
  request: {
    method: 'GET' | 'POST';
    headers: Record<string, string>;
    payload: Uint8Array | undefined;
    timeoutMs: number;
    maxBytes: number;
    codes: Record<GuardedFetchFailure, ErrorCode>;
    options: GuardedFetchOptions;
  },
): Promise<GuardedResponse> {
  const { codes, maxBytes, options } = request;
  const failure = (kind: GuardedFetchFailure, message: string, cause?: unknown) =>
    new UntpCreditsError(codes[kind], message, { details: { url: url.href }, cause });
  const headers = { ...request.headers };
  // A browser sets these itself and refuses them from a script.
  delete headers['accept-encoding'];
  delete headers['content-length'];
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers,
      ...(request.payload ? { body: request.payload } : {}),
      redirect: 'error',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError')
      throw failure('timeout', `no answer from ${url.href} within ${request.timeoutMs} ms`, error);
    // fetch reports a refused redirect as a network error; both end here.
    throw failure('network', `${url.href}: ${(error as Error).message}`, error);
  }
  const status = response.status;
  if (status !== 200 && !(options.anyStatus && status >= 200))
    throw failure('status', `${url.href} answered ${status}`);
  if (Number(response.headers.get('content-length') ?? '0') > maxBytes)
    throw failure('tooLarge', `${url.href} is larger than ${maxBytes} bytes`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (;;) {
    const next = reader ? await reader.read() : { done: true as const, value: undefined };
    if (next.done) break;
    size += next.value.length;
    if (size > maxBytes) {
      await reader?.cancel();
      throw failure('tooLarge', `${url.href} is larger than ${maxBytes} bytes`);
    }
    chunks.push(next.value);
  }
  return {
    url: url.href,
    status,
    contentType: response.headers.get('content-type') ?? undefined,
    body: concatBytes(...chunks),
  };
}
