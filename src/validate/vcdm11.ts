import type { ErrorCode } from '../errors/catalogue.js';
import type { Issue } from './report.js';
import { isAbsoluteUrl } from './vcdm.js';

/** The VC Data Model 1.1 base context. Read (verified) and issued on request; UNTP credentials stay VCDM 2.0. */
export const VCDM11_CONTEXT = 'https://www.w3.org/2018/credentials/v1';

// VCDM 1.1 §4.8: issuanceDate / expirationDate are xsd:dateTime (a time zone is not required).
const DATE_TIME =
  /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** True when the document's first @context is the VC 1.1 one. */
export function isVcdm11(document: Record<string, unknown>): boolean {
  const context = document['@context'];
  return Array.isArray(context) ? context[0] === VCDM11_CONTEXT : context === VCDM11_CONTEXT;
}

/**
 * The VC Data Model 1.1 rules (§4): the base context first, type VerifiableCredential, an issuer URL,
 * issuanceDate (and expirationDate when present) as xsd:dateTime, a credentialSubject, an id URL.
 */
export function checkVcdm11(credential: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  const add = (code: ErrorCode, path: string, message: string) => issues.push({ code, path, message });
  if (!isVcdm11(credential)) add('VCDM_CONTEXT', '/@context', `the first @context must be ${VCDM11_CONTEXT}`);
  const types = Array.isArray(credential.type) ? credential.type : [credential.type];
  if (!types.includes('VerifiableCredential')) add('VCDM_TYPE', '/type', 'type must include VerifiableCredential');
  if (credential.id !== undefined && !isAbsoluteUrl(credential.id)) add('VCDM_ID', '/id', 'id must be a URL');
  const issuer = credential.issuer;
  if (!(isAbsoluteUrl(issuer) || (isObject(issuer) && isAbsoluteUrl(issuer.id))))
    add('VCDM_ISSUER', '/issuer', 'issuer is required: a URL, or an object with one as id');
  const subject = credential.credentialSubject;
  if (subject === undefined || (Array.isArray(subject) ? !subject.every(isObject) : !isObject(subject)))
    add('VCDM_SUBJECT', '/credentialSubject', 'credentialSubject is required and holds objects');
  for (const member of ['issuanceDate', 'expirationDate'] as const) {
    const value = credential[member];
    if (value === undefined && member === 'expirationDate') continue;
    if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))
      add('VCDM_DATE', `/${member}`, `${member} must be an XML Schema dateTime (got ${JSON.stringify(value ?? null)})`);
  }
  return issues;
}
