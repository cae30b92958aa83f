import jsonld from 'jsonld';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cobaltRetirement } from '../../examples/cases.js';
import { ArtefactRegistry, type ArtefactEntry } from '../../src/artefacts/registry.js';
import { PACKAGE_ROOT, sha256File } from '../../src/artefacts/package-root.js';
import { buildRetirementCredential } from '../../src/credits/build.js';
import { jwsOf } from '../../src/lib/digest.js';
import { commitField } from '../../src/disclosure/commitment.js';
import {
  CREDIT_ISSUANCE_SCHEMA_URL,
  CREDIT_RETIREMENT_SCHEMA_URL,
  CREDIT_SCHEME_URL,
  CREDITS_CONTEXT_URL,
  UNTP_CONTEXT_0_7_0,
  W3C_VC_CONTEXT,
} from '../../src/credits/vocabulary.js';
import { BUILTIN_EXTENSIONS } from '../../src/validate/extensions.js';
import { IMPACT_CONTEXT_URL, PREMIUM_ALLOCATION_SCHEMA_URL } from '../../src/impact/vocabulary.js';
import { memberNames } from '../support/inspect.js';

type Json = Record<string, any>;
const registry = ArtefactRegistry.bundled();
const context = (registry.get(CREDITS_CONTEXT_URL) as Json)['@context'] as Json;

describe('the credits JSON-LD context', () => {
  it('is protected at every level and has no @vocab anywhere', () => {
    expect(context['@protected']).toBe(true);
    expect(memberNames(context).has('@vocab')).toBe(false);
    for (const term of ['creditIssuance', 'creditRetirement'])
      expect(context[term]['@context']['@protected'], term).toBe(true);
  });

  it('adds top-level terms that no UNTP or W3C context defines anywhere (so no protected term is redefined)', () => {
    const ours = Object.keys(context).filter((k) => !k.startsWith('@'));
    expect(ours.sort()).toEqual([
      'CreditIssuanceCredential',
      'CreditRetirementCredential',
      'creditIssuance',
      'creditRetirement',
    ]);
    const theirs = new Set([
      ...memberNames(registry.get(UNTP_CONTEXT_0_7_0)),
      ...memberNames(registry.get(W3C_VC_CONTEXT)),
    ]);
    for (const term of ours) expect(theirs.has(term), term).toBe(false);
  });

  it('maps every term to an absolute IRI in the untp-credits vocabulary', () => {
    const scoped = context.creditIssuance['@context'] as Json;
    for (const [term, definition] of Object.entries(scoped)) {
      if (term.startsWith('@')) continue;
      expect((definition as Json)['@id'], term).toMatch(/^https:\/\/w3id\.org\/untp-credits\/vocab#[A-Za-z]+$/);
    }
    expect(context.creditRetirement['@context']).toEqual(scoped);
  });

  it('defines exactly the terms the builders emit inside our objects (none unused, none missing)', () => {
    const issuanceJws = jwsOf(
      readFileSync(new URL('../../examples/cobalt/issuance.signed.json', import.meta.url), 'utf8'),
    );
    const retirement = buildRetirementCredential({
      ...cobaltRetirement(issuanceJws),
      replaces: {
        id: 'https://registry.mineral-credits.example/credentials/retirement/RET-1',
        digestMultibase: 'zQmeCKGZB7wBb6u3dztNf7oBXYzME8TyfArMQokj9J1xnHq',
      },
    }) as Json;
    const issuance = JSON.parse(
      readFileSync(new URL('../../examples/cobalt/issuance.json', import.meta.url), 'utf8'),
    ) as Json;
    // A retirement whose beneficiary is withheld (a salted-hash commitment) emits the commitment terms.
    const { commitment } = commitField('beneficiary', cobaltRetirement(issuanceJws).beneficiary, {
      disclosureDate: '2027-03-31',
    });
    const withheld = buildRetirementCredential({
      ...cobaltRetirement(issuanceJws),
      beneficiary: undefined,
      withheldBeneficiary: commitment,
    }) as Json;
    const used = memberNames([
      issuance.credentialSubject.creditIssuance,
      retirement.credentialSubject.creditRetirement,
      withheld.credentialSubject.creditRetirement,
    ]);
    for (const inherited of ['id', 'type', 'name', 'description', 'digestMultibase', 'mediaType'])
      used.delete(inherited);
    const defined = Object.keys(context.creditIssuance['@context']).filter((k) => !k.startsWith('@'));
    expect([...used].sort()).toEqual(defined.sort());
  });

  it('lets jsonld.js safe mode fail on an undefined term inside our objects (the check has teeth)', async () => {
    const issuanceJws = jwsOf(
      readFileSync(new URL('../../examples/cobalt/issuance.signed.json', import.meta.url), 'utf8'),
    );
    const vc = buildRetirementCredential(cobaltRetirement(issuanceJws)) as Json;
    await expect(
      jsonld.expand(structuredClone(vc), { documentLoader: registry.documentLoader as never, safe: true } as never),
    ).resolves.toBeTruthy();
    vc.credentialSubject.creditRetirement.claimBoundary.unknownTerm = 'x';
    await expect(
      jsonld.expand(vc, { documentLoader: registry.documentLoader as never, safe: true } as never),
    ).rejects.toThrow();
  });
});

describe('bundling', () => {
  const entries = registry
    .provenance()
    .filter((e: ArtefactEntry) => e.url.startsWith('https://w3id.org/untp-credits/'));

  it('lists the context, the scheme and both schemas in the indexes with their sha256, source and licence', () => {
    // The impact report (docs/impact.md) publishes its own context and schema under the same prefix.
    expect(entries.map((e) => e.url).sort()).toEqual(
      [
        CREDIT_ISSUANCE_SCHEMA_URL,
        CREDIT_RETIREMENT_SCHEMA_URL,
        CREDITS_CONTEXT_URL,
        CREDIT_SCHEME_URL,
        IMPACT_CONTEXT_URL,
        PREMIUM_ALLOCATION_SCHEMA_URL,
      ].sort(),
    );
    for (const entry of entries) {
      const folder = entry.kind === 'schema' ? 'schemas' : 'contexts';
      expect(sha256File(`${PACKAGE_ROOT}/${folder}/${entry.file}`), entry.url).toBe(entry.sha256);
      expect(entry).toMatchObject({ source: 'this project', license: 'Apache-2.0' });
    }
    expect(registry.kindOf(CREDITS_CONTEXT_URL)).toBe('context');
    expect(registry.kindOf(CREDIT_SCHEME_URL)).toBe('document');
    expect(registry.kindOf(CREDIT_ISSUANCE_SCHEMA_URL)).toBe('schema');
  });

  it('registers both credential types as DCC extensions with their schema and context', () => {
    expect(BUILTIN_EXTENSIONS).toEqual(
      expect.arrayContaining([
        {
          type: 'CreditIssuanceCredential',
          extends: 'DigitalConformityCredential',
          schemaUrl: CREDIT_ISSUANCE_SCHEMA_URL,
          contextUrl: CREDITS_CONTEXT_URL,
        },
        {
          type: 'CreditRetirementCredential',
          extends: 'DigitalConformityCredential',
          schemaUrl: CREDIT_RETIREMENT_SCHEMA_URL,
          contextUrl: CREDITS_CONTEXT_URL,
        },
      ]),
    );
    for (const url of [CREDIT_ISSUANCE_SCHEMA_URL, CREDIT_RETIREMENT_SCHEMA_URL])
      expect((registry.get(url) as Json).$id).toBe(url);
  });
});
