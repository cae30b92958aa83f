import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle, type BundleReport, type BundleVerifyOptions } from '../../src/bundle/verify.js';
import { cobaltStory, type CobaltStory } from '../bundle/fixture.js';
import { addAt, flipUnusedBits, nodesOf, removeAt, setAt, tweak } from './support/mutate.js';

/**
 * Tamper fuzzing of offline verification bundles (src/bundle), built with the bundle colleague's
 * fixture (test/bundle/fixture.ts): any JSON value of the bundle changed/added/removed; the payload or
 * header of any embedded JWS (retirement, issuances, status lists, manifest) mutated and re-encoded
 * with its original signature; signatures swapped between components; unused trailing bits flipped.
 * Verified with pinned trust (requireTrust): none may verify with content other than what was signed.
 * FUZZ_N (default 3000) sets the total share; bundles get a fifth of it.
 */

const N = Math.max(1, Math.round(Number(process.env.FUZZ_N ?? 3000) / 5));
const SEED = Number(process.env.FUZZ_SEED ?? 20261123) + 1;
const OPS = [
  'json-change',
  'json-add',
  'json-remove',
  'jws-payload',
  'jws-header',
  'signature-swap',
  'trailing-bits',
] as const;

type Json = Record<string, any>;
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
const unb64 = (segment: string): Json => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Json;

/** Paths of every compact-JWS string in the bundle. */
function jwsPaths(bundle: unknown): Array<Array<string | number>> {
  return nodesOf(bundle)
    .filter((n) => typeof n.value === 'string' && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(n.value))
    .map((n) => n.path);
}

function at(root: unknown, path: Array<string | number>): unknown {
  let v: unknown = root;
  for (const k of path) v = (v as Record<string | number, unknown>)[k];
  return v;
}

describe('tamper fuzzing: no mutated bundle verifies', () => {
  let story: CobaltStory;
  let options: BundleVerifyOptions;
  let original: BundleReport;

  beforeAll(async () => {
    story = await cobaltStory();
    options = { trust: story.trust, requireTrust: true, clock: () => new Date('2026-11-10T00:00:00Z') };
    original = await verifyBundle(story.bundle, options);
  }, 120_000);

  it('the untouched bundle verifies with pinned trust', () => {
    expect(original.steps.filter((s) => !s.ok)).toEqual([]);
    expect(original.verified).toBe(true);
  });

  it(
    `${N} seeded bundle mutations (seed ${SEED}): accepted with altered content = 0`,
    async () => {
      const bundle = story.bundle as unknown as Json;
      const jws = jwsPaths(bundle);
      expect(jws.length).toBeGreaterThanOrEqual(4);
      const perOp = new Map<string, number>();
      let tried = 0;
      let accepted = 0;
      let unsignedEdits = 0;
      const acceptedExamples: string[] = [];
      await fc
        .assert(
          fc.asyncProperty(
            fc.record({
              op: fc.nat(),
              pick: fc.nat(),
              variant: fc.nat(),
              value: fc.jsonValue({ maxDepth: 2 }),
              key: fc.string({ maxLength: 8 }),
            }),
            async (m) => {
              const op = OPS[m.op % OPS.length]!;
              let mutant: unknown;
              if (op === 'json-change' || op === 'json-remove') {
                const nodes = nodesOf(bundle).filter((n) => n.path.length > 0);
                const node = nodes[m.pick % nodes.length]!;
                mutant =
                  op === 'json-change'
                    ? setAt(bundle, node.path, tweak(node.value, m.variant, m.value))
                    : removeAt(bundle, node.path);
              } else if (op === 'json-add') {
                const containers = nodesOf(bundle).filter((n) => n.value !== null && typeof n.value === 'object');
                mutant = addAt(bundle, containers[m.pick % containers.length]!.path, m.key, m.value, m.variant);
              } else {
                const path = jws[m.pick % jws.length]!;
                const [h, p, s] = String(at(bundle, path)).split('.') as [string, string, string];
                let next: string;
                if (op === 'jws-payload' || op === 'jws-header') {
                  const target = unb64(op === 'jws-payload' ? p : h);
                  const nodes = nodesOf(target).filter((n) => n.path.length > 0);
                  const node = nodes[m.variant % nodes.length]!;
                  const changed =
                    m.variant % 3 === 0
                      ? removeAt(target, node.path)
                      : setAt(target, node.path, tweak(node.value, m.variant >> 2, m.value));
                  next = op === 'jws-payload' ? `${h}.${b64(changed)}.${s}` : `${b64(changed)}.${p}.${s}`;
                } else if (op === 'signature-swap') {
                  const other = String(
                    at(bundle, jws[(m.pick + 1 + (m.variant % (jws.length - 1))) % jws.length]!),
                  ).split('.');
                  next = `${h}.${p}.${other[2]}`;
                } else {
                  const segments = [h, p, s];
                  const i = m.variant % 3;
                  segments[i] = flipUnusedBits(segments[i]!, m.variant >> 2);
                  next = segments.join('.');
                }
                mutant = setAt(bundle, path, next);
              }
              if (isDeepStrictEqual(mutant, bundle)) {
                fc.pre(false);
                return true;
              } // a no-op pick is redrawn
              tried++;
              perOp.set(op, (perOp.get(op) ?? 0) + 1);
              const report = await verifyBundle(mutant, options);
              if (!report.verified) return true;
              // Verified: acceptable only if what it reports as signed is exactly the original.
              const same =
                report.retirementJws === original.retirementJws &&
                isDeepStrictEqual(report.retirement, original.retirement) &&
                isDeepStrictEqual(
                  report.credentials.map((c) => [c.role, c.id, c.digestMultibase]),
                  original.credentials.map((c) => [c.role, c.id, c.digestMultibase]),
                );
              if (same) {
                unsignedEdits++;
                return true;
              }
              accepted++;
              acceptedExamples.push(`${op}: ${JSON.stringify(mutant).slice(0, 300)}`);
              return false;
            },
          ),
          { numRuns: N, seed: SEED, endOnFailure: true },
        )
        .catch((error: unknown) => {
          throw new Error(
            `bundle fuzz failed — rerun with FUZZ_SEED=${SEED - 1} FUZZ_N=${N * 5}\n${(error as Error).message}\naccepted: ${acceptedExamples.join('\n')}`,
          );
        });
      console.log(
        `tamper fuzz (bundles): mutations tried ${tried} / accepted ${accepted} (seed ${SEED}; ${unsignedEdits} edits of unsigned members reported the signed content unchanged; by operation: ${[
          ...perOp,
        ]
          .sort()
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')})`,
      );
      expect(accepted).toBe(0);
      expect(tried).toBe(N);
    },
    Math.max(180_000, N * 200),
  );
});
