import { beforeAll, describe, expect, it } from 'vitest';
import { batteryPassport, COBALT_RETIREMENT_URL } from '../../examples/cases.js';
import { crossCheckPassports, type KnownRetirement } from '../../src/claims/dpp-cross-check.js';
import { convertMass } from '../../src/lib/mass-units.js';
import { buildRetirementCredential } from '../../src/credits/build.js';
import { jwsPayload } from '../../src/lib/digest.js';
import { addRetirementClaim } from '../../src/credits/dpp.js';
import { cobaltStory, retirementInput, sign, type CobaltStory } from '../bundle/fixture.js';

type Obj = Record<string, any>;

/** A battery passport (its own id) citing the retirement, claiming `value unit`. */
function passport(
  story: CobaltStory,
  id: string,
  value: number,
  unit: string,
  change: (dpp: Obj) => void = () => undefined,
): Obj {
  const dpp = addRetirementClaim(
    { ...batteryPassport(), id },
    { retirementJws: story.retirementJws, retirementUrl: COBALT_RETIREMENT_URL },
  ) as Obj;
  const claim = dpp.credentialSubject.performanceClaim[0];
  claim.claimedPerformance[0].measure = { value, unit };
  change(dpp);
  return dpp;
}

const codes = (report: ReturnType<typeof crossCheckPassports>) =>
  report.findings.filter((f) => !f.ok).map((f) => f.code);

describe('DPP cross-check against the cited retirement', () => {
  let story: CobaltStory;
  let retirement: KnownRetirement;
  beforeAll(async () => {
    story = await cobaltStory();
    retirement = { jws: story.retirementJws, credential: jwsPayload(story.retirementJws), valid: true };
  });

  it('passports whose claims sum within the retired 25 t pass, units converted explicitly (KGM vs TNE)', () => {
    const report = crossCheckPassports(
      [
        { source: 'a', credential: passport(story, 'urn:dpp:a', 9000, 'KGM') },
        { source: 'b', credential: passport(story, 'urn:dpp:b', 12, 'TNE') },
        { source: 'c', credential: passport(story, 'urn:dpp:c', 4_000_000, 'GRM') },
      ],
      [retirement],
    );
    expect(codes(report)).toEqual([]);
    expect(report.totals).toEqual([
      {
        retirement: COBALT_RETIREMENT_URL,
        claimed: 25,
        retired: 25,
        unit: 'TNE',
        passports: ['urn:dpp:a', 'urn:dpp:b', 'urn:dpp:c'],
      },
    ]);
    expect(convertMass(9000, 'KGM', 'TNE')).toBe(9);
    expect(convertMass(1, 'TNE', 'LTR')).toBeUndefined();
  });

  it('passports whose summed claims exceed the retired tonnes fail with DPP_CLAIMS_EXCEED_RETIRED; the same passport twice counts once', () => {
    const a = passport(story, 'urn:dpp:a', 20, 'TNE');
    const b = passport(story, 'urn:dpp:b', 5001, 'KGM');
    expect(
      codes(
        crossCheckPassports(
          [
            { source: 'a', credential: a },
            { source: 'a again', credential: a },
          ],
          [retirement],
        ),
      ),
    ).toEqual([]);
    const over = crossCheckPassports(
      [
        { source: 'a', credential: a },
        { source: 'b', credential: b },
      ],
      [retirement],
    );
    expect(codes(over)).toEqual(['DPP_CLAIMS_EXCEED_RETIRED']);
    expect(over.findings[0]?.message).toContain('25.001 TNE');
  });

  it('compares exactly in kilograms with the one unit table: 10 µg over fails; MGM, DTN and "kg" cannot slip through', () => {
    const check = (...claims: [number, string][]) =>
      codes(
        crossCheckPassports(
          claims.map(([value, unit], i) => ({
            source: String(i),
            credential: passport(story, `urn:dpp:${i}`, value, unit),
          })),
          [retirement],
        ),
      );
    expect(check([20, 'TNE'], [5000, 'KGM'])).toEqual([]);
    expect(check([20, 'TNE'], [5000.00000001, 'KGM'])).toEqual(['DPP_CLAIMS_EXCEED_RETIRED']);
    expect(check([1e12, 'MGM'])).toEqual(['DPP_CLAIMS_EXCEED_RETIRED']);
    expect(check([1000, 'DTN'])).toEqual(['DPP_CLAIMS_EXCEED_RETIRED']);
    expect(check([250, 'DTN'])).toEqual([]);
    expect(check([1e9, 'kg'])).toEqual(['DPP_UNIT_INCOMPATIBLE']);
    // A negative claim cannot offset another passport's excess.
    expect(check([30, 'TNE'], [-10, 'TNE'])).toEqual(['DPP_UNIT_INCOMPATIBLE', 'DPP_CLAIMS_EXCEED_RETIRED']);
  });

  it('each boundary failure has its own code: digest, product, period, market, unit, organisation scope, invalid retirement', async () => {
    const wrongDigest = passport(story, 'urn:dpp:d', 1, 'TNE', (d) => {
      d.credentialSubject.performanceClaim[0].evidence[0].digestMultibase =
        'zQmYtUc4iTCbbfVSDNKvtQqrfyezPPnFvE33wFmutw9PBBk';
    });
    expect(codes(crossCheckPassports([{ source: 'd', credential: wrongDigest }], [retirement]))).toEqual([
      'DPP_DIGEST_MISMATCH',
    ]);

    const otherProduct = passport(story, 'urn:dpp:p', 1, 'TNE', (d) => {
      d.credentialSubject.id = 'https://id.elbe-cells.example/01/09506000999999';
      d.credentialSubject.modelNumber = 'ECW-90-2026';
    });
    expect(codes(crossCheckPassports([{ source: 'p', credential: otherProduct }], [retirement]))).toEqual([
      'DPP_PRODUCT_OUTSIDE_BOUNDARY',
    ]);
    // A batch passport of the covered product line (same model number, own id) is inside the boundary.
    const batch = passport(story, 'urn:dpp:batch', 1, 'TNE', (d) => {
      d.credentialSubject.id = 'https://id.elbe-cells.example/01/09506000134352/10/B-0042';
      d.credentialSubject.batchNumber = 'B-0042';
    });
    expect(codes(crossCheckPassports([{ source: 'batch', credential: batch }], [retirement]))).toEqual([]);

    const late = passport(story, 'urn:dpp:t', 1, 'TNE', (d) => {
      d.credentialSubject.performanceClaim[0].applicablePeriod = { startDate: '2027-01-01', endDate: '2027-12-31' };
    });
    expect(codes(crossCheckPassports([{ source: 't', credential: late }], [retirement]))).toEqual([
      'DPP_PERIOD_OUTSIDE_BOUNDARY',
    ]);

    const fine = passport(story, 'urn:dpp:m', 1, 'TNE');
    expect(codes(crossCheckPassports([{ source: 'm', credential: fine }], [retirement], { market: 'DE' }))).toEqual([]);
    expect(codes(crossCheckPassports([{ source: 'm', credential: fine }], [retirement], { market: 'US' }))).toEqual([
      'DPP_MARKET_OUTSIDE_BOUNDARY',
    ]);

    const litres = passport(story, 'urn:dpp:u', 1, 'LTR');
    expect(codes(crossCheckPassports([{ source: 'u', credential: litres }], [retirement]))).toEqual([
      'DPP_UNIT_INCOMPATIBLE',
    ]);

    expect(codes(crossCheckPassports([{ source: 'm', credential: fine }], [{ ...retirement, valid: false }]))).toEqual([
      'DPP_RETIREMENT_INVALID',
    ]);

    const orgJws = await sign(
      buildRetirementCredential(
        retirementInput(story.issuanceJws, {
          claimBoundary: {
            ...retirementInput(story.issuanceJws).claimBoundary,
            scope: 'organisation',
            coveredProducts: [],
          },
        }),
      ),
      story.registry.signer,
    );
    const orgDpp = passport(story, 'urn:dpp:o', 1, 'TNE');
    const { digestMultibase } = await import('../../src/lib/digest.js');
    orgDpp.credentialSubject.performanceClaim[0].evidence[0].digestMultibase = digestMultibase(orgJws);
    expect(
      codes(
        crossCheckPassports(
          [{ source: 'o', credential: orgDpp }],
          [{ jws: orgJws, credential: jwsPayload(orgJws), valid: true }],
        ),
      ),
    ).toEqual(['DPP_PRODUCT_OUTSIDE_BOUNDARY']);
  });

  it('a passport citing a retirement the verifier was not given is a warning, not a failure', () => {
    const report = crossCheckPassports([{ source: 'a', credential: passport(story, 'urn:dpp:a', 1, 'TNE') }], []);
    expect(report.ok).toBe(true);
    expect(report.findings.map((f) => f.code)).toEqual(['DPP_RETIREMENT_UNKNOWN']);
  });
});
