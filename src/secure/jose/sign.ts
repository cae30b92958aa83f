import * as base64url from 'jose/base64url';
import type { Signer } from '../../keys/types.js';
import { envelopeContext, VC_JWT_PREFIX } from '../../lib/envelope.js';

/** The protected header of a VC-JOSE-COSE JWS (UNTP profile): `{ alg, kid, typ, cty }`. */
export interface JoseProtectedHeader {
  alg: string;
  kid: string;
  typ: 'vc+jwt' | 'vp+jwt';
  cty: 'vc' | 'vp';
}

/**
 * A compact JWS over `payload` (serialized as UTF-8 JSON, exactly as given), signed by `signer`.
 * The protected header is `{ alg, kid: signer.keyId, typ, cty }`.
 */
export async function signCompactJws(
  payload: Record<string, unknown>,
  signer: Signer,
  kind: 'vc' | 'vp' = 'vc',
): Promise<string> {
  const header: JoseProtectedHeader = {
    alg: signer.algorithm,
    kid: signer.keyId,
    typ: kind === 'vc' ? 'vc+jwt' : 'vp+jwt',
    cty: kind,
  };
  const signingInput = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}`;
  const signature = await signer.sign(new TextEncoder().encode(signingInput));
  return `${signingInput}.${base64url.encode(signature)}`;
}

/** An EnvelopedVerifiableCredential around a vc+jwt: `{ @context, type, id: data:application/vc+jwt,<JWS> }`. */
export interface EnvelopedCredential {
  '@context': unknown[];
  type: 'EnvelopedVerifiableCredential';
  id: string;
}

export interface EnvelopedPresentation {
  '@context': unknown[];
  type: 'EnvelopedVerifiablePresentation';
  id: string;
}

/**
 * Secures a credential as VC-JOSE-COSE (UNTP profile): payload = the credential exactly, returned as an
 * EnvelopedVerifiableCredential. Does not validate: use `issue()` for that.
 */
export async function signJoseCredential(
  credential: Record<string, unknown>,
  signer: Signer,
): Promise<EnvelopedCredential> {
  const jws = await signCompactJws(credential, signer, 'vc');
  return {
    '@context': envelopeContext(credential),
    type: 'EnvelopedVerifiableCredential',
    id: `${VC_JWT_PREFIX}${jws}`,
  };
}
