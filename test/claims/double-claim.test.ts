import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../src/bundle/build.js';
import { verifyBundle } from '../../src/bundle/verify.js';
import { detectDoubleClaims, retirementStatement, type RetirementStatement } from '../../src/claims/double-claim.js';
import { statementsFromBundles } from '../../src/claims/collect.js';
import { buildRetirementCredential } from '../../src/credits/build.js';
import { digestMultibase } from '../../src/lib/digest.js';
import { cobaltStory, retirementInput, sign, statusList, type CobaltStory } from '../bundle/fixture.js';

const st = (
  id: string,
  ranges: Array<[number, number]>,
  extra: Partial<RetirementStatement> = {},
  issuance = 'iss-1',
): RetirementStatement => ({
  credentialId: id,
  valid: true,
  ranges: ranges.map(([start, end]) => ({ issuance, prefix: 'P', start, end })),
  ...extra,
});

describe('double-claim sweep (pure)', () => {
  it('reports two valid retirements with overlapping ranges of one issuance, with both ids and the overlap', () => {
    const result = detectDoubleClaims([st('A', [[41, 65]]), st('B', [[60, 80]]), st('C', [[81, 90]])]);
    expect(result.doubleClaims).toHaveLength(1);
    expect(result.doubleClaims[0]).toMatchObject({
      code: 'DOUBLE_CLAIM',
      credentials: ['A', 'B'],
      overlap: { start: 60, end: 65 },
      issuance: 'iss-1',
    });
  });

  it('the same credential seen in several bundles counts once; other issuances and invalid retirements do not collide', () => {
    expect(
      detectDoubleClaims([st('A', [[1, 10]], { sources: ['a'] }), st('A', [[1, 10]], { sources: ['b'] })]).doubleClaims,
    ).toEqual([]);
    expect(detectDoubleClaims([st('A', [[1, 10]]), st('B', [[1, 10]], {}, 'iss-2')]).doubleClaims).toEqual([]);
    const invalid = detectDoubleClaims([st('A', [[1, 10]]), st('B', [[5, 6]], { valid: false })]);
    expect(invalid.doubleClaims).toEqual([]);
    expect(invalid.excluded).toEqual([{ credentialId: 'B', reason: 'invalid' }]);
  });

  it('an amendment pair (replaces, old one revoked) is not a double claim; superseded but not shown revoked warns', () => {
    const pair = detectDoubleClaims([
      st('A', [[41, 65]], { valid: false, revoked: true }),
      st('B', [[41, 65]], { replaces: 'A' }),
    ]);
    expect(pair.doubleClaims).toEqual([]);
    expect(pair.excluded).toEqual([{ credentialId: 'A', reason: 'revoked', by: 'B' }]);
    const stale = detectDoubleClaims([st('A', [[41, 65]]), st('B', [[41, 65]], { replaces: 'A' })]);
    expect(stale.doubleClaims).toEqual([]);
    expect(stale.warnings.map((w) => w.code)).toEqual(['SUPERSEDED_NOT_REVOKED']);
    // Without `replaces` the same two are a double claim.
    expect(detectDoubleClaims([st('A', [[41, 65]]), st('B', [[41, 65]])]).doubleClaims).toHaveLength(1);
  });

  it('finds every retirement involved in an overlap (against a brute-force check)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 1 })),
          { maxLength: 30 },
        ),
        (raw) => {
          const statements = raw.map(([start, len, iss], i) => st(`R${i}`, [[start, start + len]], {}, `iss-${iss}`));
          const involved = new Set<string>();
          for (const a of statements)
            for (const b of statements) {
              const ra = a.ranges[0]!;
              const rb = b.ranges[0]!;
              if (a !== b && ra.issuance === rb.issuance && ra.start <= rb.end && rb.start <= ra.end)
                involved.add(a.credentialId);
            }
          const found = new Set(detectDoubleClaims(statements).doubleClaims.flatMap((d) => d.credentials));
          expect(found).toEqual(involved);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is O(n log n): comparisons stay within 2·n·log2(n) + 2n for 20 000 ranges, random or all overlapping', () => {
    const n = 20_000;
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const randomSet = Array.from({ length: n }, (_, i) => {
      const start = Math.floor(random() * 1e9);
      return st(`R${i}`, [[start, start + Math.floor(random() * 100)]], {}, `iss-${i % 50}`);
    });
    const bound = 2 * n * Math.log2(n) + 2 * n;
    const r1 = detectDoubleClaims(randomSet);
    expect(r1.ranges).toBe(n);
    expect(r1.comparisons).toBeLessThanOrEqual(bound);
    // Worst case for a pairwise check: every range overlaps every other. The sweep stays linear after the sort.
    const nested = Array.from({ length: n }, (_, i) => st(`N${i}`, [[i, 2 * n]]));
    const r2 = detectDoubleClaims(nested);
    expect(r2.doubleClaims).toHaveLength(n - 1);
    expect(r2.comparisons).toBeLessThanOrEqual(bound);
  });
});

describe('double claims across signed bundles', () => {
  let story: CobaltStory;
  beforeAll(async () => {
    story = await cobaltStory();
  });

  async function bundleOf(retirement: string, revoked: number[] = []) {
    const list = await statusList(
      story.registry.signer,
      revoked,
      revoked.length > 0 ? '2026-11-20T00:00:00Z' : '2026-11-01T00:00:00Z',
    );
    return buildBundle(
      { retirement, issuances: [story.issuanceJws], statusLists: [list], didDocuments: [story.registry.didDocument] },
      story.registry.signer,
    );
  }

  it('two valid retirements with overlapping ranges → DOUBLE_CLAIM with both credential ids; the same bundle twice counts once', async () => {
    const other = await sign(
      buildRetirementCredential(
        retirementInput(story.issuanceJws, {
          id: 'https://registry.mineral-credits.example/credentials/retirement/RET-2026-0099',
          retirementId: 'RET-2026-0099',
          start: 60,
          end: 70,
          recordUrl: 'https://registry.mineral-credits.example/retirements/RET-2026-0099',
          credentialStatus: {
            statusListCredential: 'https://registry.mineral-credits.example/status/revocation/1',
            statusListIndex: 2099,
          },
        }),
      ),
      story.registry.signer,
    );
    const reports = await Promise.all(
      [story.bundle, await bundleOf(other), story.bundle].map((b) => verifyBundle(b, { trust: story.trust })),
    );
    expect(reports.every((r) => r.verified)).toBe(true);
    const result = detectDoubleClaims(
      statementsFromBundles(reports.map((report, i) => ({ source: `b${i}.json`, report }))),
    );
    expect(result.statements).toBe(2);
    expect(result.doubleClaims).toHaveLength(1);
    expect(result.doubleClaims[0]?.credentials.sort()).toEqual([
      'https://registry.mineral-credits.example/credentials/retirement/RET-2026-0007',
      'https://registry.mineral-credits.example/credentials/retirement/RET-2026-0099',
    ]);
    expect(result.doubleClaims[0]?.overlap).toEqual({ start: 60, end: 65 });
  });

  it('an amendment pair → no double claim: the old bundle, stale, is revoked by the newer snapshot in the other bundle', async () => {
    const oldId = 'https://registry.mineral-credits.example/credentials/retirement/RET-2026-0007';
    const amended = await sign(
      buildRetirementCredential(
        retirementInput(story.issuanceJws, {
          id: `${oldId}-A1`,
          retirementId: 'RET-2026-0007-A1',
          recordUrl: 'https://registry.mineral-credits.example/retirements/RET-2026-0007-A1',
          credentialStatus: {
            statusListCredential: 'https://registry.mineral-credits.example/status/revocation/1',
            statusListIndex: 2100,
          },
          replaces: { id: oldId, digestMultibase: digestMultibase(story.retirementJws) },
        }),
      ),
      story.registry.signer,
    );
    const reports = await Promise.all(
      [story.bundle, await bundleOf(amended, [2007])].map((b) => verifyBundle(b, { trust: story.trust })),
    );
    expect(reports.map((r) => r.verified)).toEqual([true, true]);
    const result = detectDoubleClaims(
      statementsFromBundles(reports.map((report, i) => ({ source: `b${i}.json`, report }))),
    );
    expect(result.doubleClaims).toEqual([]);
    expect(result.excluded).toEqual([{ credentialId: oldId, reason: 'revoked', by: `${oldId}-A1` }]);
    expect(result.warnings).toEqual([]);
  });

  it('retirementStatement reads the cited issuance and blocks from a credential', () => {
    const s = retirementStatement(JSON.parse(Buffer.from(story.retirementJws.split('.')[1]!, 'base64url').toString()), {
      valid: true,
    });
    expect(s.ranges).toEqual([
      {
        issuance: 'https://registry.mineral-credits.example/credentials/issuance/RCC-2026-Q1-0001',
        prefix: 'RCC-CD-LU-1532-2026Q1',
        start: 41,
        end: 65,
      },
    ]);
  });
});
