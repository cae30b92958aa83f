import { readFileSync } from 'node:fs';
import jsonld from 'jsonld';
import { describe, expect, it } from 'vitest';
import { ArtefactRegistry } from '../../src/artefacts/registry.js';
import { UntpCreditsError } from '../../src/errors.js';
import { createJsonLdProcessor } from '../../src/jsonld/index.js';
import { FastJsonLdProcessor } from '../../src/jsonld/fast.js';
import { JsonLdJsProcessor } from '../../src/jsonld/reference.js';
import { DI2, UNTP070, VC2, canonical } from './diff-support.js';

type Json = any;
const registry = ArtefactRegistry.bundled();
const fast = new FastJsonLdProcessor(registry);
const reference = new JsonLdJsProcessor(registry);
const load = (path: string): Json =>
  JSON.parse(readFileSync(new URL(`../fixtures/untp/${path}`, import.meta.url), 'utf8'));
const DCC = (): Json => load('0.7.0/dcc/ConformityCredential_instance.json');

function minimalCredential(
  subject: Json = { type: ['Product'], id: 'https://example.com/product/1', name: 'Copper cathode' },
): Json {
  return {
    '@context': [VC2, UNTP070],
    type: ['DigitalProductPassport', 'VerifiableCredential'],
    id: 'https://example.com/dpp/1',
    issuer: { type: ['CredentialIssuer'], id: 'did:web:example.com', name: 'Example' },
    validFrom: '2025-01-15T00:00:00Z',
    credentialSubject: subject,
  };
}

async function rejection(run: () => Promise<unknown>): Promise<UntpCreditsError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof UntpCreditsError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('createJsonLdProcessor', () => {
  it('returns the fast processor, which handles the UNTP samples itself', async () => {
    const processor = createJsonLdProcessor(registry);
    expect(processor).toBeInstanceOf(FastJsonLdProcessor);
    const result = await processor.check(DCC());
    expect(result.engine).toBe('fast');
    expect(result.errors).toEqual([]);
    expect(result.expanded).toEqual((await reference.check(DCC())).expanded);
  });
});

describe('findings with exact JSON pointers', () => {
  it('a term caught only by a class-scoped @vocab is a warning at its own member, with RFC 6901 escaping', async () => {
    const doc = DCC();
    doc.credentialSubject.unknownThing = 1;
    doc.credentialSubject['a/b~c'] = 2;
    doc.credentialSubject.issuedToParty.colour = 'red';
    const result = await fast.check(doc);
    expect(result.engine).toBe('fast');
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => w.path).sort()).toEqual([
      '/credentialSubject/a~1b~0c',
      '/credentialSubject/issuedToParty/colour',
      '/credentialSubject/unknownThing',
    ]);
    expect(result.warnings.every((w) => w.code === 'JSONLD_VOCAB_TERM')).toBe(true);
  });

  it('a node without its type loses its terms: one TERM_DROPPED per member and one NODE_UNTYPED at the node', async () => {
    const doc = DCC();
    delete doc.credentialSubject.type;
    const result = await fast.check(doc);
    const dropped = result.errors.filter((e) => e.code === 'JSONLD_TERM_DROPPED');
    // members the VCDM context defines itself (id, name, description) survive without the UNTP type
    const expected = Object.keys(DCC().credentialSubject).filter(
      (k) => !['type', 'id', 'name', 'description'].includes(k),
    );
    expect(dropped.map((e) => e.path).sort()).toEqual(expected.map((k) => `/credentialSubject/${k}`).sort());
    const untyped = result.errors.filter((e) => e.code === 'JSONLD_NODE_UNTYPED');
    expect(untyped).toHaveLength(1);
    expect(untyped[0]!.path).toBe('/credentialSubject');
    expect(untyped[0]!.message).toMatch(/no type/);
    // same dropped terms as jsonld.js, which cannot say where they are
    const theirs = (await reference.check(doc)).errors.filter((e) => e.code === 'JSONLD_TERM_DROPPED');
    const name = (m: string): string => m.slice(1, m.indexOf("'", 1));
    expect(new Set(dropped.map((e) => name(e.message)))).toEqual(new Set(theirs.map((e) => name(e.message))));
  });

  it('a dropped term inside an array of nodes points at the array element', async () => {
    const doc = minimalCredential([
      { type: ['Product'], id: 'https://example.com/p/1' },
      { id: 'https://example.com/p/2', productCategory: [] },
    ]);
    const result = await fast.check(doc);
    expect(result.errors).toContainEqual(
      expect.objectContaining({ code: 'JSONLD_TERM_DROPPED', path: '/credentialSubject/1/productCategory' }),
    );
    expect(result.errors).toContainEqual(
      expect.objectContaining({ code: 'JSONLD_NODE_UNTYPED', path: '/credentialSubject/1' }),
    );
    expect(result.errors.some((e) => e.path.startsWith('/credentialSubject/0'))).toBe(false);
  });

  it('other safe-mode conditions are JSONLD_UNSAFE naming the jsonld.js event, at the member', async () => {
    const doc = minimalCredential({ type: ['Product'], id: 'relative/id', name: 'x' });
    const result = await fast.check(doc);
    expect(result.errors).toEqual([expect.objectContaining({ code: 'JSONLD_UNSAFE', path: '/credentialSubject/id' })]);
    expect(result.errors[0]!.message).toContain('relative @id reference');
  });

  it('a protected term redefinition is JSONLD_PROTECTED_REDEFINITION', async () => {
    const doc = minimalCredential();
    doc['@context'] = [VC2, UNTP070, { name: 'https://example.org/name' }];
    const result = await fast.check(doc);
    expect(result.expanded).toBeNull();
    expect(result.errors.map((e) => e.code)).toEqual(['JSONLD_PROTECTED_REDEFINITION']);
    expect(result.errors[0]!.path).toBe('/@context');
  });

  it('invalid JSON-LD is JSONLD_INVALID with the jsonld.js error code', async () => {
    const result = await fast.check({ '@context': VC2, id: 42 });
    expect(result.engine).toBe('fast');
    expect(result.errors).toEqual([expect.objectContaining({ code: 'JSONLD_INVALID', path: '/id' })]);
    expect(result.errors[0]!.message).toContain('invalid @id value');
  });
});

describe('jsonld.js context semantics the port keeps', () => {
  it('a value under a reverted type-scoped context loses the @direction of the context before it (jsonld.js clones it away)', async () => {
    const doc = minimalCredential({
      '@context': { '@direction': 'rtl', '@language': 'ar' },
      type: ['Product'],
      id: 'https://example.com/product/1',
      description: 'نص',
      name: { '@list': ['a', 'b'] },
    });
    const ours = await fast.check(doc);
    expect(ours.engine).toBe('fast');
    expect(ours.expanded).toEqual((await reference.check(doc)).expanded);
    expect(JSON.stringify(ours.expanded)).not.toContain('@direction');
  });

  it('the same documents give the same findings whatever was checked before', async () => {
    const relativeVocab = minimalCredential();
    relativeVocab['@context'] = [VC2, UNTP070, { '@vocab': 'relative-vocab' }];
    const plain = minimalCredential();
    const before = await fast.check(plain);
    await fast.check(relativeVocab);
    expect(await fast.check(plain)).toEqual(before);
    expect(await reference.check(plain)).toEqual({ ...before, engine: 'jsonld.js' });
  });
});

describe('contexts', () => {
  it('a context URL outside the registry is CONTEXT_UNKNOWN at its place in @context, naming it, and is never fetched', async () => {
    const doc = minimalCredential();
    doc['@context'] = [VC2, 'https://example.org/not-bundled/v1'];
    const result = await fast.check(doc);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ code: 'CONTEXT_UNKNOWN', path: '/@context/1' });
    expect(result.errors[0]!.message).toContain('https://example.org/not-bundled/v1');
    await expect(fast.toRdf(doc)).rejects.toMatchObject({ code: 'CONTEXT_UNKNOWN' });
  });

  it('works with any context added to the registry, not a fixed list', async () => {
    const own = registry.fork().add(
      'https://example.org/ctx/v1',
      {
        '@context': {
          '@protected': true,
          Batch: {
            '@id': 'https://example.org/Batch',
            '@context': {
              '@protected': true,
              grams: { '@id': 'https://example.org/grams', '@type': 'http://www.w3.org/2001/XMLSchema#decimal' },
            },
          },
        },
      },
      'context',
    );
    const doc = {
      '@context': [VC2, 'https://example.org/ctx/v1'],
      type: ['VerifiableCredential'],
      issuer: 'did:example:1',
      credentialSubject: { type: 'Batch', grams: '12.5', shade: 'x' },
    };
    const processor = new FastJsonLdProcessor(own);
    const result = await processor.check(doc);
    expect(result.engine).toBe('fast');
    expect(result.expanded).toEqual((await new JsonLdJsProcessor(own).check(doc)).expanded);
    expect(result.warnings.map((w) => w.path)).toEqual([]);
    expect(result.errors.map((e) => `${e.code} ${e.path}`)).toEqual(['JSONLD_TERM_DROPPED /credentialSubject/shade']);
  });

  it('leaves features outside the fast path to jsonld.js, with the same result', async () => {
    const doc = minimalCredential();
    doc['@context'] = [VC2, UNTP070, { '@import': VC2 }];
    const result = await fast.check(doc);
    expect(result.engine).toBe('jsonld.js');
    expect(result).toEqual(await reference.check(doc));
    expect((await fast.toRdfWithEngine(minimalCredential())).engine).toBe('fast');
  });
});

describe('check() never throws on bad input', () => {
  const circular: Json = { '@context': VC2 };
  circular.self = circular;
  const cases: Array<[string, unknown]> = [
    ['undefined', undefined],
    ['a number', 42],
    ['a URL string', 'https://example.org/doc'],
    ['a bad @context', { '@context': 5 }],
    ['an array', [{ '@context': VC2, type: 'VerifiableCredential' }, 3]],
    ['a circular document', circular],
    ['a non-JSON value', { '@context': VC2, name: new Map() }],
    ['a keyword-like key', { '@context': VC2, '@foo': 1 }],
  ];
  for (const [name, input] of cases) {
    it(name, async () => {
      const result = await fast.check(input);
      expect(['fast', 'jsonld.js']).toContain(result.engine);
      expect(Array.isArray(result.errors)).toBe(true);
    });
  }
});

describe('toRdf', () => {
  it('rejects where jsonld.js safe mode rejects, with the same code', async () => {
    const doc = DCC();
    delete doc.credentialSubject.type;
    const ours = await rejection(() => fast.toRdf(doc));
    const theirs = await rejection(() => reference.toRdf(doc));
    expect(ours.code).toBe('JSONLD_TERM_DROPPED');
    expect(ours.code).toBe(theirs.code);
    expect(ours.path).toMatch(/^\/credentialSubject\//);
  });

  it('gives the dataset jsonld.js gives for a Data Integrity proof (its @graph container puts the proof in its own graph)', async () => {
    const doc = minimalCredential();
    doc['@context'] = [VC2, UNTP070, DI2];
    doc.proof = {
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      created: '2025-01-15T00:00:00Z',
      verificationMethod: 'did:web:example.com#key-1',
      proofPurpose: 'assertionMethod',
      proofValue: 'z58DAdFfa9SkqZMVPxAQpic7ndSayn1PzZs6ZjWp1CktyGesjuTSwRdoWhAfGFCF5bppETSTojQCrfFPP2oumHKtz',
    };
    const { engine, quads } = await fast.toRdfWithEngine(doc);
    expect(engine).toBe('fast');
    const expected = (await jsonld.toRDF(doc, {
      documentLoader: registry.documentLoader,
      safe: true,
      base: null,
    })) as Json[];
    expect(await canonical(quads)).toBe(await canonical(expected));
    const proofGraph = quads.filter((q) => q.graph.termType === 'BlankNode');
    expect(proofGraph.map((q) => q.predicate.value)).toContain('https://w3id.org/security#proofValue');
    expect(
      quads.some((q) => q.predicate.value === 'https://w3id.org/security#proof' && q.object.termType === 'BlankNode'),
    ).toBe(true);
  });

  it('canonical N-Quads of every UNTP 0.7.0 sample equal those of jsonld.js toRDF', async () => {
    for (const name of [
      'dcc/ConformityCredential_instance.json',
      'dpp/DigitalProductPassport_instance.json',
      'dte/DigitalTraceabilityEvent_instance.json',
    ]) {
      const doc = load(`0.7.0/${name}`);
      const expected = (await jsonld.toRDF(doc, {
        documentLoader: registry.documentLoader,
        safe: true,
        base: null,
      })) as Json[];
      expect(await canonical(await fast.toRdf(doc))).toBe(await canonical(expected));
    }
  });
});
