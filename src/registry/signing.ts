import { issue } from '../issue.js';
import type { Signer } from '../keys/types.js';
import type { EnvelopedCredential } from '../secure/jose/sign.js';
import type { SecureCredential } from './types.js';

/**
 * The default signing step: `issue(credential, { format: 'jose', signer })`, which validates the
 * credential before signing it (an invalid one is refused with CREDENTIAL_INVALID and the command
 * rolls back).
 *
 * @example
 *   const secure = joseSecurer(createLocalSigner(privateJwk, 'did:web:registry.example#key-1'));
 */
export function joseSecurer(signer: Signer): SecureCredential {
  return async (credential) => (await issue(credential, { format: 'jose', signer })) as unknown as EnvelopedCredential;
}
