// The seeded differential run that fits `npm test`: every sample, then generated and mutated documents.
// The big run (JSONLD_DIFF_N documents, sharded and checkpointed) is differential.*.diff.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArtefactRegistry } from '../../src/artefacts/registry.js';
import {
  Differ,
  credentialSamples,
  generatedDocumentArb,
  mutatedSampleArb,
  sampleDocuments,
  vocabularyOf,
  wellFormedDocumentArb,
} from './diff-support.js';

const differ = new Differ(ArtefactRegistry.bundled());
// jsonld.js over a shared context cache, without the @vocab-term comparison: for the bigger documents
const lean = new Differ(ArtefactRegistry.bundled(), { lean: true });
const PROPERTY_TIMEOUT = 240_000;
// Generated credentials per `npm test` (about 0.4 s each); JSONLD_DIFF_SMALL_RUNS raises it.
const SMALL_RUNS = Number(process.env.JSONLD_DIFF_SMALL_RUNS ?? 40);
const vocab = vocabularyOf(ArtefactRegistry.bundled());

// jsonld.js takes 1–5 s per UNTP fixture, so `npm test` compares every example of this project and
// one UNTP 0.7.0 fixture per folder; JSONLD_DIFF_SAMPLES=all compares every fixture (0.6.1 too).
function samplesForThisRun(): Array<[string, unknown]> {
  const all = sampleDocuments();
  if (process.env.JSONLD_DIFF_SAMPLES === 'all') return all;
  const folders = new Set<string>();
  return all.filter(([path]) => {
    const fixture = /^\/?test\/fixtures\/untp\/([^/]+)\/([^/]+)\//.exec(path);
    if (!fixture) return true;
    if (fixture[1] !== '0.7.0' || folders.has(fixture[2] as string)) return false;
    folders.add(fixture[2] as string);
    return true;
  });
}

describe('fast JSON-LD vs jsonld.js: samples', () => {
  const samples = samplesForThisRun();
  it('compares every example and at least one UNTP fixture of each 0.7.0 folder', () => {
    expect(samples.filter(([path]) => path.includes('fixtures/untp/0.7.0/')).length).toBeGreaterThanOrEqual(8);
    expect(samples.filter(([path]) => path.includes('examples/')).length).toBeGreaterThan(20);
  });
  for (const [path, document] of samples) {
    it(`${path}: same expansion, findings and canonical N-Quads, on the fast engine`, async () => {
      const result = await differ.compare(document);
      expect(result.mismatches).toEqual([]);
      expect(result.checkEngine).toBe('fast');
      expect(result.rdfEngine).toBe('fast');
    });
  }
});

describe('fast JSON-LD vs jsonld.js: generated documents (seeded)', () => {
  it(
    'small generated credentials',
    async () => {
      let fastRuns = 0;
      await fc.assert(
        fc.asyncProperty(generatedDocumentArb(vocab), async (document) => {
          const result = await differ.compare(document);
          if (result.checkEngine === 'fast') fastRuns++;
          expect(result.mismatches).toEqual([]);
        }),
        { seed: 20261123, numRuns: SMALL_RUNS, endOnFailure: true },
      );
      // the comparison is only worth something if the fast engine did the work
      expect(fastRuns).toBeGreaterThan(SMALL_RUNS * 0.8);
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'well-formed UNTP credentials, down to canonical N-Quads',
    async () => {
      let rdfCompared = 0;
      await fc.assert(
        fc.asyncProperty(wellFormedDocumentArb(vocab), async (document) => {
          const result = await lean.compare(document);
          if (result.rdfCompared && result.rdfEngine === 'fast') rdfCompared++;
          expect(result.mismatches).toEqual([]);
        }),
        { seed: 424242, numRuns: 30, endOnFailure: true },
      );
      expect(rdfCompared).toBeGreaterThan(15);
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'mutated samples',
    async () => {
      let fastRuns = 0;
      await fc.assert(
        fc.asyncProperty(mutatedSampleArb(vocab, credentialSamples()), async (document) => {
          const result = await lean.compare(document);
          if (result.checkEngine === 'fast') fastRuns++;
          expect(result.mismatches).toEqual([]);
        }),
        { seed: 7070, numRuns: 20, endOnFailure: true },
      );
      expect(fastRuns).toBeGreaterThan(15);
    },
    PROPERTY_TIMEOUT,
  );
});
