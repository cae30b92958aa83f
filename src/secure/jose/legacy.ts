import { UntpCreditsError } from '../../errors.js';
import type { SignatureAlgorithm } from '../../keys/types.js';
import { SIGNATURE_ALGORITHMS } from '../../keys/types.js';

/**
 * VC-JWT 1.1 (VC Data Model 1.1 §6.3.1, "JWT and JWS considerations"): a JWT whose `vc` or `vp`
 * claim holds the credential or presentation, with `iss`, `nbf`, `exp`, `jti`, `sub` standing for
 * members of it. Read only — the toolkit verifies such a JWT (with the warning VC_JWT_1_1_READ_ONLY)
 * and never issues one. Its envelope prefix is the generic `data:application/jwt,`.
 */
export const LEGACY_JWT_PREFIX = 'data:application/jwt,';

/** True when a decoded JWS is a VC-JWT 1.1 of this kind (a `vc`/`vp` claim, `typ` JWT or absent). */
export function isLegacyJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  kind: 'vc' | 'vp',
): boolean {
  const claim = payload[kind];
  const typ = header.typ;
  return (
    claim !== null &&
    typeof claim === 'object' &&
    !Array.isArray(claim) &&
    (typ === undefined || typ === 'JWT' || typ === 'jwt' || typ === 'application/jwt')
  );
}

/** The header checks of a VC-JWT 1.1: an allowed asymmetric `alg`, a `kid`, no `crit`. Returns the alg. */
export function checkLegacyHeader(
  header: Record<string, unknown>,
  algorithms: readonly SignatureAlgorithm[] = SIGNATURE_ALGORITHMS,
): SignatureAlgorithm {
  const alg = header.alg;
  if (typeof alg !== 'string') throw new UntpCreditsError('JOSE_ALG_REFUSED', 'the JWT header has no alg');
  if (alg.toLowerCase() === 'none' || /^HS\d+$/i.test(alg))
    throw new UntpCreditsError('JOSE_ALG_REFUSED', `alg ${alg} is refused (unsigned or symmetric)`);
  if (!(algorithms as readonly string[]).includes(alg))
    throw new UntpCreditsError('JOSE_ALG_UNSUPPORTED', `alg ${alg} is not allowed (${algorithms.join(', ')})`);
  if (typeof header.kid !== 'string' || header.kid === '')
    throw new UntpCreditsError('JOSE_KID_MISSING', 'the JWT header has no kid');
  if (header.crit !== undefined || header.b64 !== undefined)
    throw new UntpCreditsError('JOSE_CRIT_UNSUPPORTED', 'crit / b64 header parameters are not supported');
  return alg as SignatureAlgorithm;
}

/** The key id of a VC-JWT 1.1: a relative `#fragment` kid is taken relative to `iss`. */
export function legacyKeyId(header: Record<string, unknown>, payload: Record<string, unknown>): unknown {
  const kid = header.kid;
  return typeof kid === 'string' && kid.startsWith('#') && typeof payload.iss === 'string'
    ? `${payload.iss}${kid}`
    : kid;
}

const isoOf = (seconds: unknown): string | undefined =>
  typeof seconds === 'number' && Number.isFinite(seconds)
    ? new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')
    : undefined;

/**
 * The credential or presentation a VC-JWT 1.1 stands for (VCDM 1.1 §6.3.1 decoding): the `vc`/`vp`
 * claim, with `iss` as issuer (holder), `jti` as id, `nbf` as issuanceDate, `exp` as expirationDate
 * and `sub` as the credentialSubject id. A registered claim that disagrees with a member already
 * present is refused (JWS_PAYLOAD_INVALID): the JWT must read one way.
 */
export function legacyDocument(payload: Record<string, unknown>, kind: 'vc' | 'vp'): Record<string, unknown> {
  const document = { ...(payload[kind] as Record<string, unknown>) };
  const set = (member: string, value: unknown) => {
    if (value === undefined) return;
    const current = document[member];
    const currentId =
      current !== null && typeof current === 'object' && !Array.isArray(current)
        ? (current as { id?: unknown }).id
        : current;
    if (current !== undefined && currentId !== value)
      throw new UntpCreditsError(
        'JWS_PAYLOAD_INVALID',
        `the JWT claim for ${member} (${JSON.stringify(value)}) disagrees with the ${kind}'s ${member}`,
      );
    if (current === undefined) document[member] = value;
  };
  set(kind === 'vc' ? 'issuer' : 'holder', payload.iss);
  set('id', payload.jti);
  if (kind === 'vc') {
    // Dates: the claim fills a missing member (their spellings may differ, e.g. milliseconds).
    document.issuanceDate ??= isoOf(payload.nbf);
    document.expirationDate ??= isoOf(payload.exp);
    if (document.issuanceDate === undefined) delete document.issuanceDate;
    if (document.expirationDate === undefined) delete document.expirationDate;
    const subject = document.credentialSubject;
    if (typeof payload.sub === 'string' && subject !== null && typeof subject === 'object' && !Array.isArray(subject)) {
      const id = (subject as { id?: unknown }).id;
      if (id !== undefined && id !== payload.sub)
        throw new UntpCreditsError('JWS_PAYLOAD_INVALID', 'the JWT sub disagrees with credentialSubject.id');
      document.credentialSubject = { ...subject, id: payload.sub };
    }
  }
  return document;
}
