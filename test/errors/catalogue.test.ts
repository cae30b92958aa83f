import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorsMarkdown } from '../../src/cli/codes.js';
import { exitCodeOf } from '../../src/cli/exit.js';
import {
  CATALOGUE_SECTIONS,
  DEPRECATED_CODES,
  ERROR_CATALOGUE,
  hasCode,
  parseErrorCode,
  type ErrorCode,
} from '../../src/errors/catalogue.js';
import { InvalidInputError, UntpCreditsError } from '../../src/errors.js';
import { MASS_UNITS } from '../../src/lib/mass-units.js';
import { openApiDocument } from '../../src/server/openapi.js';
import { problemOf, statusForCode } from '../../src/server/problem.js';
import { ROOT } from '../helpers.js';

const SRC = join(ROOT, 'src');
const CATALOGUE_FILE = join(SRC, 'errors', 'catalogue.ts');
const sources = (function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
})(SRC).map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));

// Upper-case string literals in src that are not our codes: Node and PostgreSQL names.
const NOT_CODES = new Set([
  'ERR_BUFFER_TOO_LARGE',
  'ERR_OUT_OF_RANGE',
  'PG_VERSION',
  'GUARDED_FETCH_ADDRESS_REFUSED',
  'ENOENT',
  'EEXIST',
  'EPERM',
  // UN/ECE Rec 20 unit codes (`code: 'KGM'` in the unit table).
  ...Object.keys(MASS_UNITS),
]);
const codes = Object.keys(ERROR_CATALOGUE) as ErrorCode[];
const known = (code: string) => Object.hasOwn(ERROR_CATALOGUE, code);

/** Every `'X'` literal matching `pattern` (group 1) in src outside the catalogue, with where it is. */
function literals(pattern: RegExp): Array<{ code: string; at: string }> {
  return sources
    .filter((s) => !s.path.endsWith(join('errors', 'catalogue.ts')))
    .flatMap((s) => [...s.text.matchAll(pattern)].map((m) => ({ code: m[1] as string, at: s.path })));
}

describe('error catalogue', () => {
  it('every code thrown or reported in src is declared: new …Error/Problem(code, …), code: …, step and issue codes', () => {
    const thrown = literals(/new [A-Za-z]*(?:Error|Problem)\(\s*'([A-Z][A-Z0-9_]*)'/g);
    const reported = literals(/\bcode: '([A-Z][A-Z0-9_]*)'/g).filter((l) => !NOT_CODES.has(l.code));
    // Also the codes passed through helpers (fail('X', …), requireText(v, 'X', …), code tables): any
    // upper-case snake-case literal is a code unless it is a known non-code.
    const anyLiteral = literals(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g).filter((l) => !NOT_CODES.has(l.code));
    expect(thrown.length).toBeGreaterThan(150);
    expect(reported.length).toBeGreaterThan(50);
    const undeclared = [...thrown, ...reported, ...anyLiteral].filter((l) => !known(l.code));
    expect(undeclared).toEqual([]);
  });

  it('src produces no deprecated code (aliases live only in the catalogue)', () => {
    const deprecated = Object.keys(DEPRECATED_CODES);
    const uses = literals(/'([A-Z][A-Z0-9_]*)'/g).filter((l) => deprecated.includes(l.code));
    expect(uses).toEqual([]);
  });

  it('declares no dead code: every catalogue code appears in src outside the catalogue', () => {
    const text = sources.filter((s) => !s.path.endsWith(join('errors', 'catalogue.ts'))).map((s) => s.text);
    const all = text.join('\n');
    const unused = codes.filter((code) => !new RegExp(`(?<![A-Z0-9_])${code}(?![A-Z0-9_])`).test(all));
    expect(unused).toEqual([]);
  });

  it('declares each code once, in one section, with a title and a one-line meaning', () => {
    const inSections = CATALOGUE_SECTIONS.flatMap((s) => Object.keys(s.codes));
    expect(inSections).toHaveLength(new Set(inSections).size);
    expect(new Set(inSections)).toEqual(new Set(codes));
    for (const code of codes) {
      const entry = ERROR_CATALOGUE[code];
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(entry.title.length, code).toBeGreaterThan(2);
      expect(entry.title, code).not.toBe('Error');
      expect(entry.meaning, code).toMatch(/^\S.*\.$/);
      expect(entry.meaning, code).not.toContain('\n');
    }
    // The catalogue is a leaf: every layer can import it.
    expect(readFileSync(CATALOGUE_FILE, 'utf8')).not.toMatch(/^import /m);
  });

  it('problem+json takes status and title from the catalogue, for every code', () => {
    for (const code of codes) {
      const body = problemOf(new UntpCreditsError(code, 'x'));
      expect([body.code, body.status, body.title, body.type]).toEqual([
        code,
        ERROR_CATALOGUE[code].http,
        ERROR_CATALOGUE[code].title,
        `urn:untp-credits:problem:${code}`,
      ]);
    }
    expect(problemOf(new UntpCreditsError('TOO_MANY_FAILED_ATTEMPTS', 'x'))).toMatchObject({
      status: 429,
      title: 'Too many failed attempts',
    });
    expect(problemOf(new Error('boom'))).toMatchObject({
      status: 500,
      code: 'INTERNAL_ERROR',
      title: 'Internal error',
    });
  });

  it('exit codes come from the catalogue: credentials (401, 403, 429), usage (400) and server failures (5xx) exit 2', () => {
    for (const code of codes) {
      const { http, exit } = ERROR_CATALOGUE[code];
      expect(exitCodeOf(new UntpCreditsError(code, 'x')), code).toBe(exit);
      if (http === 400 || http === 401 || http === 403 || http === 413 || http === 415 || http === 429 || http >= 500)
        expect(exit, `${code} (${http})`).toBe(2);
    }
    expect(exitCodeOf(new Error('not ours'))).toBe(2);
    for (const code of [
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'API_KEY_MISSING',
      'REGISTRY_LOCKED',
      'REGISTRY_CLOSING',
    ] as const)
      expect(ERROR_CATALOGUE[code].exit, code).toBe(2);
  });

  it('deprecated aliases are accepted where codes are given, parsed or compared, and map to their replacement', () => {
    for (const [old, current] of Object.entries(DEPRECATED_CODES)) {
      expect(known(old), old).toBe(false);
      expect(known(current), current).toBe(true);
      expect(parseErrorCode(old)).toBe(current);
      const error = new InvalidInputError(old as keyof typeof DEPRECATED_CODES, 'x');
      expect(error.code).toBe(current);
      expect(hasCode(error, old as keyof typeof DEPRECATED_CODES)).toBe(true);
      expect(hasCode({ code: old }, current)).toBe(true);
      expect(statusForCode(old as keyof typeof DEPRECATED_CODES)).toBe(ERROR_CATALOGUE[current].http);
    }
    expect(parseErrorCode('NO_SUCH_CODE')).toBeUndefined();
    expect(parseErrorCode(42)).toBeUndefined();
    expect(hasCode({ code: 'ACCOUNT_NOT_FOUND' }, 'ISSUANCE_NOT_FOUND')).toBe(false);
    expect(hasCode(undefined, 'ACCOUNT_NOT_FOUND')).toBe(false);
  });

  it('the OpenAPI Problem.code enum is the catalogue', () => {
    const doc = openApiDocument('https://registry.example') as {
      components: { schemas: { Problem: { properties: { code: { enum: string[] } } } } };
    };
    expect(doc.components.schemas.Problem.properties.code.enum).toEqual(codes);
  });

  it('docs/errors.md is generated from the catalogue and up to date (npm run docs:errors)', () => {
    const page = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');
    expect(page).toBe(errorsMarkdown());
    for (const code of codes) expect(page).toContain(`| \`${code}\` |`);
    for (const [old, current] of Object.entries(DEPRECATED_CODES))
      expect(page).toContain(`| \`${old}\` | \`${current}\` |`);
  });
});
