// The large differential run (`JSONLD_DIFF_N=10000 npm run test:diff`): documents are numbered, each
// derived from its own fast-check seed, and split over shard files that vitest runs in separate
// worker processes (jsonld.js is the slow side). Every result is appended to a checkpoint file under
// .diff-checkpoint/, so an interrupted run resumes where it stopped.
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArtefactRegistry } from '../../src/artefacts/registry.js';
import {
  Differ,
  credentialSamples,
  generatedDocumentArb,
  mutatedSampleArb,
  vocabularyOf,
  wellFormedDocumentArb,
  type Comparison,
} from './diff-support.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const N = Number(process.env.JSONLD_DIFF_N ?? 1000);
const SEED = Number(process.env.JSONLD_DIFF_SEED ?? 20261123);
/**
 * Every SAMPLE_EVERY-th document is a mutated sample (sample size); of the rest, one in three is a
 * well-formed credential (compared down to canonical N-Quads), the others anything-goes documents.
 */
const SAMPLE_EVERY = 20;
const CHUNK = 100;

interface Line extends Comparison {
  i: number;
  kind: 'mutated-sample' | 'well-formed' | 'generated';
}

// Results are only reused by the same code: the key covers the fast path, the generators and this numbering.
function runKey(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) hash.update(path).update(readFileSync(path));
    }
  };
  walk(join(ROOT, 'src/jsonld'));
  hash.update(readFileSync(join(ROOT, 'test/jsonld/diff-support.ts')));
  hash.update(readFileSync(join(ROOT, 'test/jsonld/diff-runner.ts')));
  return `n${N}-seed${SEED}-${hash.digest('hex').slice(0, 12)}`;
}

type Builders = Record<Line['kind'], fc.Arbitrary<unknown>>;

export function documentAt(i: number, build: Builders): { kind: Line['kind']; document: unknown } {
  // one even and one odd index per 2 × SAMPLE_EVERY, so both shards get their share of the slow documents
  const r = i % (2 * SAMPLE_EVERY);
  const kind = r === 0 || r === SAMPLE_EVERY + 1 ? 'mutated-sample' : i % 3 === 1 ? 'well-formed' : 'generated';
  const [document] = fc.sample(build[kind], { seed: SEED + i, numRuns: 1 });
  return { kind, document };
}

export function defineShard(shard: number, shards: number): void {
  const registry = ArtefactRegistry.bundled();
  const vocab = vocabularyOf(registry);
  const build: Builders = {
    'mutated-sample': mutatedSampleArb(vocab, credentialSamples()),
    'well-formed': wellFormedDocumentArb(vocab),
    generated: generatedDocumentArb(vocab),
  };
  const differ = new Differ(registry, { lean: true });
  const dir = join(ROOT, '.diff-checkpoint', runKey());
  const file = join(dir, `shard-${shard}-of-${shards}.jsonl`);
  mkdirSync(dir, { recursive: true });

  // every checkpoint file of this run counts, so a run can resume with a different number of shards
  const done = new Map<number, Line>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.jsonl'))) {
    for (const text of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (!text) continue;
      try {
        const line = JSON.parse(text) as Line;
        done.set(line.i, line);
      } catch {
        // a line cut by an interruption: that document runs again
      }
    }
  }
  // rotate the assignment every 2 × SAMPLE_EVERY documents so every shard gets its share of the slow ones
  const mine: number[] = [];
  for (let i = 0; i < N; i++) if ((i + Math.floor(i / (2 * SAMPLE_EVERY))) % shards === shard) mine.push(i);

  describe(`fast JSON-LD vs jsonld.js, shard ${shard + 1}/${shards} of ${N} documents (seed ${SEED})`, () => {
    for (let from = 0; from < mine.length; from += CHUNK) {
      const chunk = mine.slice(from, from + CHUNK);
      it(`documents #${chunk[0]}…#${chunk[chunk.length - 1]}`, async () => {
        const failed: Line[] = [];
        for (const i of chunk) {
          let line = done.get(i);
          if (!line) {
            const { kind, document } = documentAt(i, build);
            line = { i, kind, ...(await differ.compare(document)) };
            appendFileSync(file, `${JSON.stringify(line)}\n`);
            done.set(i, line);
          }
          if (line.mismatches.length > 0) failed.push(line);
        }
        expect(failed.map((l) => ({ document: l.i, kind: l.kind, mismatches: l.mismatches }))).toEqual([]);
      });
    }

    it('summary: every document compared, the fast engine did the work', () => {
      const lines = mine.map((i) => done.get(i)).filter((l): l is Line => l !== undefined);
      const summary = {
        shard,
        shards,
        n: N,
        seed: SEED,
        compared: lines.length,
        mutatedSamples: lines.filter((l) => l.kind === 'mutated-sample').length,
        wellFormed: lines.filter((l) => l.kind === 'well-formed').length,
        rdfCompared: lines.filter((l) => l.rdfCompared).length,
        fastCheck: lines.filter((l) => l.checkEngine === 'fast').length,
        fastRdf: lines.filter((l) => l.rdfEngine === 'fast').length,
        mismatches: lines.filter((l) => l.mismatches.length > 0).map((l) => l.i),
      };
      writeFileSync(join(dir, `summary-shard-${shard}-of-${shards}.json`), `${JSON.stringify(summary, null, 2)}\n`);
      console.log(JSON.stringify(summary));
      expect(summary.compared).toBe(mine.length);
      expect(summary.mismatches).toEqual([]);
      expect(summary.fastCheck).toBeGreaterThan(0.9 * lines.length);
      expect(summary.rdfCompared).toBeGreaterThan(0.2 * lines.length);
    });
  });
}
