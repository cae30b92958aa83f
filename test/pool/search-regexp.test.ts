import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchEquivalentPattern } from '../../src/artefacts/search-regexp.js';

// The schema-pattern rewrite behind the verify speed-up (src/artefacts/search-regexp.ts) must give
// the same match / no match as the pattern as written, for every string.
const schema = JSON.parse(
  readFileSync(new URL('../../schemas/untp-credits/v1/CreditIssuanceCredential.json', import.meta.url), 'utf8'),
) as { $defs: { NoPersonalData: { not: { pattern: string } } } };
const personalData = schema.$defs.NoPersonalData.not.pattern;

const PATTERNS = [
  personalData,
  '[a-z]+@[a-z]+\\.[a-z]{2,}',
  'x|[ab]+c|(?:[c]+d|e)',
  '^[a-z]+x',
  '(?:[a]+b)*c',
  '([a-z]+)-\\1',
  '[\\]a]+\\]',
  '(?:[0-9]+(?:[.][0-9]+)?)|[A-Z]+!',
  '[a-z]+\\b',
  '(?<=[0-9])[a-z]+z',
];
const alphabet = fc.constantFrom(
  ...'abcxz09AZ@.-_+ :#é]\\!tel'.split(''),
  'tel:',
  'Phone',
  'Passport ',
  'NIN ',
  '+33',
  '@ex.com',
);

describe('searchEquivalentPattern', () => {
  it('rewrites the leading run of the personal-data e-mail alternative only', () => {
    const rewritten = searchEquivalentPattern(personalData);
    expect(rewritten).not.toBe(personalData);
    expect(rewritten).toBe(personalData.replace('[A-Za-z0-9._%+-]+@', '[A-Za-z0-9._%+-]@'));
    expect(searchEquivalentPattern('^[a-z]+x')).toBe('^[a-z]+x');
    expect(searchEquivalentPattern('(?:[a]+b)*')).toBe('(?:[a]+b)*');
    expect(searchEquivalentPattern('[ab]+?c')).toBe('[ab]+?c');
    expect(searchEquivalentPattern('([a-z]+)-\\1')).toBe('([a-z]+)-\\1');
  });

  it('gives the same verdict as the pattern as written', () => {
    const compiled = PATTERNS.map((p) => [new RegExp(p, 'u'), new RegExp(searchEquivalentPattern(p), 'u')] as const);
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join('')),
        (text) => {
          for (const [original, rewritten] of compiled) expect(rewritten.test(text)).toBe(original.test(text));
        },
      ),
      { numRuns: 3000, seed: 20261123 },
    );
    for (const text of [
      'write to jane.doe@example.org',
      'a@b.co',
      '@example.org',
      'Phone: 0812 345 678',
      'Passport No. AB12345',
      'tel:+243',
    ]) {
      for (const [original, rewritten] of compiled) expect(rewritten.test(text)).toBe(original.test(text));
    }
  });
});
