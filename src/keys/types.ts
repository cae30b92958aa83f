/** The JOSE algorithms this toolkit signs and verifies with (VC-JOSE-COSE allow-list). */
export type SignatureAlgorithm = 'EdDSA' | 'ES256' | 'ES384' | 'ES512';
export const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = ['EdDSA', 'ES256', 'ES384', 'ES512'];

/**
 * Everything that signs goes through this: a key file, a KMS or an HSM. `sign` returns the raw
 * signature as JOSE defines it for `algorithm` (Ed25519: 64 bytes; ECDSA: r‖s, IEEE P1363),
 * computed over `data` exactly (ECDSA hashes it with SHA-256/384 as part of signing).
 *
 * @example
 *   const signer: Signer = { keyId: 'did:web:example.com#key-1', algorithm: 'EdDSA', sign: (data) => kms.sign(data) };
 */
export interface Signer {
  /** The DID URL of the verification method (JOSE `kid`, Data Integrity `verificationMethod`). */
  readonly keyId: string;
  readonly algorithm: SignatureAlgorithm;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** A public JWK of one of the supported key types. */
export interface PublicJwk {
  kty: 'OKP' | 'EC';
  crv: 'Ed25519' | 'P-256' | 'P-384' | 'P-521';
  x: string;
  y?: string;
  kid?: string;
  alg?: string;
  [member: string]: unknown;
}

/** A private JWK (adds `d`). */
export interface PrivateJwk extends PublicJwk {
  d: string;
}

export interface VerificationMethod {
  id: string;
  type: string;
  controller: string;
  publicKeyJwk?: Record<string, unknown>;
  publicKeyMultibase?: string;
  [member: string]: unknown;
}

/** A DID document, as much of it as verification needs. */
export interface DidDocument {
  '@context'?: unknown;
  id: string;
  verificationMethod?: VerificationMethod[];
  assertionMethod?: (string | VerificationMethod)[];
  authentication?: (string | VerificationMethod)[];
  [member: string]: unknown;
}

/** The verification relationships a proof can claim. */
export type VerificationRelationship = 'assertionMethod' | 'authentication';
