/**
 * How a credential or presentation is secured, and the envelopes that carry a secured one: the
 * securing format names, the `data:` URL prefixes of EnvelopedVerifiableCredential /
 * EnvelopedVerifiablePresentation ids, and the JOSE `typ` values (VC-JOSE-COSE, UNTP profile).
 */

/** How a credential or presentation is secured. */
export type SecuringFormat = 'jose' | 'eddsa-rdfc-2022' | 'ecdsa-rdfc-2019';
export const SECURING_FORMATS: readonly SecuringFormat[] = ['jose', 'eddsa-rdfc-2022', 'ecdsa-rdfc-2019'];
/** W3C VC-JOSE-COSE SD-JWT (`typ` vc+sd-jwt), verified by `verify()`; issued with `issueSdJwt()` (docs/privacy.md). */
export type SdJwtFormat = 'sd-jwt';

export const VC_JWT_PREFIX = 'data:application/vc+jwt,';
export const VP_JWT_PREFIX = 'data:application/vp+jwt,';
/** W3C VC-JOSE-COSE SD-JWT media type (not the IETF `dc+sd-jwt` / `vct` format). */
export const VC_SD_JWT_TYP = 'vc+sd-jwt';
export const VC_SD_JWT_PREFIX = 'data:application/vc+sd-jwt,';
export const KB_JWT_TYP = 'kb+jwt';

const VCDM2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

/** Envelope `@context`: the credential's own when it is a VCDM 2.0 list (as the UNTP samples do), else VCDM 2.0 alone. */
export function envelopeContext(document: Record<string, unknown>): unknown[] {
  const context = document['@context'];
  return Array.isArray(context) && context[0] === VCDM2_CONTEXT ? [...context] : [VCDM2_CONTEXT];
}
