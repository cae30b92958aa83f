import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { schemasIndexDigest, PrecompiledValidators } from '../../src/artefacts/precompiled-schemas.js';
import { ArtefactRegistry } from '../../src/artefacts/registry.js';
import { SchemaValidator } from '../../src/artefacts/schemas.js';
import { ROOT } from '../helpers.js';

// The validators generated at build time (npm run build → dist/validators) against the same schemas
// compiled at run time: the same verdict and the same issues, on the example credentials and on
// invalid twins of each. npm test builds before it runs, so dist/validators is the current one.
const EXAMPLES = [
  'cobalt/issuance.json',
  'cobalt/retirement.json',
  'cobalt/battery-dpp.json',
  'copper/issuance-2026q1.json',
  'copper/retirement.json',
  'copper/cable-dpp.json',
  'footprint/ecw-50-dpp.json',
  'impact/allocation.json',
  'scheme/responsible-mineral-credits-scheme-v1.json',
];
const read = (file: string) =>
  JSON.parse(readFileSync(join(ROOT, 'examples', file), 'utf8')) as Record<string, unknown>;

/** Invalid twins: a missing required member, wrong types, a bad date, an unknown member deep inside. */
function twins(document: Record<string, unknown>): Array<[string, unknown]> {
  const without = (key: string) => Object.fromEntries(Object.entries(document).filter(([k]) => k !== key));
  const subject = (document.credentialSubject ?? {}) as Record<string, unknown>;
  return [
    ['no issuer', without('issuer')],
    ['no credentialSubject', without('credentialSubject')],
    ['type a number', { ...document, type: 42 }],
    ['validFrom not a date', { ...document, validFrom: 'last Tuesday' }],
    ['subject id not a URI', { ...document, credentialSubject: { ...subject, id: 'not a uri' } }],
    ['subject emptied', { ...document, credentialSubject: {} }],
    [
      'subject members all null',
      { ...document, credentialSubject: Object.fromEntries(Object.keys(subject).map((k) => [k, null])) },
    ],
    ['not an object', [document]],
  ];
}

describe('build-time schema validators', () => {
  const registry = ArtefactRegistry.bundled();
  const precompiled = PrecompiledValidators.read(pathToFileURL(join(ROOT, 'dist/validators/')));

  it('are built from the current schemas, one pair per bundled schema', () => {
    expect(precompiled, 'dist/validators is missing: run npm run build').toBeDefined();
    expect(precompiled!.schemasIndexSha256).toBe(schemasIndexDigest());
    expect(precompiled!.urls().sort()).toEqual(registry.urls('schema'));
  });

  it('agree with run-time compiled ones on every schema, for the examples and their invalid twins', () => {
    const runtime = new SchemaValidator(registry);
    const generated = new SchemaValidator(registry, precompiled);
    let invalid = 0;
    let valid = 0;
    for (const file of EXAMPLES) {
      const document = read(file);
      for (const [name, input] of [['as published', document] as [string, unknown], ...twins(document)]) {
        for (const url of registry.urls('schema')) {
          const expected = runtime.validate(url, input);
          expect(generated.validate(url, input), `${file} ${name} against ${url}`).toEqual(expected);
          if (expected.length > 0) invalid++;
          else valid++;
        }
      }
    }
    // Both outcomes were compared, many times over (so the comparison is not vacuous).
    expect(valid).toBeGreaterThan(EXAMPLES.length);
    expect(invalid).toBeGreaterThan(EXAMPLES.length * 8);
  });

  it('an invalid twin fails the schema of its own type, with pointers', () => {
    const generated = new SchemaValidator(registry, precompiled);
    const url = 'https://www.w3.org/2022/credentials/v2/verifiable-credential-schema.json';
    const document = read('cobalt/issuance.json');
    expect(generated.validate(url, document)).toEqual([]);
    const issues = generated.validate(url, { ...document, validFrom: 'last Tuesday' });
    expect(issues.map((i) => [i.code, i.path])).toContainEqual(['SCHEMA_PATTERN', '/validFrom']);
  });
});
