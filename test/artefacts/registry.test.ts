import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArtefactRegistry, ArtefactUnknownError } from '../../src/index.js';
import { SchemaValidator } from '../../src/artefacts/schemas.js';
import { sha256File } from '../../src/artefacts/package-root.js';
import { ROOT } from '../helpers.js';

const registry = ArtefactRegistry.bundled();

describe('bundled artefacts', () => {
  const entries = registry.provenance();

  it('cover everything needed offline', () => {
    const urls = new Set(registry.urls());
    for (const url of [
      'https://www.w3.org/ns/credentials/v2',
      'https://vocabulary.uncefact.org/untp/0.7.0/context/',
      'https://test.uncefact.org/vocabulary/untp/dpp/0.6.1/',
      'https://w3id.org/security/data-integrity/v2',
      'https://w3id.org/security/multikey/v1',
      'https://www.w3.org/ns/did/v1',
      'https://www.w3.org/ns/cid/v1',
      'https://w3id.org/security/suites/ed25519-2020/v1',
      'https://w3id.org/security/suites/jws-2020/v1',
      'https://www.w3.org/ns/credentials/status/v1',
      'https://www.w3.org/2022/credentials/v2/verifiable-credential-schema.json',
      ...[
        'dpp/DigitalProductPassport',
        'dcc/ConformityCredential',
        'dfr/DigitalFacilityRecord',
        'dia/DigitalIdentityAnchor',
        'dte/DigitalTraceabilityEvent',
        'cvc/ConformityScheme',
        'idr/LinksetSchema',
      ].map((p) => `https://untp.unece.org/artefacts/schema/v0.7.0/${p}.json`),
      ...['dpp', 'dcc', 'dfr', 'dia', 'dte', 'svc'].map(
        (t) => `https://test.uncefact.org/vocabulary/untp/${t}/untp-${t}-schema-0.6.1.json`,
      ),
    ])
      expect(urls, url).toContain(url);
  });

  it.each(entries.map((e) => [e.url, e] as const))(
    '%s matches its recorded sha256 and names its source and licence',
    (_url, entry) => {
      const folder = entry.kind === 'schema' ? 'schemas' : 'contexts';
      expect(sha256File(join(ROOT, folder, entry.file))).toBe(entry.sha256);
      expect(entry.source.length).toBeGreaterThan(10);
      expect(entry.license.length).toBeGreaterThan(3);
    },
  );

  it('copies of npm-packaged contexts have not drifted from their packages', () => {
    const pairs: Array<[string, string]> = [
      ['https://www.w3.org/ns/credentials/v2', '@digitalbazaar/credentials-context/contexts/v2.jsonld'],
      [
        'https://w3id.org/security/data-integrity/v2',
        '@digitalbazaar/data-integrity-context/contexts/data-integrity-v2.jsonld',
      ],
      ['https://w3id.org/security/multikey/v1', '@digitalbazaar/multikey-context/contexts/multikey-v1.jsonld'],
    ];
    for (const [url, file] of pairs) {
      const packaged = JSON.parse(readFileSync(join(ROOT, 'node_modules', file), 'utf8'));
      expect(registry.get(url), url).toEqual(packaged);
    }
  });

  it('every schema compiles', () => {
    const schemas = SchemaValidator.bundled();
    for (const url of registry.urls('schema')) expect(() => schemas.validator(url), url).not.toThrow();
  });
});

describe('ArtefactRegistry', () => {
  it('serves aliases and ignores fragments', () => {
    expect(registry.get('https://test.uncefact.org/vocabulary/untp/dcc/0.6.1/context/')).toBe(
      registry.get('https://test.uncefact.org/vocabulary/untp/dcc/0.6.1/'),
    );
    expect(registry.has('https://www.w3.org/ns/credentials/v2#VerifiableCredential')).toBe(true);
  });

  it('an unknown URL is an error naming it; the loader never fetches', async () => {
    expect(() => registry.get('https://unknown.invalid/ctx')).toThrow(ArtefactUnknownError);
    await expect(registry.documentLoader('https://unknown.invalid/ctx')).rejects.toMatchObject({
      code: 'CONTEXT_UNKNOWN',
      url: 'https://unknown.invalid/ctx',
    });
  });

  it('refuses to replace a bundled artefact with a different document, in a fork or not', () => {
    const fork = registry.fork();
    expect(() => fork.add('https://www.w3.org/ns/credentials/v2', { '@context': {} }, 'context')).toThrow(
      /already registered/,
    );
    fork.add('https://contexts.invalid/x', { '@context': {} }, 'context');
    expect(fork.has('https://contexts.invalid/x')).toBe(true);
    expect(registry.has('https://contexts.invalid/x')).toBe(false);
  });
});
