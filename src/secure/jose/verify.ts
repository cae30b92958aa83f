import type { ErrorCode } from '../../errors/catalogue.js';
import { scanJson } from '../../lib/json-scan.js';
import { UntpCreditsError } from '../../errors.js';
import type { PublicJwk, SignatureAlgorithm } from '../../keys/types.js';
import { SIGNATURE_ALGORITHMS } from '../../keys/types.js';
import { decodeCanonicalBase64url } from '../lib/base64url.js';
import { verifyRawSignature } from '../lib/raw-signature.js';
import { decodeBase64url } from '../../lib/base64url.js';

export interface DecodedJws {
  jws: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/**
 * Decodes a compact JWS without checking its signature. Every segment must be canonical base64url.
 * Errors: JWS_MALFORMED, JWS_BASE64URL_NONCANONICAL, JWS_HEADER_INVALID, JWS_PAYLOAD_INVALID.
 */
export function decodeCompactJws(jws: string): DecodedJws {
  const parts = jws.split('.');
  if (parts.length !== 3)
    throw new UntpCreditsError('JWS_MALFORMED', `a compact JWS has 3 parts, this has ${parts.length}`);
  const [h, p, s] = parts as [string, string, string];
  const headerBytes = decodeCanonicalBase64url(h, 'protected header');
  const payloadBytes = decodeCanonicalBase64url(p, 'payload');
  decodeCanonicalBase64url(s, 'signature');
  const header = parseObject(headerBytes, 'JWS_HEADER_INVALID', 'protected header');
  const payload = parseObject(payloadBytes, 'JWS_PAYLOAD_INVALID', 'payload');
  return { jws, header, payload };
}

// One fatal decoder for every call (non-streaming decode keeps no state between calls).
const utf8 = new TextDecoder('utf-8', { fatal: true });

// Deeper than any credential needs; refused before any recursive walker sees it.
export const MAX_JWS_JSON_DEPTH = 64;

function parseObject(bytes: Uint8Array, code: ErrorCode, what: string): Record<string, unknown> {
  let value: unknown;
  let text: string;
  try {
    text = utf8.decode(bytes);
    value = JSON.parse(text);
  } catch (error) {
    throw new UntpCreditsError(code, `the JWS ${what} is not UTF-8 JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new UntpCreditsError(code, `the JWS ${what} is not a JSON object`);
  const scan = scanJson(text, MAX_JWS_JSON_DEPTH);
  if (scan.depth > MAX_JWS_JSON_DEPTH)
    throw new UntpCreditsError('INPUT_TOO_DEEP', `the JWS ${what} nests deeper than ${MAX_JWS_JSON_DEPTH} levels`);
  // Parsers disagree on duplicates (last wins here, first elsewhere): a signed text must read one way.
  if (scan.duplicate !== undefined)
    throw new UntpCreditsError(code, `the JWS ${what} names member '${scan.duplicate}' twice`);
  return value as Record<string, unknown>;
}

/**
 * Header checks of the UNTP profile: `alg` on the allow-list (EdDSA, ES256, ES384, ES512; `none` and HS*
 * refused with JOSE_ALG_REFUSED, others JOSE_ALG_UNSUPPORTED), `typ` as expected (JOSE_TYP_INVALID),
 * `cty` if present (JOSE_CTY_INVALID), a `kid` (JOSE_KID_MISSING), no `crit` or `b64` (JOSE_CRIT_UNSUPPORTED).
 */
export function checkJoseHeader(
  header: Record<string, unknown>,
  kind: 'vc' | 'vp',
  algorithms: readonly SignatureAlgorithm[] = SIGNATURE_ALGORITHMS,
): SignatureAlgorithm {
  const alg = header.alg;
  if (typeof alg !== 'string') throw new UntpCreditsError('JOSE_ALG_REFUSED', 'the JWS header has no alg');
  if (alg.toLowerCase() === 'none' || /^HS\d+$/i.test(alg))
    throw new UntpCreditsError('JOSE_ALG_REFUSED', `alg ${alg} is refused (unsigned or symmetric)`);
  if (!(algorithms as readonly string[]).includes(alg))
    throw new UntpCreditsError('JOSE_ALG_UNSUPPORTED', `alg ${alg} is not allowed (${algorithms.join(', ')})`);
  const typ = `${kind}+jwt`;
  // RFC 7515 §4.1.9: a typ without '/' stands for application/<typ>, so both spellings are the same media type.
  if (header.typ !== typ && header.typ !== `application/${typ}`)
    throw new UntpCreditsError('JOSE_TYP_INVALID', `typ must be ${typ}, not ${JSON.stringify(header.typ)}`);
  if (header.cty !== undefined && header.cty !== kind)
    throw new UntpCreditsError(
      'JOSE_CTY_INVALID',
      `cty must be ${kind} when present, not ${JSON.stringify(header.cty)}`,
    );
  if (typeof header.kid !== 'string' || header.kid === '')
    throw new UntpCreditsError('JOSE_KID_MISSING', 'the JWS header has no kid');
  if (header.crit !== undefined || header.b64 !== undefined)
    throw new UntpCreditsError('JOSE_CRIT_UNSUPPORTED', 'crit / b64 header parameters are not supported');
  return alg as SignatureAlgorithm;
}

/** Checks the JWS signature with the resolved public key. Errors: KEY_ALGORITHM_MISMATCH, SIGNATURE_INVALID. */
export async function verifyJwsSignature(
  decoded: DecodedJws,
  alg: SignatureAlgorithm,
  publicJwk: PublicJwk,
  keyAlgorithm: SignatureAlgorithm,
): Promise<void> {
  if (alg !== keyAlgorithm)
    throw new UntpCreditsError('KEY_ALGORITHM_MISMATCH', `the header says ${alg} but the key is a ${keyAlgorithm} key`);
  // RFC 7515 §5.2 directly over node:crypto (sync, imported key cached): the header checks jose's
  // compactVerify would repeat are done (checkJoseHeader), and the segments are already canonical base64url.
  const dot = decoded.jws.lastIndexOf('.');
  const signingInput = new TextEncoder().encode(decoded.jws.slice(0, dot));
  const signature = decodeBase64url(decoded.jws.slice(dot + 1));
  if (!verifyRawSignature(alg, publicJwk, signingInput, signature)) {
    throw new UntpCreditsError('SIGNATURE_INVALID', 'the JWS signature does not verify: signature verification failed');
  }
}
