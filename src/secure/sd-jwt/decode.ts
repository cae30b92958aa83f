import { Disclosure } from '@sd-jwt/utils';
import { UntpCreditsError } from '../../errors.js';
import { VC_SD_JWT_PREFIX } from '../../lib/envelope.js';
import { decodeCompactJws, type DecodedJws } from '../jose/verify.js';
import { sdJwtHasher } from './hash.js';
import { decodeBase64urlText } from '../../lib/base64url.js';

/** A decoded SD-JWT: the issuer-signed JWT, its disclosures and an optional key-binding JWT. */
export interface DecodedSdJwt {
  jwt: DecodedJws;
  disclosures: Disclosure[];
  /** The presentation up to and including the last `~` (what a key-binding JWT's sd_hash covers). */
  withoutKb: string;
  kb: DecodedJws | null;
}

/** The compact SD-JWT an input carries (an enveloped vc+sd-jwt, its data: URL, or a bare SD-JWT), or null. */
export function sdJwtOfInput(input: unknown): string | null {
  const take = (s: string) => {
    const text = s.trim();
    if (text.startsWith(VC_SD_JWT_PREFIX)) return text.slice(VC_SD_JWT_PREFIX.length);
    return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+~/.test(text) ? text : null;
  };
  if (typeof input === 'string') return take(input);
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    const id = (input as { id?: unknown }).id;
    if (typeof id === 'string' && id.startsWith(VC_SD_JWT_PREFIX)) return id.slice(VC_SD_JWT_PREFIX.length);
  }
  return null;
}

/**
 * Decodes an SD-JWT (`<jwt>~<disclosure>~…~<kb-jwt or empty>`). Codes: SD_JWT_MALFORMED,
 * SD_DISCLOSURE_MALFORMED, SD_DISCLOSURE_DUPLICATE, and the JWS decoding codes.
 */
export async function decodeSdJwt(compact: string): Promise<DecodedSdJwt> {
  const parts = compact.split('~');
  if (parts.length < 2)
    throw new UntpCreditsError('SD_JWT_MALFORMED', 'an SD-JWT ends with ~ (or a key-binding JWT after the last ~)');
  const jwt = decodeCompactJws(parts[0] ?? '');
  const kbPart = parts[parts.length - 1] ?? '';
  const encoded = parts.slice(1, -1);
  const alg = jwt.payload._sd_alg ?? 'sha-256';
  if (alg !== 'sha-256')
    throw new UntpCreditsError('SD_ALG_UNSUPPORTED', `_sd_alg ${String(alg)} is not supported (sha-256 only)`);
  const seen = new Set<string>();
  const disclosures: Disclosure[] = [];
  for (const [i, text] of encoded.entries()) {
    if (seen.has(text)) throw new UntpCreditsError('SD_DISCLOSURE_DUPLICATE', `disclosure ${i} is given twice`);
    seen.add(text);
    let disclosure: Disclosure;
    try {
      if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('not base64url');
      disclosure = await Disclosure.fromEncode(text, { hasher: sdJwtHasher, alg: 'sha-256' });
      const raw = JSON.parse(decodeBase64urlText(text)) as unknown;
      if (
        !Array.isArray(raw) ||
        (raw.length !== 2 && raw.length !== 3) ||
        typeof raw[0] !== 'string' ||
        (raw.length === 3 && typeof raw[1] !== 'string')
      )
        throw new Error('not [salt, name, value] or [salt, value]');
    } catch (error) {
      throw new UntpCreditsError(
        'SD_DISCLOSURE_MALFORMED',
        `disclosure ${i} is not a valid SD-JWT disclosure: ${(error as Error).message}`,
      );
    }
    disclosures.push(disclosure);
  }
  return {
    jwt,
    disclosures,
    withoutKb: compact.slice(0, compact.length - kbPart.length),
    kb: kbPart === '' ? null : decodeCompactJws(kbPart),
  };
}
