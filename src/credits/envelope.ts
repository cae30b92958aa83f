import { compact, str, uri } from './check.js';
import type { Credential } from './types.js';
import { DCC_TYPE, ISSUING_SOFTWARE, UNTP_CONTEXT_0_7_0, W3C_VC_CONTEXT } from './vocabulary.js';

/**
 * What a UNTP 0.7.0 Digital Conformity Credential extension (credit issuance, credit retirement,
 * premium allocation) puts around its subject. Values arrive checked: each builder checks its input
 * in its own order, so the first error it reports stays the same.
 */
export interface DccExtensionParts {
  /** The extension's JSON-LD context, listed after VCDM 2.0 and UNTP 0.7.0. */
  context: string;
  /** The extension type, listed before DigitalConformityCredential. */
  type: string;
  /** The extension's JSON Schema. */
  schemaUrl: string;
  id: string;
  issuer: Record<string, unknown>;
  validFrom: string;
  name: string;
  /** Left out when undefined. */
  credentialStatus: Record<string, unknown> | undefined;
  renderMethod: unknown;
  credentialSubject: Record<string, unknown>;
}

/**
 * The credential of a DCC extension: contexts, types (the extension's first), issuer, validFrom,
 * name, credentialSchema, credentialStatus, renderMethod, issuingSoftware (this software, as UNTP
 * 0.7.0 defines it) and credentialSubject, in that order (the order the signed bytes carry).
 *
 * @example
 *   dccExtensionEnvelope({ context: CREDITS_CONTEXT_URL, type: CREDIT_ISSUANCE_TYPE, schemaUrl: CREDIT_ISSUANCE_SCHEMA_URL,
 *     id, issuer: credentialIssuer(input.issuer), validFrom, name, credentialStatus, renderMethod, credentialSubject });
 */
export function dccExtensionEnvelope(parts: DccExtensionParts): Credential {
  return compact({
    '@context': [W3C_VC_CONTEXT, UNTP_CONTEXT_0_7_0, parts.context],
    type: [parts.type, DCC_TYPE, 'VerifiableCredential'],
    id: parts.id,
    issuer: parts.issuer,
    validFrom: parts.validFrom,
    name: parts.name,
    credentialSchema: [{ id: parts.schemaUrl, type: 'JsonSchema' }],
    credentialStatus: parts.credentialStatus,
    renderMethod: parts.renderMethod,
    issuingSoftware: { ...ISSUING_SOFTWARE, vendor: { ...ISSUING_SOFTWARE.vendor } },
    credentialSubject: parts.credentialSubject,
  });
}

/** The issuer as a typed CredentialIssuer node; checks its id (a URI) and name. */
export function credentialIssuer(issuer: { id?: unknown; name?: unknown }): {
  type: string[];
  id: string;
  name: string;
} {
  return { type: ['CredentialIssuer'], id: uri(issuer.id, '/issuer/id'), name: str(issuer.name, '/issuer/name') };
}

/** A revocation entry in a Bitstring Status List (the list's URL already checked). */
export function revocationEntry(statusListCredential: string, statusListIndex: number): Record<string, unknown> {
  return {
    id: `${statusListCredential}#${statusListIndex}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex,
    statusListCredential,
  };
}
