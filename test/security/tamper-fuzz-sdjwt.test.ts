import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueSdJwt } from '../../src/issue.js';
import { VC_SD_JWT_PREFIX } from '../../src/lib/envelope.js';
import { verify } from '../../src/verify/verify.js';
import { CLOCK, fixtures, type Json } from './support/credentials.js';
import { addAt, flipUnusedBits, nodesOf, removeAt, setAt, tweak } from './support/mutate.js';

/**
 * Tamper fuzzing of SD-JWT credentials (vc+sd-jwt): the issuer JWT's payload and header mutated and
 * re-encoded with the original signature, disclosures changed, forged, duplicated or dropped,
 * signatures swapped, trailing bits flipped. Dropping disclosures is selective disclosure, not
 * forgery: a mutant may verify only if every value it reports is the issuer's (the reported
 * credential is a deep subset of the fully disclosed original). FUZZ_N/5 runs (default 600).
 */

const N = Math.max(1, Math.round(Number(process.env.FUZZ_N ?? 3000) / 5));
const SEED = Number(process.env.FUZZ_SEED ?? 20261123) + 2;
const OPS = [
  'payload',
  'header',
  'disclosure-change',
  'disclosure-forge',
  'disclosure-drop',
  'disclosure-duplicate',
  'signature-swap',
  'trailing-bits',
] as const;
const DISCLOSABLE = [
  '/credentialSubject/creditRetirement/beneficiary',
  '/credentialSubject/creditRetirement/purposeDetails',
  '/credentialSubject/creditRetirement/claimBoundary/coveredProducts/0',
];

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
const unb64 = (segment: string): unknown => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));

/** Every value of `part` is present, equal, in `whole` (arrays: each item equals some item). */
function subsetOf(part: unknown, whole: unknown): boolean {
  if (isDeepStrictEqual(part, whole)) return true;
  if (Array.isArray(part) && Array.isArray(whole)) return part.every((p) => whole.some((w) => subsetOf(p, w)));
  if (
    part !== null &&
    whole !== null &&
    typeof part === 'object' &&
    typeof whole === 'object' &&
    !Array.isArray(part) &&
    !Array.isArray(whole)
  ) {
    return Object.entries(part).every(
      ([k, v]) => Object.prototype.hasOwnProperty.call(whole, k) && subsetOf(v, (whole as Json)[k]),
    );
  }
  return false;
}

describe('tamper fuzzing: no mutated SD-JWT credential verifies with content the issuer did not sign', () => {
  let signed: Json;
  let other: string;
  let reported: unknown;
  let options: Parameters<typeof verify>[1];

  beforeAll(async () => {
    const f = await fixtures();
    const retirement = JSON.parse(
      readFileSync(new URL('../../examples/cobalt/retirement.json', import.meta.url), 'utf8'),
    ) as Json;
    signed = (await issueSdJwt(retirement, { signer: f.registry.jose, disclosable: DISCLOSABLE })) as unknown as Json;
    other = String(
      (
        (await issueSdJwt(retirement, {
          signer: f.registry.jose,
          disclosable: DISCLOSABLE.slice(0, 1),
        })) as unknown as Json
      ).id,
    );
    options = { ...f.samples[0]!.options, clock: CLOCK };
    const report = await verify(signed, options);
    expect(report.steps.filter((s) => !s.ok)).toEqual([]);
    reported = report.credential;
  }, 120_000);

  it(
    `${N} seeded SD-JWT mutations (seed ${SEED}): accepted with content not signed = 0`,
    async () => {
      expect(reported).not.toBeNull();
      const compact = String(signed.id).slice(VC_SD_JWT_PREFIX.length);
      const [jwt, ...tail] = compact.split('~');
      const disclosures = tail.filter((d) => d !== '');
      expect(disclosures.length).toBe(DISCLOSABLE.length);
      const [h, p, s] = jwt!.split('.') as [string, string, string];
      const otherJwt = other.slice(VC_SD_JWT_PREFIX.length).split('~')[0]!;
      const perOp = new Map<string, number>();
      let tried = 0;
      let accepted = 0;
      let withheld = 0;
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
              let head = [h, p, s];
              let list = [...disclosures];
              if (op === 'payload' || op === 'header') {
                const i = op === 'payload' ? 1 : 0;
                const target = unb64(head[i]!);
                const nodes = nodesOf(target).filter((n) => n.path.length > 0);
                const node = nodes[m.pick % nodes.length]!;
                const next =
                  m.variant % 4 === 0
                    ? removeAt(target, node.path)
                    : m.variant % 4 === 1
                      ? addAt(target, [], m.key || '_sd', m.value, m.variant)
                      : setAt(target, node.path, tweak(node.value, m.variant >> 2, m.value));
                if (isDeepStrictEqual(next, target)) {
                  fc.pre(false);
                  return true;
                } // no-op picks are redrawn
                head[i] = b64(next);
              } else if (op === 'disclosure-change') {
                const i = m.pick % list.length;
                const d = unb64(list[i]!) as unknown[];
                const j = m.variant % d.length;
                const next = [...d];
                next[j] = tweak(d[j], m.variant >> 2, m.value);
                list[i] = b64(next);
              } else if (op === 'disclosure-forge') {
                list.push(b64([`salt${m.pick}`, m.key || 'issuer', m.value]));
              } else if (op === 'disclosure-drop') {
                list = list.filter((_, i) => ((m.variant >> i) & 1) === 0);
              } else if (op === 'disclosure-duplicate') {
                list.push(list[m.pick % list.length]!);
              } else if (op === 'signature-swap') {
                head =
                  m.variant % 2 === 0
                    ? [h, p, otherJwt.split('.')[2]!]
                    : [otherJwt.split('.')[0]!, p, otherJwt.split('.')[2]!];
              } else {
                const i = m.variant % 3;
                head[i] = flipUnusedBits(head[i]!, m.variant >> 2);
                if (head[i] === [h, p, s][i]) {
                  fc.pre(false);
                  return true;
                }
              }
              const mutant = { ...signed, id: `${VC_SD_JWT_PREFIX}${[head.join('.'), ...list].join('~')}~` };
              if (mutant.id === signed.id) {
                fc.pre(false);
                return true;
              }
              tried++;
              perOp.set(op, (perOp.get(op) ?? 0) + 1);
              const report = await verify(mutant, options);
              if (!report.verified) return true;
              if (subsetOf(report.credential, reported)) {
                withheld++;
                return true;
              }
              accepted++;
              acceptedExamples.push(`${op}: ${JSON.stringify(report.credential).slice(0, 300)}`);
              return false;
            },
          ),
          { numRuns: N, seed: SEED, endOnFailure: true },
        )
        .catch((error: unknown) => {
          throw new Error(
            `SD-JWT fuzz failed — rerun with FUZZ_SEED=${SEED - 2} FUZZ_N=${N * 5}\n${(error as Error).message}\naccepted: ${acceptedExamples.join('\n')}`,
          );
        });
      console.log(
        `tamper fuzz (SD-JWT): mutations tried ${tried} / accepted ${accepted} (seed ${SEED}; ${withheld} verified with disclosures withheld, every reported value the issuer's; by operation: ${[
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
