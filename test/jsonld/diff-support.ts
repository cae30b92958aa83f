// Differential testing of the fast JSON-LD path against jsonld.js: document generators (fast-check)
// and the comparison of everything the two engines report.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import jsonld from 'jsonld';
import rdfCanonize from 'rdf-canonize';
import { ArtefactRegistry } from '../../src/artefacts/registry.js';
import { FastJsonLdProcessor } from '../../src/jsonld/fast.js';
import ContextResolver from 'jsonld/lib/ContextResolver.js';
import ResolvedContext from 'jsonld/lib/ResolvedContext.js';
import toRdfApi from 'jsonld/lib/toRdf.js';
import { JsonLdJsProcessor, issueFromJsonLdError } from '../../src/jsonld/reference.js';
import type { JsonLdCheckResult, RdfQuad } from '../../src/jsonld/types.js';
import type { Issue } from '../../src/validate/report.js';

type Json = any;

export const VC2 = 'https://www.w3.org/ns/credentials/v2';
export const UNTP070 = 'https://vocabulary.uncefact.org/untp/0.7.0/context/';
export const DI2 = 'https://w3id.org/security/data-integrity/v2';
const ROOT = new URL('../../', import.meta.url).pathname;

/** Every bundled UNTP sample (0.7.0, 0.6.1 incl. trust-graph) and examples/ when present, as [relative path, document]. */
export function sampleDocuments(): Array<[string, Json]> {
  const found: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.json')) found.push(path);
    }
  };
  walk(join(ROOT, 'test/fixtures/untp/0.7.0'));
  walk(join(ROOT, 'test/fixtures/untp/0.6.1'));
  walk(join(ROOT, 'examples'));
  return found.map((path) => [path.slice(ROOT.length), JSON.parse(readFileSync(path, 'utf8'))]);
}

/** Samples that are JSON-LD credentials (they have a @context): the seeds of mutated documents. */
export function credentialSamples(): Json[] {
  return sampleDocuments()
    .map(([, doc]) => doc)
    .filter((doc) => doc && typeof doc === 'object' && '@context' in doc);
}

// ---------------------------------------------------------------------------------------------
// Vocabulary: terms and types read from the registry's contexts (so new contexts are covered too)
// ---------------------------------------------------------------------------------------------

export interface Vocabulary {
  contextUrls: string[];
  types: string[];
  properties: string[];
  /** Per context URL, its terms that carry a type-scoped context (classes). */
  scopedTypes: Map<string, string[]>;
}

export function vocabularyOf(registry: ArtefactRegistry): Vocabulary {
  const types = new Set<string>();
  const properties = new Set<string>();
  const scopedTypes = new Map<string, string[]>();
  const walk = (ctx: Json): void => {
    if (Array.isArray(ctx)) {
      ctx.forEach(walk);
      return;
    }
    if (!ctx || typeof ctx !== 'object') return;
    for (const [term, def] of Object.entries(ctx)) {
      if (term.startsWith('@') || term.includes(':')) continue;
      if (/^[A-Z]/.test(term)) types.add(term);
      else properties.add(term);
      if (def && typeof def === 'object' && '@context' in (def as object)) walk((def as Json)['@context']);
    }
  };
  const contextUrls = registry.urls('context').filter((url) => {
    try {
      const doc = registry.get(url, 'context') as Json;
      walk(doc['@context']);
      const top = doc['@context'];
      if (top && typeof top === 'object' && !Array.isArray(top)) {
        scopedTypes.set(
          url,
          Object.entries(top)
            .filter(
              ([term, def]) => /^[A-Z]/.test(term) && def && typeof def === 'object' && '@context' in (def as object),
            )
            .map(([term]) => term),
        );
      }
      return true;
    } catch {
      return false;
    }
  });
  return { contextUrls, types: [...types].sort(), properties: [...properties].sort(), scopedTypes };
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const UNKNOWN_TERMS = ['fooBar', 'unknownTerm', 'colour', 'Name', 'extra_field', 'x', 'données'];
const IRIS = [
  'https://example.org/a',
  'urn:uuid:3b7f3e2e-8c4f-4f3e-9d8e-0a1b2c3d4e5f',
  'did:example:123',
  '_:b0',
  '_:b1',
  'relative/path',
  '#frag',
  'mailto:a@example.org',
];
const LANGS = ['en', 'fr-CA', 'EN-us', 'de', 'not a tag'];
const DATATYPES = [
  'xsd:dateTime',
  'http://www.w3.org/2001/XMLSchema#decimal',
  'https://example.org/dt',
  'xsd:string',
  'relativeType',
  '@json',
];

/** Inline contexts a document may carry: term definitions, @vocab, containers, protected redefinitions, null. */
function inlineContextArb(vocab: Vocabulary): fc.Arbitrary<Json> {
  const known = fc.constantFrom(...vocab.properties.slice(0, 400));
  return fc.oneof(
    fc.constant({ '@vocab': 'https://example.org/vocab#' }),
    fc.constant({ ex: 'https://example.org/', exTerm: 'ex:term' }),
    fc.constant({ '@language': 'en' }),
    fc.constant({ '@base': 'https://example.org/base/' }),
    fc.constant({ tags: { '@id': 'https://example.org/tags', '@container': '@list' } }),
    fc.constant({ labels: { '@id': 'https://example.org/labels', '@container': '@language' } }),
    fc.constant({ byKey: { '@id': 'https://example.org/byKey', '@container': '@index' } }),
    fc.constant({ byId: { '@id': 'https://example.org/byId', '@container': '@id' } }),
    fc.constant({ byType: { '@id': 'https://example.org/byType', '@container': '@type' } }),
    fc.constant({ graphed: { '@id': 'https://example.org/graphed', '@container': '@graph' } }),
    fc.constant({ parentOf: { '@reverse': 'https://example.org/childOf' } }),
    fc.constant({ meta: '@nest' }),
    fc.constant({ data: { '@id': 'https://example.org/data', '@type': '@json' } }),
    fc.constant({ when: { '@id': 'https://example.org/when', '@type': 'http://www.w3.org/2001/XMLSchema#dateTime' } }),
    fc.constant({ '@vocab': 'relative-vocab' }),
    fc.constant({ '@reserved': 'https://example.org/r' }),
    fc.constant({ '@version': 1.1, '@protected': true, local: 'https://example.org/local' }),
    fc.constant(null),
    known.map((term) => ({ [term]: 'https://example.org/redefined' })),
    known.map((term) => ({
      [term]: { '@id': 'https://example.org/scoped', '@context': { '@vocab': 'https://example.org/inner#' } },
    })),
  );
}

function iriArb(): fc.Arbitrary<string> {
  return fc.oneof(fc.constantFrom(...IRIS), fc.webUrl({ withFragments: true, withQueryParameters: false }));
}

function scalarArb(): fc.Arbitrary<Json> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 2, arbitrary: iriArb() },
    { weight: 1, arbitrary: fc.integer({ min: -1000, max: 100000 }) },
    { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }) },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom('2025-01-15T00:00:00Z', '2024-02-29', 'en') },
  );
}

function valueObjectArb(): fc.Arbitrary<Json> {
  return fc.oneof(
    fc.record({ '@value': fc.string({ maxLength: 8 }), '@language': fc.constantFrom(...LANGS) }),
    fc.record({
      '@value': fc.oneof(fc.string({ maxLength: 8 }), fc.integer()),
      '@type': fc.constantFrom(...DATATYPES),
    }),
    fc.record({ '@value': fc.string({ maxLength: 8 }), '@direction': fc.constantFrom('ltr', 'rtl', 'up') }),
    fc.record({ '@value': fc.oneof(fc.constant(null), fc.integer(), fc.boolean()) }),
    fc.record({
      '@value': fc.string({ maxLength: 4 }),
      '@language': fc.constant('en'),
      '@type': fc.constant('xsd:string'),
    }),
    fc.record({ '@value': fc.string({ maxLength: 4 }), '@index': fc.string({ maxLength: 3 }) }),
    fc.record({ '@id': iriArb() }),
    fc.record({ '@list': fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }) }),
    fc.record({ '@set': fc.array(fc.integer(), { maxLength: 3 }) }),
    fc.constant({ '@language': 'en' }),
    fc.constant({}),
    fc.record({ en: fc.string({ maxLength: 5 }), fr: fc.string({ maxLength: 5 }) }),
  );
}

function keyArb(vocab: Vocabulary): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...vocab.properties) },
    { weight: 2, arbitrary: fc.constantFrom(...UNKNOWN_TERMS) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'schema:name',
        'untp:foo',
        'https://example.org/prop',
        '_:bnodeProp',
        'ex:local',
        'xsd:thing',
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '@foo',
        '@index',
        '@language',
        '@reverse',
        '@included',
        '@graph',
        '@nest',
        '@direction',
        '@set',
        '@list',
        '@value',
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'tags',
        'labels',
        'byKey',
        'byId',
        'byType',
        'graphed',
        'parentOf',
        'meta',
        'data',
        'when',
        'local',
        'exTerm',
      ),
    },
  );
}

/**
 * A JSON-LD feature used together with the inline context that enables it: containers (@list,
 * @language, @index incl. property-valued, @id, @type, @graph), @reverse, @nest, @json, @included,
 * @graph, @propagate, inline type-scoped contexts, protected terms and their redefinition, nullification.
 */
function featureArb(inner: fc.Arbitrary<Json>): fc.Arbitrary<{ context?: Json; entries: Array<[string, Json]> }> {
  const ex = 'https://example.org/';
  const scalar = scalarArb();
  return fc.oneof(
    fc
      .array(fc.oneof(scalar, inner), { maxLength: 3 })
      .map((v) => ({ context: { tags: { '@id': `${ex}tags`, '@container': '@list' } }, entries: [['tags', v]] })),
    fc
      .dictionary(
        fc.constantFrom('en', 'fr', 'EN-GB', '@none', 'bad tag', 'none'),
        fc.oneof(
          fc.string({ maxLength: 4 }),
          fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
          fc.constant(null),
        ),
        { maxKeys: 3 },
      )
      .map((v) => ({
        context: { labels: { '@id': `${ex}labels`, '@container': '@language' } },
        entries: [['labels', v]],
      })),
    fc
      .dictionary(fc.constantFrom('k1', 'k2', '@none'), fc.oneof(inner, scalar, fc.array(inner, { maxLength: 2 })), {
        maxKeys: 2,
      })
      .map((v) => ({ context: { byKey: { '@id': `${ex}byKey`, '@container': '@index' } }, entries: [['byKey', v]] })),
    fc.dictionary(fc.constantFrom('k1', 'k2', '@none'), fc.oneof(inner, scalar), { maxKeys: 2 }).map((v) => ({
      context: {
        byProp: { '@id': `${ex}byProp`, '@container': '@index', '@index': 'category' },
        category: `${ex}category`,
      },
      entries: [['byProp', v]],
    })),
    fc
      .dictionary(fc.constantFrom(`${ex}n1`, '_:n2', 'relative', '@none'), inner, { maxKeys: 2 })
      .map((v) => ({ context: { byId: { '@id': `${ex}byId`, '@container': '@id' } }, entries: [['byId', v]] })),
    fc
      .dictionary(fc.constantFrom('Party', 'UnknownT', `${ex}T`, '@none'), fc.oneof(inner, fc.constant(`${ex}ref`)), {
        maxKeys: 2,
      })
      .map((v) => ({ context: { byType: { '@id': `${ex}byType`, '@container': '@type' } }, entries: [['byType', v]] })),
    fc.oneof(inner, fc.array(inner, { maxLength: 2 }), fc.constant({})).map((v) => ({
      context: { graphed: { '@id': `${ex}graphed`, '@container': ['@graph', '@set'] } },
      entries: [['graphed', v]],
    })),
    fc.dictionary(fc.constantFrom(`${ex}g1`, '_:g'), inner, { maxKeys: 2 }).map((v) => ({
      context: { graphById: { '@id': `${ex}graphById`, '@container': ['@graph', '@id'] } },
      entries: [['graphById', v]],
    })),
    fc
      .oneof(inner, fc.record({ '@value': fc.string({ maxLength: 3 }) }))
      .map((v) => ({ context: { parentOf: { '@reverse': `${ex}childOf` } }, entries: [['parentOf', v]] })),
    fc
      .oneof(inner, fc.array(inner, { maxLength: 2 }), scalar)
      .map((v) => ({ context: { meta: '@nest' }, entries: [['meta', v]] })),
    fc
      .oneof(fc.jsonValue({ maxDepth: 2 }), scalar)
      .map((v) => ({ context: { data: { '@id': `${ex}data`, '@type': '@json' } }, entries: [['data', v]] })),
    fc.array(inner, { maxLength: 2 }).map((v) => ({ entries: [['@included', v]] })),
    inner.map((v) => ({ entries: [['@reverse', { [`${ex}knows`]: v }]] })),
    fc.array(inner, { maxLength: 2 }).map((v) => ({ entries: [['@graph', v]] })),
    fc.string({ maxLength: 3 }).map((v) => ({ entries: [['@index', v]] })),
    inner.map((v) => ({ context: { '@propagate': false, near: `${ex}near` }, entries: [['near', v]] })),
    inner.map((v) => ({
      context: {
        LocalType: { '@id': `${ex}LocalType`, '@context': { localProp: `${ex}localProp`, '@vocab': `${ex}local#` } },
      },
      entries: [
        ['type', 'LocalType'],
        ['localProp', v],
        ['other', 'x'],
      ],
    })),
    fc
      .constantFrom('name', 'id', 'type', 'description')
      .map((term) => ({ context: { '@protected': true, [term]: `${ex}${term}` }, entries: [[term, 'x']] })),
    inner.map((v) => ({
      context: { '@direction': 'rtl', '@language': 'ar' },
      entries: [
        ['dirText', 'نص'],
        ['sub', v],
      ],
    })),
    fc.constant({
      entries: [
        ['@type', '@json'],
        ['@value', { a: 1 }],
      ],
    }),
    fc.constant({ context: { '@vocab': null }, entries: [['afterNoVocab', 'x']] }),
  ) as fc.Arbitrary<{ context?: Json; entries: Array<[string, Json]> }>;
}

/** A node object: typed (from the registry's type terms) or not, with an id, properties and nested nodes. */
function nodeArb(vocab: Vocabulary, depth: number): fc.Arbitrary<Json> {
  const value: fc.Arbitrary<Json> =
    depth <= 0
      ? fc.oneof({ weight: 5, arbitrary: scalarArb() }, { weight: 1, arbitrary: valueObjectArb() })
      : fc.oneof(
          { weight: 5, arbitrary: scalarArb() },
          { weight: 2, arbitrary: valueObjectArb() },
          { weight: 3, arbitrary: fc.constant(null).chain(() => nodeArb(vocab, depth - 1)) },
          { weight: 2, arbitrary: fc.array(fc.oneof(scalarArb(), nodeArb(vocab, depth - 1)), { maxLength: 3 }) },
        );
  return fc
    .record({
      type: fc.oneof(
        { weight: 5, arbitrary: fc.array(fc.constantFrom(...vocab.types), { minLength: 1, maxLength: 2 }) },
        { weight: 2, arbitrary: fc.constantFrom(...vocab.types) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('UnknownType', 'schema:Thing', 'https://example.org/T', '@json', '_:t'),
        },
        { weight: 2, arbitrary: fc.constant(undefined) },
      ),
      id: fc.option(iriArb(), { nil: undefined, freq: 2 }),
      props: fc.array(fc.tuple(keyArb(vocab), value), { maxLength: depth > 0 ? 5 : 3 }),
      context: fc.option(inlineContextArb(vocab), { nil: undefined, freq: 12 }),
      feature: fc.option(
        featureArb(depth > 0 ? fc.constant(null).chain(() => nodeArb(vocab, depth - 1)) : scalarArb()),
        { nil: undefined, freq: 5 },
      ),
    })
    .map(({ type, id, props, context, feature }) => {
      const node: Json = {};
      const contexts = [context, feature?.context].filter((c) => c !== undefined);
      if (contexts.length > 0) node['@context'] = contexts.length === 1 ? contexts[0] : contexts;
      if (type !== undefined) node.type = type;
      if (id !== undefined) node.id = id;
      for (const [k, v] of props) node[k] = v;
      for (const [k, v] of feature?.entries ?? []) node[k] = v;
      return node;
    });
}

/** A credential-shaped document over one of the registry's context lists, with inline contexts now and then. */
export function generatedDocumentArb(vocab: Vocabulary): fc.Arbitrary<Json> {
  const otherContexts = vocab.contextUrls.filter((u) => u !== VC2 && u !== UNTP070);
  const contextList = fc.oneof(
    { weight: 8, arbitrary: fc.constant([VC2, UNTP070]) },
    { weight: 2, arbitrary: fc.constantFrom(...otherContexts).map((u) => [VC2, u]) },
    { weight: 1, arbitrary: fc.constantFrom(...otherContexts).map((u) => [VC2, UNTP070, u]) },
    { weight: 1, arbitrary: fc.constant([VC2]) },
    { weight: 1, arbitrary: fc.constant([UNTP070, VC2]) },
    { weight: 1, arbitrary: fc.constant(VC2) },
    { weight: 2, arbitrary: inlineContextArb(vocab).map((inline) => [VC2, UNTP070, inline]) },
    { weight: 1, arbitrary: inlineContextArb(vocab).map((inline) => [inline, VC2, UNTP070]) },
  );
  return fc
    .record({
      context: contextList,
      rootTypes: fc.array(fc.constantFrom(...vocab.types), { maxLength: 2 }),
      vc: fc.boolean(),
      id: fc.option(iriArb(), { nil: undefined }),
      issuer: fc.oneof(iriArb(), nodeArb(vocab, 1)),
      subject: fc.oneof(nodeArb(vocab, 2), fc.array(nodeArb(vocab, 1), { maxLength: 2 })),
      extra: fc.array(fc.tuple(keyArb(vocab), fc.oneof(scalarArb(), nodeArb(vocab, 1))), { maxLength: 3 }),
    })
    .map(({ context, rootTypes, vc, id, issuer, subject, extra }) => {
      const doc: Json = { '@context': context, type: vc ? [...rootTypes, 'VerifiableCredential'] : rootTypes };
      if (id !== undefined) doc.id = id;
      doc.issuer = issuer;
      doc.validFrom = '2025-01-15T00:00:00Z';
      doc.credentialSubject = subject;
      for (const [k, v] of extra) doc[k] = v;
      return doc;
    });
}

/**
 * Well-formed UNTP 0.7.0 credentials: typed nodes only (so every term is defined or caught by the
 * class @vocab), absolute ids, valid value objects and containers, sometimes a Data Integrity proof.
 * Most convert to RDF, so canonical N-Quads are compared on them, not only the findings.
 */
export function wellFormedDocumentArb(vocab: Vocabulary): fc.Arbitrary<Json> {
  const types = vocab.scopedTypes.get(UNTP070) ?? [];
  const keys = vocab.properties.filter((p) => !['id', 'type'].includes(p));
  const absolute = fc.oneof(
    fc.constantFrom('https://example.org/a', 'urn:uuid:3b7f3e2e-8c4f-4f3e-9d8e-0a1b2c3d4e5f', 'did:web:example.com'),
    fc.webUrl(),
  );
  const key = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...keys) },
    { weight: 2, arbitrary: fc.constantFrom(...UNKNOWN_TERMS) },
    { weight: 1, arbitrary: fc.constantFrom('schema:name', 'untp:note') },
  );
  const literal = fc.oneof(
    absolute,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.record({ '@value': fc.string({ maxLength: 8 }), '@language': fc.constantFrom('en', 'fr-CA', 'DE') }),
    fc.record({
      '@value': fc.constantFrom('2025-01-15T00:00:00Z', '12.5'),
      '@type': fc.constantFrom('xsd:dateTime', 'xsd:decimal', 'https://example.org/dt'),
    }),
  );
  const node = (depth: number): fc.Arbitrary<Json> => {
    const value: fc.Arbitrary<Json> =
      depth <= 0
        ? literal
        : fc.oneof(
            { weight: 3, arbitrary: literal },
            { weight: 2, arbitrary: node(depth - 1) },
            { weight: 1, arbitrary: fc.array(fc.oneof(literal, node(depth - 1)), { minLength: 1, maxLength: 3 }) },
          );
    return fc
      .record({
        type: fc.array(fc.constantFrom(...types), { minLength: 1, maxLength: 2 }),
        id: fc.option(absolute, { nil: undefined }),
        props: fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 5 }),
        extra: fc.option(
          fc.constantFrom<[Json, string, Json]>(
            [{ tags: { '@id': 'https://example.org/tags', '@container': '@list' } }, 'tags', ['a', 'b']],
            [
              { labels: { '@id': 'https://example.org/labels', '@container': '@language' } },
              'labels',
              { en: 'copper', fr: ['cuivre'] },
            ],
            [
              { byKey: { '@id': 'https://example.org/byKey', '@container': '@index' } },
              'byKey',
              { k1: 'https://example.org/x' },
            ],
            [{ data: { '@id': 'https://example.org/data', '@type': '@json' } }, 'data', { any: [1, 'json', null] }],
            [{ meta: '@nest' }, 'meta', { unit: 'KGM', value: 3 }],
          ),
          { nil: undefined, freq: 4 },
        ),
      })
      .map(({ type, id, props, extra }) => {
        const out: Json = { type };
        if (id !== undefined) out.id = id;
        for (const [k, v] of props) out[k] = v;
        if (extra) {
          out['@context'] = extra[0];
          out[extra[1]] = extra[2];
        }
        return out;
      });
  };
  const credentialTypes = types.filter((t) => t.startsWith('Digital'));
  return fc
    .record({
      type: fc.constantFrom(...credentialTypes),
      id: absolute,
      subject: fc.oneof(node(2), fc.array(node(1), { minLength: 1, maxLength: 2 })),
      proof: fc.boolean(),
    })
    .map(({ type, id, subject, proof }) => {
      const doc: Json = {
        '@context': proof ? [VC2, UNTP070, DI2] : [VC2, UNTP070],
        type: [type, 'VerifiableCredential'],
        id,
        issuer: { type: ['CredentialIssuer'], id: 'did:web:example.com', name: 'Example' },
        validFrom: '2025-01-15T00:00:00Z',
        credentialSubject: subject,
      };
      if (proof) {
        doc.proof = {
          type: 'DataIntegrityProof',
          cryptosuite: 'eddsa-rdfc-2022',
          created: '2025-01-15T00:00:00Z',
          verificationMethod: 'did:web:example.com#key-1',
          proofPurpose: 'assertionMethod',
          proofValue: 'z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKxNEQ',
        };
      }
      return doc;
    });
}

// Mutations of real samples: sample size, realistic nesting, one to six small changes.
type Mutation = [kind: number, target: number, choice: number, payload: Json];

function objectPaths(doc: Json): Array<{ parent: Json; key: string | number; node: Json }> {
  const found: Array<{ parent: Json; key: string | number; node: Json }> = [];
  const walk = (parent: Json, key: string | number, node: Json): void => {
    if (Array.isArray(node)) node.forEach((item, i) => walk(node, i, item));
    else if (node && typeof node === 'object') {
      found.push({ parent, key, node });
      for (const [k, v] of Object.entries(node)) if (k !== '@context') walk(node, k, v);
    }
  };
  walk(null, '', doc);
  return found;
}

function applyMutation(doc: Json, [kind, target, choice, payload]: Mutation, vocab: Vocabulary): Json {
  const objects = objectPaths(doc);
  const at = objects[target % objects.length]!;
  const node = at.node;
  const keys = Object.keys(node).filter((k) => k !== '@context');
  const key = keys.length > 0 ? keys[choice % keys.length]! : undefined;
  switch (kind % 12) {
    case 0: // remove a member
      if (key !== undefined) delete node[key];
      break;
    case 1: // rename a member (to another term, an unknown name, a compact IRI…)
      if (key !== undefined) {
        const value = node[key];
        delete node[key];
        node[String(payload.newKey)] = value;
      }
      break;
    case 2: // add a member
      node[String(payload.newKey)] = payload.value;
      break;
    case 3: // change the type
      node.type = payload.type;
      break;
    case 4: // remove the type
      delete node.type;
      break;
    case 5: // value → value object / array / node
      if (key !== undefined) node[key] = choice % 2 === 0 ? payload.valueObject : [node[key]];
      break;
    case 6: // ids
      node.id = payload.id;
      break;
    case 7: // an inline context on a node
      node['@context'] = payload.context;
      break;
    case 8: {
      // the document's context list
      const list: Json[] = Array.isArray(doc['@context']) ? [...doc['@context']] : [doc['@context']];
      if (choice % 3 === 0) list.reverse();
      else if (choice % 3 === 1) list.push(DI2);
      else list.push(payload.context);
      doc['@context'] = list;
      break;
    }
    case 9: // nest a typed node somewhere
      node[String(payload.newKey)] = payload.node;
      break;
    case 10: // unwrap / wrap arrays
      if (key !== undefined) node[key] = Array.isArray(node[key]) ? (node[key][0] ?? null) : [node[key], payload.value];
      break;
    default: // a type from the registry's vocabulary, as a single string
      node.type = vocab.types[choice % vocab.types.length];
  }
  return doc;
}

export function mutatedSampleArb(vocab: Vocabulary, samples: Json[]): fc.Arbitrary<Json> {
  const payload = fc.record({
    newKey: keyArb(vocab),
    value: fc.oneof(scalarArb(), valueObjectArb()),
    valueObject: valueObjectArb(),
    type: fc.oneof(
      fc.array(fc.constantFrom(...vocab.types), { minLength: 1, maxLength: 2 }),
      fc.constantFrom('Unknown', 'schema:Thing'),
    ),
    id: iriArb(),
    context: inlineContextArb(vocab),
    node: nodeArb(vocab, 1),
  });
  const mutation = fc.tuple(fc.nat(), fc.nat(), fc.nat(), payload) as fc.Arbitrary<Mutation>;
  return fc
    .record({
      sample: fc.nat({ max: samples.length - 1 }),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 6 }),
    })
    .map(({ sample, mutations }) => {
      let doc = structuredClone(samples[sample]);
      for (const m of mutations) doc = applyMutation(doc, m, vocab);
      return doc;
    });
}

// ---------------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------------

function stable(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}

const quoted = (message: string): string => message.slice(1, message.indexOf("' is not defined"));
const eventCode = (message: string): string => /^JSON-LD safe mode: ([^:]+): /.exec(message)?.[1] ?? message;
const sorted = (values: Iterable<string>): string => JSON.stringify([...new Set(values)].sort());

function resolvePointer(document: Json, pointer: string): { found: boolean; value?: Json } {
  if (pointer === '') return { found: true, value: document };
  let current = document;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, segment))
      return { found: false };
    current = current[segment];
  }
  return { found: true, value: current };
}

/** What a check says, reduced to what both engines can say. */
function summary(result: JsonLdCheckResult): Record<string, string> {
  const of = (code: string): Issue[] => result.errors.filter((e) => e.code === code);
  return {
    codes: sorted(result.errors.map((e) => e.code).filter((c) => c !== 'JSONLD_NODE_UNTYPED')),
    dropped: sorted(of('JSONLD_TERM_DROPPED').map((e) => quoted(e.message))),
    unsafe: sorted(of('JSONLD_UNSAFE').map((e) => eventCode(e.message))),
    invalid: sorted([...of('JSONLD_INVALID'), ...of('CONTEXT_UNKNOWN')].map((e) => e.message)),
    expanded: stable(result.expanded),
  };
}

/** jsonld.js finds @vocab-only terms by expanding again without @vocab: it never looks inside a term that is dropped there. */
function referenceVisibleVocabTerms(result: JsonLdCheckResult): string {
  const warned = result.warnings.map((w) => w.path);
  const dropped = new Set(result.errors.filter((e) => e.code === 'JSONLD_TERM_DROPPED').map((e) => quoted(e.message)));
  const visible = result.warnings.filter((w) => !warned.some((p) => p !== w.path && w.path.startsWith(`${p}/`)));
  return sorted(visible.map((w) => quoted(w.message)).filter((name) => !dropped.has(name)));
}

export async function canonical(quads: RdfQuad[]): Promise<string> {
  return rdfCanonize.canonize(quads, { algorithm: 'RDFC-1.0' });
}

type RdfOutcome = { ok: true; canonical: string; nquads: string } | { ok: false; code: string };

async function rdfOutcome(run: () => Promise<RdfQuad[]>): Promise<RdfOutcome> {
  let quads: RdfQuad[];
  try {
    quads = await run();
  } catch (error) {
    return { ok: false, code: (error as { code?: string }).code ?? `thrown: ${(error as Error).message}` };
  }
  const nquads = rdfCanonize.NQuads.serialize(quads);
  try {
    return { ok: true, canonical: await canonical(quads), nquads };
  } catch (error) {
    return { ok: true, canonical: `canonicalization failed: ${(error as Error).message}`, nquads };
  }
}

export interface Comparison {
  /** The engines that answered check() and toRdf() on the fast processor. */
  checkEngine: 'fast' | 'jsonld.js';
  rdfEngine: 'fast' | 'jsonld.js';
  /** Both engines produced a dataset, so canonical N-Quads were compared. */
  rdfCompared: boolean;
  mismatches: string[];
}

/**
 * The lean reference shares one jsonld.js context cache across documents, as jsonld.js does by
 * default (much faster: the UNTP context is processed once, not per document). Its one flaw — a
 * cached context keeps the live events array of the call that processed it, so later events of that
 * call leak into other documents' results — is removed by caching a snapshot of the events instead.
 */
const SHARED_CONTEXTS = new Map<string, unknown>();
// eslint-disable-next-line @typescript-eslint/unbound-method -- called below with .call(this, …)
const setProcessed = ResolvedContext.prototype.setProcessed;
ResolvedContext.prototype.setProcessed = function snapshot(
  this: unknown,
  activeCtx: unknown,
  processed: { context: unknown; events: unknown[] },
) {
  return setProcessed.call(this, activeCtx, { context: processed.context, events: [...processed.events] });
};
const sharedResolver = (): unknown => new ContextResolver({ sharedCache: SHARED_CONTEXTS });

// jsonld.js safe mode's list (jsonld/lib/events.js).
const UNSAFE_EVENTS = new Set([
  'empty object',
  'free-floating scalar',
  'invalid @language value',
  'invalid property',
  'null @id value',
  'null @value value',
  'object with only @id',
  'object with only @language',
  'object with only @list',
  'object with only @value',
  'relative @id reference',
  'relative @type reference',
  'relative @vocab reference',
  'reserved @id value',
  'reserved @reverse value',
  'reserved term',
  'blank node predicate',
  'relative graph reference',
  'relative object reference',
  'relative predicate reference',
  'relative subject reference',
  'rdfDirection not set',
]);

export class Differ {
  readonly fast: FastJsonLdProcessor;
  readonly reference: JsonLdJsProcessor;

  /**
   * `lean`: the large run's cheaper reference — one collecting jsonld.js expansion over a shared context cache (what
   * JsonLdJsProcessor.check does, without its @vocab-stripped second pass, so @vocab-only terms are not
   * compared), and jsonld.js toRDF only where that expansion raised events (otherwise toRDF is that
   * expansion converted by jsonld.js's own toRdf step, which is all jsonld.toRDF does then).
   */
  constructor(
    readonly registry: ArtefactRegistry = ArtefactRegistry.bundled(),
    readonly options: { lean?: boolean } = {},
  ) {
    this.fast = new FastJsonLdProcessor(registry);
    this.reference = new JsonLdJsProcessor(registry);
  }

  /** jsonld.toRDF in safe mode over the shared cache, rejecting with our codes as JsonLdJsProcessor.toRdf does. */
  private async leanToRdf(document: Json): Promise<RdfQuad[]> {
    try {
      return (await jsonld.toRDF(document, {
        documentLoader: this.registry.documentLoader,
        safe: true,
        base: null,
        contextResolver: sharedResolver(),
      })) as RdfQuad[];
    } catch (error) {
      throw Object.assign(new Error('jsonld.js rejected'), { code: issueFromJsonLdError(error).code });
    }
  }

  private async leanReference(document: Json): Promise<{ check: JsonLdCheckResult; rdf: () => Promise<RdfQuad[]> }> {
    const events: Array<{ code: string; message: string; details?: Record<string, unknown> }> = [];
    const check: JsonLdCheckResult = { engine: 'jsonld.js', expanded: null, errors: [], warnings: [] };
    try {
      check.expanded = await jsonld.expand(document, {
        documentLoader: this.registry.documentLoader,
        base: null,
        contextResolver: sharedResolver(),
        eventHandler: ({ event, next }) => {
          if (event.level === 'warning' && UNSAFE_EVENTS.has(event.code)) events.push(event);
          else next();
        },
      });
    } catch (error) {
      check.errors.push(issueFromJsonLdError(error));
      return { check, rdf: () => this.leanToRdf(document) };
    }
    for (const event of events) {
      if (event.code === 'invalid property') {
        check.errors.push({
          code: 'JSONLD_TERM_DROPPED',
          path: '',
          message: `'${String(event.details?.property ?? '')}' is not defined by any context in scope and would be dropped`,
        });
      } else {
        check.errors.push({
          code: 'JSONLD_UNSAFE',
          path: '',
          message: `JSON-LD safe mode: ${event.code}: ${event.message}`,
        });
      }
    }
    if (events.length > 0) return { check, rdf: () => this.leanToRdf(document) };
    const expanded = structuredClone(check.expanded);
    return {
      check,
      rdf: async () => {
        const eventHandler = [
          ({ event }: { event: { level: string; code: string } }) => {
            if (event.level === 'warning' && UNSAFE_EVENTS.has(event.code))
              throw Object.assign(new Error(event.code), { code: 'JSONLD_UNSAFE' });
          },
        ];
        return toRdfApi.toRDF(expanded, { eventHandler }) as RdfQuad[];
      },
    };
  }

  /** Whether jsonld.js fails to expand the document once the registry's contexts lose their @vocab. */
  async strippedExpansionFails(document: Json): Promise<boolean> {
    const strip = (v: Json): Json =>
      Array.isArray(v)
        ? v.map(strip)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .filter(([k]) => k !== '@vocab')
                .map(([k, x]) => [k, strip(x)]),
            )
          : v;
    const documentLoader = async (url: string) => ({
      contextUrl: null,
      documentUrl: url,
      document: strip(this.registry.get(url, 'context')),
    });
    try {
      await jsonld.expand(document, { documentLoader, base: null });
      return false;
    } catch {
      return true;
    }
  }

  /** Runs both engines on a document and lists every difference (none means the same results). */
  async compare(document: Json): Promise<Comparison> {
    const mismatches: string[] = [];
    const fast = await this.fast.check(document);
    const lean = this.options.lean ? await this.leanReference(document) : undefined;
    const reference = lean ? lean.check : await this.reference.check(document);
    const a = summary(fast);
    const b = summary(reference);
    for (const key of Object.keys(a))
      if (a[key] !== b[key])
        mismatches.push(`check.${key}: fast ${a[key]!.slice(0, 600)} ≠ jsonld.js ${b[key]!.slice(0, 600)}`);
    if (
      !lean &&
      fast.expanded !== null &&
      reference.expanded !== null &&
      reference.warnings.length + fast.warnings.length > 0
    ) {
      const ours = referenceVisibleVocabTerms(fast);
      const theirs = sorted(reference.warnings.map((w) => quoted(w.message)));
      // jsonld.js reports none when its @vocab-less second expansion fails outright (e.g. a value's
      // @type then stays relative); the fast path still knows which terms only a @vocab catches
      if (ours !== theirs && !(reference.warnings.length === 0 && (await this.strippedExpansionFails(document)))) {
        mismatches.push(`check.vocabTerms: fast ${ours} ≠ jsonld.js ${theirs}`);
      }
    }
    if (fast.engine === 'fast') mismatches.push(...pointerProblems(document, fast));

    const fastRdf = await this.fast.toRdfWithEngine(document).then(
      (r) => r,
      (error: unknown) => ({ engine: 'fast' as const, error }),
    );
    const ours = await rdfOutcome(async () => {
      if ('error' in fastRdf) throw fastRdf.error;
      return fastRdf.quads;
    });
    const theirs = await rdfOutcome(lean ? lean.rdf : () => this.reference.toRdf(document));
    if (ours.ok !== theirs.ok)
      mismatches.push(
        `toRdf: fast ${ours.ok ? 'succeeded' : `failed (${ours.code})`}, jsonld.js ${theirs.ok ? 'succeeded' : `failed (${theirs.code})`}`,
      );
    else if (ours.ok && theirs.ok) {
      if (ours.canonical !== theirs.canonical)
        mismatches.push(
          `toRdf: canonical N-Quads differ\n--- fast\n${ours.canonical.slice(0, 2000)}\n--- jsonld.js\n${theirs.canonical.slice(0, 2000)}`,
        );
      if (ours.nquads !== theirs.nquads) mismatches.push('toRdf: datasets differ before canonicalization');
    } else if (!ours.ok && !theirs.ok && ours.code !== theirs.code) {
      mismatches.push(`toRdf: fast rejects with ${ours.code}, jsonld.js with ${theirs.code}`);
    }
    return {
      checkEngine: fast.engine,
      rdfEngine: 'error' in fastRdf ? 'fast' : fastRdf.engine,
      rdfCompared: ours.ok && theirs.ok,
      mismatches,
    };
  }
}

/** The fast path's pointers are exact: each dropped term is a member of the input, each untyped node lost a term. */
function pointerProblems(document: Json, result: JsonLdCheckResult): string[] {
  const problems: string[] = [];
  const dropped = result.errors.filter((e) => e.code === 'JSONLD_TERM_DROPPED');
  for (const error of dropped) {
    const name = quoted(error.message);
    const last = error.path
      .slice(error.path.lastIndexOf('/') + 1)
      .replace(/~1/g, '/')
      .replace(/~0/g, '~');
    if (last !== name || !resolvePointer(document, error.path).found)
      problems.push(`pointer ${error.path} does not name the dropped member '${name}'`);
  }
  for (const warning of result.warnings) {
    const name = quoted(warning.message);
    if (
      !warning.path.endsWith(`/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`) ||
      !resolvePointer(document, warning.path).found
    ) {
      problems.push(`warning pointer ${warning.path} does not name '${name}'`);
    }
  }
  for (const error of result.errors.filter((e) => e.code === 'JSONLD_NODE_UNTYPED')) {
    const node = resolvePointer(document, error.path).value;
    const lostTerm = dropped.some((d) => d.path.startsWith(`${error.path}/`));
    if (!node || typeof node !== 'object' || 'type' in node || '@type' in node || !lostTerm)
      problems.push(`JSONLD_NODE_UNTYPED at ${error.path} is not an untyped node that lost terms`);
  }
  return problems;
}
