// JSON-LD: jsonld.js expand (safe mode, in-memory loader) against our fast check(), side by side
// on the UNTP 0.7.0 DCC sample, the DPP sample and a minimal UNTP credential.
import { readFileSync } from 'node:fs';
import jsonld from 'jsonld';
import { ArtefactRegistry } from '../dist/index.js';
import { FastJsonLdProcessor } from '../dist/jsonld/fast.js';

const fixture = (path) =>
  JSON.parse(readFileSync(new URL(`../test/fixtures/untp/0.7.0/${path}`, import.meta.url), 'utf8'));

const minimal = {
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://vocabulary.uncefact.org/untp/0.7.0/context/'],
  type: ['DigitalProductPassport', 'VerifiableCredential'],
  id: 'https://example.com/dpp/1',
  issuer: { type: ['CredentialIssuer'], id: 'did:web:example.com', name: 'Example' },
  validFrom: '2025-01-15T00:00:00Z',
  credentialSubject: { type: ['Product'], id: 'https://example.com/product/1', name: 'Copper cathode' },
};

const DOCUMENTS = [
  ['UNTP 0.7.0 DCC sample', fixture('dcc/ConformityCredential_instance.json')],
  ['UNTP 0.7.0 DPP sample', fixture('dpp/DigitalProductPassport_instance.json')],
  ['minimal UNTP credential', minimal],
];

/** Mean milliseconds per call over `iterations`, after `warmup` untimed calls. */
async function time(fn, iterations, warmup) {
  for (let i = 0; i < warmup; i++) await fn();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  return (performance.now() - start) / iterations;
}

export async function run({ quick = false } = {}) {
  const registry = ArtefactRegistry.bundled();
  const options = { documentLoader: registry.documentLoader, safe: true, base: null };
  const rows = [];
  for (const [name, document] of DOCUMENTS) {
    const coldStart = performance.now();
    const fast = new FastJsonLdProcessor(registry);
    const first = await fast.check(document);
    const cold = performance.now() - coldStart;
    if (first.engine !== 'fast' || first.errors.length > 0)
      throw new Error(`${name}: the fast path did not handle it cleanly`);
    const reference = await time(() => jsonld.expand(document, options), quick ? 2 : 10, 1);
    const ours = await time(() => fast.check(document), quick ? 200 : 2000, quick ? 50 : 200);
    const rdf = await time(() => fast.toRdf(document), quick ? 100 : 500, 20);
    rows.push({
      document: name,
      jsonldJsMs: reference,
      fastCheckMs: ours,
      speedUp: reference / ours,
      fastToRdfMs: rdf,
      fastColdMs: cold,
    });
  }

  const pad = (s, n) => String(s).padEnd(n);
  const num = (v, digits) => v.toFixed(digits).padStart(10);
  console.log('\nJSON-LD: jsonld.js 9 expand (safe mode, in-memory loader) vs fast check() (expansion + findings)');
  console.log(
    `${pad('document', 26)}${'jsonld.js ms'.padStart(13)}${'fast ms'.padStart(10)}${'speed-up'.padStart(11)}   ${'fast toRdf ms'.padStart(13)}${'fast cold ms'.padStart(14)}`,
  );
  for (const r of rows) {
    console.log(
      `${pad(r.document, 26)}${num(r.jsonldJsMs, 1).padStart(13)}${num(r.fastCheckMs, 3)}${`${Math.round(r.speedUp)}×`.padStart(11)}   ${num(r.fastToRdfMs, 3).padStart(13)}${num(r.fastColdMs, 1).padStart(14)}`,
    );
  }
  console.log("(cold: a new processor's first check, compiling the contexts it needs; later checks reuse them)\n");
  return rows;
}
