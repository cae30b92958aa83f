import type { ErrorCode } from '../errors/catalogue.js';
import { appendPointer } from '../lib/json-pointer.js';
import type { Issue } from './report.js';

export const VCDM2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

// An absolute URL: a scheme, a colon, then something (VCDM 2.0 ids are URLs, DIDs included).
const ABSOLUTE_URL = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
// xsd:dateTimeStamp: a date-time that must carry a time zone.
const DATE_TIME_STAMP =
  /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/;
const DIGEST_SRI = /^(sha256|sha384|sha512)-[A-Za-z0-9+/]+={0,2}$/;
const DIGEST_MULTIBASE = /^[zu][A-Za-z0-9_-]+$/;

// Members whose every entry must be typed (VCDM 2.0 §4.x: credentialStatus, credentialSchema, evidence, termsOfUse, refreshService).
const TYPED_MEMBERS = ['credentialStatus', 'credentialSchema', 'evidence', 'termsOfUse', 'refreshService'] as const;

export function isAbsoluteUrl(value: unknown): value is string {
  return typeof value === 'string' && ABSOLUTE_URL.test(value);
}

export function isDateTimeStamp(value: unknown): value is string {
  return typeof value === 'string' && DATE_TIME_STAMP.test(value) && !Number.isNaN(Date.parse(value));
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function hasType(node: Record<string, unknown>): boolean {
  const type = node.type ?? node['@type'];
  return typeof type === 'string' ? type.length > 0 : Array.isArray(type) && type.length > 0;
}

/**
 * The VCDM 2.0 rules a JSON Schema cannot express well: context order, required members,
 * URL and date formats, typed members, relatedResource digests.
 */
export function checkVcdm(credential: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  const add = (code: ErrorCode, path: string, message: string) => issues.push({ code, path, message });

  const context = credential['@context'];
  if (!Array.isArray(context)) {
    add('VCDM_CONTEXT', '/@context', `@context must be an array whose first item is ${VCDM2_CONTEXT}`);
  } else if (context[0] !== VCDM2_CONTEXT) {
    add(
      'VCDM_CONTEXT',
      '/@context/0',
      `the first @context must be ${VCDM2_CONTEXT}${typeof context[0] === 'string' ? `, not ${context[0]}` : ''}`,
    );
  }

  const types = credential.type;
  if (types === undefined) add('VCDM_TYPE', '/type', 'type is required and must include VerifiableCredential');
  else if (!asArray(types).includes('VerifiableCredential'))
    add('VCDM_TYPE', '/type', 'type must include VerifiableCredential');

  if (credential.id !== undefined && !isAbsoluteUrl(credential.id)) add('VCDM_ID', '/id', 'id must be an absolute URL');

  const issuer = credential.issuer;
  if (issuer === undefined) add('VCDM_ISSUER', '/issuer', 'issuer is required');
  else if (isObject(issuer)) {
    if (!isAbsoluteUrl(issuer.id)) add('VCDM_ISSUER', '/issuer/id', 'issuer.id must be an absolute URL (a DID)');
  } else if (!isAbsoluteUrl(issuer)) add('VCDM_ISSUER', '/issuer', 'issuer must be a URL or an object with an id');

  const subject = credential.credentialSubject;
  if (subject === undefined) add('VCDM_SUBJECT', '/credentialSubject', 'credentialSubject is required');
  else {
    const subjects = asArray(subject);
    subjects.forEach((s, i) => {
      if (!isObject(s))
        add(
          'VCDM_SUBJECT',
          Array.isArray(subject) ? `/credentialSubject/${i}` : '/credentialSubject',
          'credentialSubject must be an object',
        );
    });
  }

  for (const member of ['validFrom', 'validUntil'] as const) {
    const value = credential[member];
    if (value !== undefined && !isDateTimeStamp(value)) {
      add(
        'VCDM_DATE',
        `/${member}`,
        `${member} must be an XML Schema dateTimeStamp with a time zone, e.g. 2026-01-31T00:00:00Z (got ${JSON.stringify(value)})`,
      );
    }
  }
  if (
    isDateTimeStamp(credential.validFrom) &&
    isDateTimeStamp(credential.validUntil) &&
    Date.parse(credential.validUntil) < Date.parse(credential.validFrom)
  ) {
    add('VCDM_VALIDITY_PERIOD', '/validUntil', 'validUntil is before validFrom');
  }

  for (const member of TYPED_MEMBERS) {
    const value = credential[member];
    if (value === undefined) continue;
    const many = Array.isArray(value);
    asArray(value).forEach((entry, i) => {
      const path = many ? appendPointer(`/${member}`, i) : `/${member}`;
      if (!isObject(entry)) add('VCDM_TYPE_MISSING', path, `${member} entries must be objects with a type`);
      else if (!hasType(entry))
        add('VCDM_TYPE_MISSING', appendPointer(path, 'type'), `${member} entries must have a type`);
      else if (member === 'credentialSchema' && !isAbsoluteUrl(entry.id))
        add('VCDM_CREDENTIAL_SCHEMA', appendPointer(path, 'id'), 'credentialSchema needs the schema URL as id');
    });
  }

  const related = credential.relatedResource;
  if (related !== undefined) {
    const many = Array.isArray(related);
    asArray(related).forEach((entry, i) => {
      const path = many ? appendPointer('/relatedResource', i) : '/relatedResource';
      if (!isObject(entry)) {
        add('VCDM_RELATED_RESOURCE', path, 'relatedResource entries must be objects');
        return;
      }
      if (!isAbsoluteUrl(entry.id))
        add('VCDM_RELATED_RESOURCE', appendPointer(path, 'id'), 'relatedResource needs an id URL');
      if (entry.digestSRI === undefined && entry.digestMultibase === undefined) {
        add('VCDM_RELATED_RESOURCE', path, 'relatedResource needs digestSRI or digestMultibase');
      }
      if (entry.digestSRI !== undefined && !(typeof entry.digestSRI === 'string' && DIGEST_SRI.test(entry.digestSRI))) {
        add(
          'VCDM_RELATED_RESOURCE',
          appendPointer(path, 'digestSRI'),
          'digestSRI must be an SRI string such as sha384-<base64>',
        );
      }
      if (
        entry.digestMultibase !== undefined &&
        !(typeof entry.digestMultibase === 'string' && DIGEST_MULTIBASE.test(entry.digestMultibase))
      ) {
        add(
          'VCDM_RELATED_RESOURCE',
          appendPointer(path, 'digestMultibase'),
          'digestMultibase must be multibase (z… base58btc or u… base64url)',
        );
      }
    });
  }
  return issues;
}
