import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SchemaValidator } from '../../src/artefacts/schemas.js';
import { KNOWN_COMMODITIES, runFootprint } from '../../src/cli/footprint.js';
import { UNTP_DPP_SCHEMA_0_7_0 } from '../../src/credits/vocabulary.js';
import { cobaltRetirement } from '../../examples/cases.js';
import { buildRetirementCredential } from '../../src/credits/build.js';
import { jwsOf } from '../../src/lib/digest.js';
import { decimal } from '../../src/lib/decimal.js';
import {
  checkCoverage,
  computeFootprint,
  compositionOf,
  draftRetirementRequest,
  parsePeriod,
  productsCsv,
  productsFromCsv,
  retirementCover,
  unitsSoldFromCsv,
  type Footprint,
} from '../../src/footprint/index.js';
import { refusal } from '../support/inspect.js';

const dir = new URL('../../examples/footprint/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const json = (name: string): any => JSON.parse(read(name));
const COBALT = KNOWN_COMMODITIES.Co!;
const ECW75 = 'https://id.elbe-cells.example/01/09506000134352';
const ECW50 = 'https://id.elbe-cells.example/01/09506000134369';
const dpps = () => [json('ecw-75-dpp.json'), json('ecw-50-dpp.json')];
const retirement = JSON.parse(readFileSync(new URL('../../examples/cobalt/retirement.json', import.meta.url), 'utf8'));
const retirementSigned = readFileSync(new URL('../../examples/cobalt/retirement.signed.json', import.meta.url), 'utf8');

/** The answer without where each line came from. */
const numbers = (fp: Footprint) => ({
  kg: fp.kg,
  credits: fp.credits,
  periods: fp.periods.map((p) => ({
    period: p.period,
    kg: p.kg,
    credits: p.credits,
    lines: p.lines.map((l) => [l.productId, l.units, l.kgPerUnit, l.kg]),
  })),
});

describe('footprint', () => {
  const fromDpps = computeFootprint(
    { dpps: dpps(), unitsSold: unitsSoldFromCsv(read('units-sold.csv')) },
    { commodity: COBALT },
  );

  it('reads the commodity from the material composition by classification code (mass, or mass fraction × product weight), never by name', () => {
    const ecw75 = compositionOf(json('ecw-75-dpp.json'), { commodity: COBALT });
    // The NMC cathode is named "…cobalt…" but classified CPC 34290: not counted.
    expect(ecw75).toMatchObject({ productId: ECW75, kgPerUnit: '8.9' });
    expect(ecw75.basis).toHaveLength(1);
    expect(compositionOf(json('ecw-50-dpp.json'), { commodity: COBALT }).kgPerUnit).toBe('5.94'); // 0.018 × 330 kg, exact
    // Counting the compound instead, with its cobalt content fraction.
    expect(
      compositionOf(json('ecw-75-dpp.json'), {
        commodity: COBALT,
        materials: [{ code: '34290', contentFraction: '0.1' }],
      }).kgPerUnit,
    ).toBe('8.9');
  });

  it('per period, exact decimals, rounded up to whole credits', () => {
    expect(numbers(fromDpps)).toEqual({
      kg: '30860',
      credits: 31,
      periods: [
        { period: '2026', kg: '24920', credits: 25, lines: [[ECW75, 2800, '8.9', '24920']] },
        { period: '2027-H1', kg: '5940', credits: 6, lines: [[ECW50, 1000, '5.94', '5940']] },
      ],
    });
    expect(fromDpps.method).toMatch(/rounded up/);
    if (process.env.UPDATE_EXAMPLES)
      writeFileSync(new URL('footprint.json', dir), JSON.stringify(fromDpps, null, 2) + '\n');
    expect(json('footprint.json')).toEqual(fromDpps);
    // Floating point would give 0.1 + 0.2 ≠ 0.3; exactly 3 t must stay 3 credits, 3.000001 t is 4.
    const exact = computeFootprint(
      {
        products: [
          { productId: 'a', period: '2026', unitsSold: 10, kgPerUnit: '0.1' },
          { productId: 'b', period: '2026', unitsSold: 20, kgPerUnit: '149.995' },
        ],
      },
      { commodity: COBALT },
    );
    expect(exact.periods[0]).toMatchObject({ kg: '3000.9', credits: 4 });
    const three = computeFootprint(
      {
        products: [
          { productId: 'a', period: '2026', unitsSold: 3, kgPerUnit: 0.3 },
          { productId: 'b', period: '2026', unitsSold: 3, kgPerUnit: 999.7 },
        ],
      },
      { commodity: COBALT },
    );
    expect(three.periods[0]).toMatchObject({ kg: '3000', credits: 3 });
  });

  it('gives the same answer from the passports plus units sold as from the equivalent products CSV', () => {
    const fromCsv = computeFootprint({ products: productsFromCsv(read('products.csv')) }, { commodity: COBALT });
    expect(numbers(fromCsv)).toEqual(numbers(fromDpps));
    // The CSV is what the passports give (rendered from the passport footprint).
    expect(productsCsv(fromDpps.periods.flatMap((p) => p.lines.map((l) => ({ ...l, period: p.period }))))).toBe(
      read('products.csv'),
    );
  });

  it('refuses units sold for a product without a passport, a product counted twice, a bad period, fractional units', () => {
    expect(
      refusal(() =>
        computeFootprint(
          { dpps: dpps(), unitsSold: [{ productId: 'https://id.example/x', period: '2026', units: 1 }] },
          { commodity: COBALT },
        ),
      ),
    ).toEqual({ code: 'PRODUCT_UNKNOWN', path: '/unitsSold/0/productId' });
    expect(
      refusal(() =>
        computeFootprint(
          {
            dpps: dpps(),
            unitsSold: unitsSoldFromCsv(read('units-sold.csv')),
            products: productsFromCsv(read('products.csv')),
          },
          { commodity: COBALT },
        ),
      ),
    ).toEqual({ code: 'DUPLICATE_PRODUCT_PERIOD', path: '/products/0' });
    expect(
      refusal(() =>
        computeFootprint(
          { products: [{ productId: 'a', period: '2026-Q5', unitsSold: 1, kgPerUnit: 1 }] },
          { commodity: COBALT },
        ),
      ).code,
    ).toBe('PERIOD_INVALID');
    expect(
      refusal(() =>
        computeFootprint(
          { products: [{ productId: 'a', period: '2026', unitsSold: 1.5, kgPerUnit: 1 }] },
          { commodity: COBALT },
        ),
      ),
    ).toEqual({ code: 'INVALID_FIELD', path: '/products/0/unitsSold' });
    const noMass = json('ecw-50-dpp.json');
    delete noMass.credentialSubject.dimensions;
    expect(refusal(() => compositionOf(noMass, { commodity: COBALT })).code).toBe('MASS_MISSING');
    expect(parsePeriod('2027-H1')).toEqual({ label: '2027-H1', startDate: '2027-01-01', endDate: '2027-06-30' });
    expect(parsePeriod('2028-02').endDate).toBe('2028-02-29');
  });

  it('example passports are valid UNTP 0.7.0 DPPs', () => {
    const schemas = SchemaValidator.bundled();
    for (const dpp of dpps()) expect(schemas.validate(UNTP_DPP_SCHEMA_0_7_0, dpp)).toEqual([]);
  });

  it('drafts the retirement request for a period: whole credits, claim boundary listing the covered products and period (the committed example)', () => {
    const draft = draftRetirementRequest(fromDpps, {
      period: '2026',
      account: 'ACC-DE-0042',
      market: ['EU'],
      allowedClaim:
        'Elbe Cell Works supported the responsible artisanal production of 25 t of cobalt, matching the cobalt in the ECW-75 battery packs it sold in 2026. Book and claim: the packs do not necessarily contain this cobalt.',
      beneficiary: {
        id: 'did:web:elbe-cells.example',
        name: 'Elbe Cell Works GmbH (fictional)',
        jurisdiction: 'DE',
        onBehalfOf: false,
      },
      dppLinks: {
        [ECW75]: {
          linkURL: 'https://passports.elbe-cells.example/dpp/ecw-75-2026',
          linkName: 'Digital product passport, ECW-75 (2026)',
          mediaType: 'application/vc+jwt',
          linkType: 'https://test.uncefact.org/vocabulary/linkTypes/dpp',
        },
      },
    });
    expect(draft.quantity).toBe(25);
    expect(draft.claimBoundary).toMatchObject({
      claimPeriod: { startDate: '2026-01-01', endDate: '2026-12-31' },
      coveredQuantity: { value: 25, unit: 'TNE' },
      coveredProducts: [{ id: ECW75, quantity: 24.92 }],
    });
    if (process.env.UPDATE_EXAMPLES)
      writeFileSync(new URL('draft-retirement-request.json', dir), JSON.stringify(draft, null, 2) + '\n');
    expect(json('draft-retirement-request.json')).toEqual(draft);
    expect(refusal(() => draftRetirementRequest(fromDpps)).code).toBe('PERIOD_REQUIRED');
  });
});

describe('coverage', () => {
  const footprint = computeFootprint(
    { dpps: dpps(), unitsSold: unitsSoldFromCsv(read('units-sold.csv')) },
    { commodity: COBALT },
  );

  it('the 25 t retirement covers 2026 fully; 2027-H1 is reported below 100 % with the missing product (the committed example)', () => {
    const report = checkCoverage(footprint, [retirementSigned]);
    expect(report.periods.map((p) => [p.period, p.coveredShare, p.retiredKg, p.complete])).toEqual([
      ['2026', 1, '24920', true],
      ['2027-H1', 0, '0', false],
    ]);
    expect(report.periods[1]!.missingProducts).toEqual([
      { productId: ECW50, name: 'ECW-50 NMC811 50 kWh EV battery pack, 2027 production (fictional)', kg: '5940' },
    ]);
    expect(report.complete).toBe(false);
    expect(checkCoverage(footprint, [retirement])).toEqual(report); // unsigned payload reads the same
    if (process.env.UPDATE_EXAMPLES)
      writeFileSync(new URL('coverage.json', dir), JSON.stringify(report, null, 2) + '\n');
    expect(json('coverage.json')).toEqual(report);
  });

  it('a partial share when the retired quantity falls short, and a product claimed beyond what was retired for it', () => {
    const more = computeFootprint(
      { products: [{ productId: ECW75, period: '2026', unitsSold: 3000, kgPerUnit: '8.9' }] },
      { commodity: COBALT },
    ); // 26.7 t
    const report = checkCoverage(more, [retirement]);
    expect(report.periods[0]).toMatchObject({
      coveredKg: '25000',
      footprintKg: '26700',
      coveredShare: 0.9363,
      complete: false,
      missingProducts: [],
    });
    expect(report.overClaimed).toEqual([
      { retirementId: 'RET-2026-0007', productId: ECW75, footprintKg: '26700', retiredKg: '25000' },
    ]);
    // With the quantity attributed per product, the per-product attribution is what is compared.
    const attributed = structuredClone(retirement);
    attributed.credentialSubject.conformityAssessment[0].assessedPerformance[0].measure.value = 20;
    expect(checkCoverage(footprint, [attributed]).overClaimed).toEqual([
      { retirementId: 'RET-2026-0007', productId: ECW75, footprintKg: '24920', retiredKg: '20000' },
    ]);
  });

  it('a retirement built from the draft request covers its period exactly, with the per-product attribution', () => {
    const issuanceJws = jwsOf(
      readFileSync(new URL('../../examples/cobalt/issuance.signed.json', import.meta.url), 'utf8'),
    );
    const draft = draftRetirementRequest(footprint, {
      period: '2026',
      market: ['EU'],
      allowedClaim:
        'Supported responsible artisanal cobalt production matching the cobalt in ECW-75 packs sold in 2026.',
    });
    const base = cobaltRetirement(issuanceJws);
    const vc = buildRetirementCredential({
      ...base,
      purposeDetails: draft.purposeDetails,
      claimBoundary: { ...base.claimBoundary, ...draft.claimBoundary } as any,
    });
    const report = checkCoverage(footprint, [vc]);
    expect(report.periods[0]).toMatchObject({ period: '2026', coveredShare: 1, complete: true });
    expect(report.overClaimed).toEqual([]);
    expect(retirementCover(vc).products.get(ECW75)).toEqual(decimal('24920', ''));
  });

  it('refuses something that is not a retirement', () => {
    expect(refusal(() => checkCoverage(footprint, [json('ecw-75-dpp.json')]))).toEqual({
      code: 'RETIREMENT_INVALID',
      path: '/retirements/0',
    });
  });
});

describe('untp-credits footprint', () => {
  const run = (options: Parameters<typeof runFootprint>[0]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = runFootprint(
      options,
      (l) => out.push(l),
      (l) => err.push(l),
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const path = (name: string) => new URL(name, dir).pathname;

  it('prints the method and the credits per period, writes the draft, exits 1 when coverage is incomplete', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'footprint-'));
    const r = run({
      commodity: 'Co',
      dpp: [path('ecw-75-dpp.json'), path('ecw-50-dpp.json')],
      unitsSold: path('units-sold.csv'),
      period: '2026',
      draft: join(tmp, 'draft.json'),
      account: 'ACC-DE-0042',
      retirement: [new URL('../../examples/cobalt/retirement.signed.json', import.meta.url).pathname],
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Method: .*rounded up/);
    expect(r.out).toContain('2026 (2026-01-01 to 2026-12-31): 24920 kg → 25 credit(s)');
    expect(r.out).toContain(`not covered: ${ECW50}`);
    expect(JSON.parse(readFileSync(join(tmp, 'draft.json'), 'utf8'))).toMatchObject({
      account: 'ACC-DE-0042',
      quantity: 25,
    });
  });

  it('the CSV route gives the same JSON numbers; bad input exits 2 with the code', () => {
    const a = JSON.parse(run({ commodity: 'Co', products: path('products.csv'), json: true }).out);
    const b = JSON.parse(
      run({
        commodity: 'Co',
        dpp: [path('ecw-75-dpp.json'), path('ecw-50-dpp.json')],
        unitsSold: path('units-sold.csv'),
        json: true,
      }).out,
    );
    expect(numbers(a.footprint)).toEqual(numbers(b.footprint));
    const tmp = mkdtempSync(join(tmpdir(), 'footprint-'));
    writeFileSync(join(tmp, 'bad.csv'), 'productId,period,unitsSold,kgPerUnit\na,2026,-3,1\n');
    const bad = run({ commodity: 'Co', products: join(tmp, 'bad.csv') });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/INVALID_FIELD/);
  });
});
