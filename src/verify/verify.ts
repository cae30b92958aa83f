import { decodeCompactJws } from '../secure/jose/verify.js';
import { VP_JWT_PREFIX } from '../lib/envelope.js';
import { isLegacyJwt, LEGACY_JWT_PREFIX } from '../secure/jose/legacy.js';
import { verifyPresentation } from './presentation.js';
import { verifyCredential } from './credential.js';
import type { VerifyOptions } from './options.js';
import type { VerificationReport } from './report.js';
import { typesOf } from './secured.js';

/**
 * Verifies whatever it is given — an enveloped credential or presentation, a bare compact JWS
 * (vc+jwt or vp+jwt), or a credential or presentation with an embedded Data Integrity proof —
 * and returns one report. Never throws on bad input.
 *
 * @example
 *   const report = await verify(JSON.parse(text), { resolver, clock: () => new Date('2030-01-01') });
 *   if (!report.verified) console.log(report.steps.find((s) => !s.ok));
 */
export async function verify(input: unknown, options: VerifyOptions = {}): Promise<VerificationReport> {
  return isPresentation(input) ? verifyPresentation(input, options) : verifyCredential(input, options);
}

/** True when the input is (or envelopes) a presentation rather than a credential. */
export function isPresentation(input: unknown): boolean {
  if (typeof input === 'string') {
    const text = input.trim();
    if (text.startsWith(VP_JWT_PREFIX)) return true;
    const jws = text.startsWith(LEGACY_JWT_PREFIX) ? text.slice(LEGACY_JWT_PREFIX.length) : text;
    try {
      const decoded = decodeCompactJws(jws);
      return decoded.header.typ === 'vp+jwt' || isLegacyJwt(decoded.header, decoded.payload, 'vp');
    } catch {
      return false;
    }
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return false;
  const types = typesOf(input as Record<string, unknown>);
  return types.includes('VerifiablePresentation') || types.includes('EnvelopedVerifiablePresentation');
}
