import type { ErrorCode } from '../errors/catalogue.js';
import { InvalidInputError } from '../errors.js';
import type { Issue } from '../validate/report.js';
import { appendPointer } from '../lib/json-pointer.js';

/**
 * Public credit credentials name organisations (the cooperative, the registry, buyers), never the
 * individual artisanal miners at a site: no names, phone numbers, e-mail addresses or national ids
 * of natural persons. These rules are shared by the builders (refusal at build time, pointer into
 * the input) and the credit schemas (refusal by `validate()` and so by `issue()`); the schemas carry
 * the same patterns (test/disclosure checks they agree).
 */

/** Member names that only ever hold personal data (or clear commercial terms) and are refused anywhere. */
export const REFUSED_MEMBER_NAMES = [
  'phone',
  'phoneNumber',
  'telephone',
  'mobile',
  'email',
  'emailAddress',
  'nationalId',
  'nationalIdNumber',
  'idCardNumber',
  'passportNumber',
  'voterCardNumber',
  'dateOfBirth',
  'birthDate',
  'givenName',
  'familyName',
  'gender',
  'miner',
  'miners',
  'worker',
  'workers',
  'minerNames',
  'workerNames',
  // Commercial terms are confidential: cite them as confidentialDocument digests instead.
  'price',
  'unitPrice',
  'pricePerTonne',
  'salePrice',
  'purchasePrice',
  'contractPrice',
  'offtakeTerms',
  'offtakeAgreement',
] as const;

/** A phone number in international form (+ and 8–15 digits, separators allowed) or a tel: URI. */
export const PHONE_PATTERN = '(?:\\+[1-9](?:[ .()-]*[0-9]){7,14}|\\btel:)';
/** A labelled phone number in local form ("phone: 081 234 5678", "tél. 0812345678"): label, then "." or ":", then 6+ digits. */
export const LABELLED_PHONE_PATTERN =
  '(?:\\b(?:[Pp]hone|[Tt][eé]l[eé]?(?:phone)?|[Mm]obile|[Cc]ell|[Tt]elefone)\\b\\s*[.:]\\s*\\+?[0-9](?:[ .-]?[0-9]){5,})';
/** An e-mail address (contact details of people do not belong in a public credential). */
export const EMAIL_PATTERN = '(?:[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,})';
/** A labelled national identity, voter-card or passport number ("passport" alone is not a label: product passports). */
export const NATIONAL_ID_PATTERN =
  "(?:(?:\\b(?:[Nn]ational (?:[Ii][Dd]|[Ii]dentity)(?: card)?|NIN|[Cc]arte d'[ée]lecteur|[Vv]oter card|ID card)\\b(?: (?:[Nn]o\\.?|[Nn]umber|#))?|\\b[Pp]assport (?:[Nn]o\\.?|[Nn]umber|#))\\s*:?\\s*[A-Z]{0,2}[0-9][0-9 -]{4,})";

/** All patterns as one (the schemas' `not: { pattern }` uses this exact string). */
export const PERSONAL_DATA_PATTERN = [PHONE_PATTERN, LABELLED_PHONE_PATTERN, EMAIL_PATTERN, NATIONAL_ID_PATTERN].join(
  '|',
);

const PATTERNS: { code: ErrorCode; what: string; re: RegExp }[] = [
  { code: 'PERSONAL_DATA_REFUSED', what: 'a phone number', re: new RegExp(PHONE_PATTERN, 'u') },
  { code: 'PERSONAL_DATA_REFUSED', what: 'a phone number', re: new RegExp(LABELLED_PHONE_PATTERN, 'u') },
  { code: 'PERSONAL_DATA_REFUSED', what: 'an e-mail address', re: new RegExp(EMAIL_PATTERN, 'u') },
  {
    code: 'PERSONAL_DATA_REFUSED',
    what: 'a national id, voter-card or passport number',
    re: new RegExp(NATIONAL_ID_PATTERN, 'u'),
  },
];
const COMMERCIAL = new Set<string>([
  'price',
  'unitPrice',
  'pricePerTonne',
  'salePrice',
  'purchasePrice',
  'contractPrice',
  'offtakeTerms',
  'offtakeAgreement',
]);
const REFUSED = new Set<string>(REFUSED_MEMBER_NAMES);

/** Members whose strings are signed credentials or digests, not text about people. */
const SKIP = new Set<string>(['jws', 'credential', 'digestMultibase']);

/**
 * Every piece of personal data (or clear commercial term) in a value, as issues with pointers.
 *
 * @example
 *   findPersonalData({ productionSite: { operator: { name: 'Coop, tel. +243 812 345 678' } } });
 *   // [{ code: 'PERSONAL_DATA_REFUSED', path: '/productionSite/operator/name', message: '… a phone number …' }]
 */
export function findPersonalData(value: unknown, path = ''): Issue[] {
  const issues: Issue[] = [];
  const walk = (node: unknown, at: string) => {
    if (typeof node === 'string') {
      const hit = PATTERNS.find((p) => p.re.test(node));
      if (hit)
        issues.push({
          code: hit.code,
          path: at,
          message: `${at || '/'} holds ${hit.what}; public credentials carry no personal data of individuals (the cooperative is the party)`,
        });
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${at}/${i}`));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, inner] of Object.entries(node)) {
        const child = appendPointer(at, key);
        if (REFUSED.has(key)) {
          issues.push(
            COMMERCIAL.has(key)
              ? {
                  code: 'CONFIDENTIAL_DATA_REFUSED',
                  path: child,
                  message: `${key} is confidential commercial data: cite the document by digest in confidentialDocument instead`,
                }
              : {
                  code: 'PERSONAL_DATA_REFUSED',
                  path: child,
                  message: `${key} is personal data of an individual; public credentials name the cooperative, not its miners`,
                },
          );
        } else if (!SKIP.has(key)) walk(inner, child);
      }
    }
  };
  walk(value, path);
  return issues;
}

/**
 * Throws the first finding of `findPersonalData` as an InvalidInputError (PERSONAL_DATA_REFUSED or
 * CONFIDENTIAL_DATA_REFUSED) naming the field.
 *
 * @example
 *   refusePersonalData(retirementInput); // throws at /beneficiary/name if it holds a phone number
 */
export function refusePersonalData(value: unknown, path = ''): void {
  const first = findPersonalData(value, path)[0];
  if (first) throw new InvalidInputError(first.code, first.message, first.path);
}
