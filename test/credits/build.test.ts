import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cobaltIssuance, cobaltRetirement, copperIssuanceQ1 } from '../../examples/cases.js';
import { buildIssuanceCredential, buildRetirementCredential, readIssuance } from '../../src/credits/build.js';
import { digestMultibase, jwsOf } from '../../src/lib/digest.js';
import { addRetirementClaim } from '../../src/credits/dpp.js';
import type { IssuanceInput, RetirementInput } from '../../src/credits/types.js';
import {
  CREDIT_ISSUANCE_SCHEMA_URL,
  CRITERION_RETIRED_FOR_ORGANISATION,
  CRITERION_RETIRED_FOR_PRODUCT,
  UNTP_DCC_SCHEMA_0_7_0,
} from '../../src/credits/vocabulary.js';
import { isUntpCreditsError } from '../../src/errors.js';
import { validate } from '../../src/validate/validate.js';

const examples = new URL('../../examples/', import.meta.url);
const issuanceJws = jwsOf(readFileSync(new URL('cobalt/issuance.signed.json', examples), 'utf8'));
const copperQ1Jws = jwsOf(readFileSync(new URL('copper/issuance-2026q1.signed.json', examples), 'utf8'));
const retirementJws = jwsOf(readFileSync(new URL('cobalt/retirement.signed.json', examples), 'utf8'));

function refusal(fn: () => unknown): { code: string; path: string | undefined; name: string } {
  try {
    fn();
  } catch (error) {
    if (!isUntpCreditsError(error)) throw error;
    return { code: error.code, path: error.path, name: error.name };
  }
  throw new Error('expected a refusal');
}

const issuance = (change: (input: any) => void): IssuanceInput => {
  const input = structuredClone(cobaltIssuance) as any;
  change(input);
  return input;
};
const retirement = (change: (input: any) => void): RetirementInput => {
  const input = structuredClone(cobaltRetirement(issuanceJws)) as any;
  change(input);
  return input;
};

describe('buildIssuanceCredential refuses bad input before anything is signed', () => {
  const cases: Array<[string, (i: any) => void, string, string]> = [
    [
      'zero quantity',
      (i) => {
        i.serialBlock = { prefix: 'P', start: 1, end: 0, quantity: 0 };
      },
      'QUANTITY_NOT_POSITIVE',
      '/serialBlock/quantity',
    ],
    [
      'negative quantity',
      (i) => {
        i.serialBlock.quantity = -120;
      },
      'QUANTITY_NOT_POSITIVE',
      '/serialBlock/quantity',
    ],
    [
      'end before start',
      (i) => {
        i.serialBlock = { prefix: 'P', start: 120, end: 1, quantity: 120 };
      },
      'SERIAL_RANGE_INVERTED',
      '/serialBlock/end',
    ],
    [
      'quantity ≠ end − start + 1',
      (i) => {
        i.serialBlock.quantity = 119;
      },
      'QUANTITY_MISMATCH',
      '/serialBlock/quantity',
    ],
    [
      'serial beyond 2^53 − 1',
      (i) => {
        i.serialBlock = { prefix: 'P', start: 2 ** 53, end: 2 ** 53 + 119, quantity: 120 };
      },
      'SERIAL_OUT_OF_RANGE',
      '/serialBlock/start',
    ],
    [
      'production period ending before it starts',
      (i) => {
        i.productionPeriod = { startDate: '2026-03-31', endDate: '2026-01-01' };
      },
      'PERIOD_INVERTED',
      '/productionPeriod/endDate',
    ],
    [
      'missing assessorLevel (required DCC field)',
      (i) => {
        delete i.assessorLevel;
      },
      'MISSING_FIELD',
      '/assessorLevel',
    ],
    [
      'missing assessmentLevel (required DCC field)',
      (i) => {
        delete i.assessmentLevel;
      },
      'MISSING_FIELD',
      '/assessmentLevel',
    ],
    [
      'assessorLevel outside the UNTP enum',
      (i) => {
        i.assessorLevel = 'third-party';
      },
      'INVALID_FIELD',
      '/assessorLevel',
    ],
    [
      'missing producer (issuedToParty)',
      (i) => {
        delete i.producer;
      },
      'MISSING_FIELD',
      '/producer',
    ],
    [
      'producer without a name (issuedToParty.name)',
      (i) => {
        delete i.producer.name;
      },
      'MISSING_FIELD',
      '/producer/name',
    ],
    [
      'missing issuer',
      (i) => {
        delete i.issuer;
      },
      'MISSING_FIELD',
      '/issuer',
    ],
    [
      'validFrom without a time zone',
      (i) => {
        i.validFrom = '2026-04-20T09:00:00';
      },
      'INVALID_DATE',
      '/validFrom',
    ],
    [
      'a string status index',
      (i) => {
        i.credentialStatus.statusListIndex = '1001';
      },
      'STATUS_INDEX_INVALID',
      '/credentialStatus/statusListIndex',
    ],
    [
      'evidence without a digest',
      (i) => {
        delete i.assessment.report.digestMultibase;
      },
      'MISSING_FIELD',
      '/assessment/report/digestMultibase',
    ],
    [
      'a committee that is not worker-led',
      (i) => {
        i.benefitSharing.committee.workerLed = false;
      },
      'INVALID_FIELD',
      '/benefitSharing/committee/workerLed',
    ],
    [
      'an impact area outside the four',
      (i) => {
        i.benefitSharing.impactAreas = ['marketing'];
      },
      'INVALID_FIELD',
      '/benefitSharing/impactAreas/0',
    ],
    [
      'a subdivision that is not ISO 3166-2',
      (i) => {
        i.productionSite.countrySubdivision = 'Lualaba';
      },
      'INVALID_FIELD',
      '/productionSite/countrySubdivision',
    ],
    [
      'a vintage outside the production period',
      (i) => {
        i.vintage = '2025-Q1';
      },
      'INVALID_FIELD',
      '/vintage',
    ],
    [
      'zero quantity per credit',
      (i) => {
        i.creditUnit.quantityPerCredit = 0;
      },
      'QUANTITY_NOT_POSITIVE',
      '/creditUnit/quantityPerCredit',
    ],
  ];
  for (const [label, change, code, path] of cases) {
    it(label, () => {
      expect(refusal(() => buildIssuanceCredential(issuance(change)))).toEqual({
        code,
        path,
        name: 'InvalidInputError',
      });
    });
  }

  it('a corrected issuance names the cancelled one it replaces, and still validates', async () => {
    const replaced = {
      id: 'https://registry.mineral-credits.example/credentials/issuance/RCC-2026-Q1-0000',
      digestMultibase: digestMultibase(issuanceJws),
    };
    const vc = buildIssuanceCredential(
      issuance((i) => {
        i.replaces = replaced;
      }),
    ) as any;
    expect(vc.credentialSubject.creditIssuance.replaces).toEqual(replaced);
    expect((await validate(vc)).errors).toEqual([]);
    expect(
      refusal(() =>
        buildIssuanceCredential(
          issuance((i) => {
            i.replaces = { id: replaced.id, digestMultibase: 'sha256-abc' };
          }),
        ),
      ),
    ).toMatchObject({ code: 'DIGEST_INVALID', path: '/replaces/digestMultibase' });
  });

  it('is pure: same input, same credential; the input is not changed', () => {
    const input = structuredClone(cobaltIssuance);
    const a = buildIssuanceCredential(input);
    expect(buildIssuanceCredential(input)).toEqual(a);
    expect(input).toEqual(cobaltIssuance);
  });
});

describe('buildRetirementCredential refuses bad input before anything is signed', () => {
  const otherJws = copperQ1Jws;
  const cases: Array<[string, (i: any) => void, string, string]> = [
    [
      'a retired range outside its issuance block',
      (i) => {
        i.retiredUnits[0].serialBlock = { prefix: 'RCC-CD-LU-1532-2026Q1', start: 101, end: 125, quantity: 25 };
      },
      'RANGE_OUTSIDE_ISSUANCE',
      '/retiredUnits/0/serialBlock',
    ],
    [
      "a retired range under another issuance's prefix",
      (i) => {
        i.retiredUnits[0].serialBlock.prefix = 'CPC-ZM-08-21877-2026Q1';
      },
      'RANGE_OUTSIDE_ISSUANCE',
      '/retiredUnits/0/serialBlock',
    ],
    [
      'a retired block with a wrong quantity',
      (i) => {
        i.retiredUnits[0].serialBlock.quantity = 24;
      },
      'QUANTITY_MISMATCH',
      '/retiredUnits/0/serialBlock/quantity',
    ],
    [
      'a digest that does not match the cited issuance credential',
      (i) => {
        i.retiredUnits[0].issuance.digestMultibase = digestMultibase(otherJws);
      },
      'DIGEST_MISMATCH',
      '/retiredUnits/0/issuance/digestMultibase',
    ],
    [
      'a credential that is not the one in the JWS',
      (i) => {
        i.retiredUnits[0].issuance.credential = {
          id: 'https://registry.mineral-credits.example/credentials/issuance/OTHER',
        };
      },
      'ISSUANCE_MISMATCH',
      '/retiredUnits/0/issuance/credential',
    ],
    [
      'citing something that is not an issuance credential',
      (i) => {
        i.retiredUnits[0].issuance.jws = retirementJws;
      },
      'ISSUANCE_INVALID',
      '/retiredUnits/0/issuance/jws',
    ],
    [
      'citing an issuance by another registry',
      (i) => {
        i.issuer = { id: 'did:web:other-registry.example', name: 'Other registry (fictional)' };
      },
      'ISSUER_MISMATCH',
      '/retiredUnits/0/issuance/jws',
    ],
    [
      'a cited digest that is not a multihash',
      (i) => {
        i.retiredUnits[0].issuance.digestMultibase = 'zzz';
      },
      'DIGEST_INVALID',
      '/retiredUnits/0/issuance/digestMultibase',
    ],
    [
      'a cited issuance that is not a JWS',
      (i) => {
        i.retiredUnits[0].issuance.jws = 'a.b.c';
      },
      'JWS_INVALID',
      '/retiredUnits/0/issuance/jws',
    ],
    [
      'the same serials twice',
      (i) => {
        i.retiredUnits.push(structuredClone(i.retiredUnits[0]));
      },
      'BLOCKS_OVERLAP',
      '/retiredUnits/1',
    ],
    [
      'blocks of different commodities',
      (i) => {
        i.retiredUnits.push({
          issuance: { jws: otherJws },
          serialBlock: { prefix: 'CPC-ZM-08-21877-2026Q1', start: 1, end: 5, quantity: 5 },
        });
      },
      'UNITS_MIXED',
      '/retiredUnits/1',
    ],
    [
      'a claim period ending before it starts',
      (i) => {
        i.claimBoundary.claimPeriod = { startDate: '2026-12-31', endDate: '2026-01-01' };
      },
      'CLAIM_PERIOD_INVERTED',
      '/claimBoundary/claimPeriod/endDate',
    ],
    [
      'a missing beneficiary',
      (i) => {
        delete i.beneficiary;
      },
      'BENEFICIARY_MISSING',
      '/beneficiary',
    ],
    [
      'a beneficiary without a jurisdiction',
      (i) => {
        delete i.beneficiary.jurisdiction;
      },
      'MISSING_FIELD',
      '/beneficiary/jurisdiction',
    ],
    [
      'a claim covering more than was retired',
      (i) => {
        i.claimBoundary.coveredQuantity = { value: 26, unit: 'TNE' };
      },
      'CLAIM_EXCEEDS_RETIRED',
      '/claimBoundary/coveredQuantity/value',
    ],
    [
      'a claim covering more than was retired, in another mass unit',
      (i) => {
        i.claimBoundary.coveredQuantity = { value: 25001, unit: 'KGM' };
      },
      'CLAIM_EXCEEDS_RETIRED',
      '/claimBoundary/coveredQuantity/value',
    ],
    [
      'products attributed more than the claim covers',
      (i) => {
        i.claimBoundary.coveredProducts[0].quantity = 30;
      },
      'CLAIM_EXCEEDS_RETIRED',
      '/claimBoundary/coveredProducts',
    ],
    [
      'a product-line claim without products',
      (i) => {
        delete i.claimBoundary.coveredProducts;
      },
      'COVERED_PRODUCTS_MISSING',
      '/claimBoundary/coveredProducts',
    ],
    [
      'no retired units',
      (i) => {
        i.retiredUnits = [];
      },
      'MISSING_FIELD',
      '/retiredUnits',
    ],
    [
      'a purpose outside the codes',
      (i) => {
        i.purpose = 'offsetting';
      },
      'INVALID_FIELD',
      '/purpose',
    ],
    [
      'missing assessmentLevel (required DCC field)',
      (i) => {
        delete i.assessmentLevel;
      },
      'MISSING_FIELD',
      '/assessmentLevel',
    ],
    [
      'a retiring account without a holder (issuedToParty)',
      (i) => {
        delete i.retiringAccount.holder;
      },
      'MISSING_FIELD',
      '/retiringAccount/holder',
    ],
  ];
  for (const [label, change, code, path] of cases) {
    it(label, () => {
      expect(refusal(() => buildRetirementCredential(retirement(change)))).toEqual({
        code,
        path,
        name: 'InvalidInputError',
      });
    });
  }

  it('accepts a correct cited digest in either multibase form', () => {
    const z = digestMultibase(issuanceJws);
    const u = 'u' + Buffer.from(require58(z)).toString('base64url');
    expect(
      buildRetirementCredential(
        retirement((i) => {
          i.retiredUnits[0].issuance.digestMultibase = z;
        }),
      ),
    ).toBeTruthy();
    expect(
      buildRetirementCredential(
        retirement((i) => {
          i.retiredUnits[0].issuance.digestMultibase = u;
        }),
      ),
    ).toBeTruthy();
  });

  it('copies period, site, standard and unit from the issuance so the statement stands alone', () => {
    const vc = buildRetirementCredential(cobaltRetirement(issuanceJws)) as any;
    const unit = vc.credentialSubject.creditRetirement.retiredUnits[0];
    const summary = readIssuance(buildIssuanceCredential(cobaltIssuance));
    expect(unit).toMatchObject({
      issuanceId: 'RCC-2026-Q1-0001',
      productionPeriod: summary.productionPeriod,
      vintage: '2026-Q1',
      productionSite: {
        id: summary.productionSite.id,
        name: summary.productionSite.name,
        countrySubdivision: 'CD-LU',
        productionType: 'ASM',
      },
      standard: { id: summary.standard.id, name: summary.standard.name, version: '2.1' },
      creditUnit: summary.creditUnit,
    });
    expect(vc.credentialSubject.issuedToParty.id).toBe('did:web:elbe-cells.example');
    expect(vc.credentialSubject.creditRetirement.beneficiary).toMatchObject({
      id: 'did:web:elbe-cells.example',
      jurisdiction: 'DE',
      onBehalfOf: false,
    });
    expect(vc.credentialSubject.creditRetirement.claimBoundary.notAPhysicalContentClaim).toBe(true);
    expect(vc.credentialStatus).toMatchObject({ statusPurpose: 'revocation', statusListIndex: 2007 });
  });

  it('an organisation-scoped retirement assesses the beneficiary against the organisation criterion', async () => {
    const vc = buildRetirementCredential(
      retirement((i) => {
        i.claimBoundary.scope = 'organisation';
        delete i.claimBoundary.coveredProducts;
        i.purpose = 'organisational-footprint';
      }),
    ) as any;
    const [assessment] = vc.credentialSubject.conformityAssessment;
    expect(assessment.assessmentCriteria[0].id).toBe(CRITERION_RETIRED_FOR_ORGANISATION.id);
    expect(assessment.assessedOrganisation.id).toBe('did:web:elbe-cells.example');
    const report = await validate(vc);
    expect(report.errors).toEqual([]);
  });

  it('an amended retirement names the one it replaces', () => {
    const replaced = {
      id: 'https://registry.mineral-credits.example/credentials/retirement/RET-2026-0006',
      digestMultibase: digestMultibase(retirementJws),
    };
    const vc = buildRetirementCredential(
      retirement((i) => {
        i.replaces = replaced;
      }),
    ) as any;
    expect(vc.credentialSubject.creditRetirement.replaces).toEqual(replaced);
  });
});

describe('the over-claim check cannot be bypassed by the choice of unit (25 t retired)', () => {
  const claim = (value: number, unit: string) =>
    retirement((i) => {
      i.claimBoundary.coveredQuantity = { value, unit };
    });
  it.each([
    [1e12, 'MGM'], // 1000 t
    [1000, 'DTN'], // 100 t
    [25.000001, 'TNE'],
    [25000.00000001, 'KGM'], // 10 µg over: a relative float tolerance let this pass
    [0.0250001, 'KTN'],
    [55116, 'LBR'], // 25 000.0390… kg
    [27.6, 'STN'], // 25 038.3 kg
  ])('%s %s is refused', (value, unit) => {
    expect(refusal(() => buildRetirementCredential(claim(value, unit)))).toEqual({
      code: 'CLAIM_EXCEEDS_RETIRED',
      path: '/claimBoundary/coveredQuantity/value',
      name: 'InvalidInputError',
    });
  });
  it.each(['kg', 'tonnes', 'LTR', 'C62', 'tne', '__proto__', 'toString'])(
    'a unit outside the Rec 20 mass table (%s) is refused, naming the field',
    (unit) => {
      expect(refusal(() => buildRetirementCredential(claim(1e9, unit)))).toEqual({
        code: 'UNIT_UNSUPPORTED',
        path: '/claimBoundary/coveredQuantity/unit',
        name: 'InvalidInputError',
      });
    },
  );
  it.each([
    [25, 'TNE'],
    [25000, 'KGM'],
    [250, 'DTN'],
    [2.5e10, 'MGM'],
    [0.025, 'KTN'],
    [55115, 'LBR'], // 24 999.9 kg
    [25000000, 'GRM'],
    [24.5, 'TNE'],
  ])('a claim within what was retired (%s %s) still passes', (value, unit) => {
    const vc = buildRetirementCredential(claim(value, unit)) as any;
    expect(vc.credentialSubject.creditRetirement.claimBoundary.coveredQuantity).toEqual({ value, unit });
  });
  it('products attributed exactly the covered quantity pass (0.1 + 0.2 = 0.3); a hair more is refused', () => {
    const twoProducts = (second: number) =>
      retirement((i) => {
        const product = i.claimBoundary.coveredProducts[0];
        i.claimBoundary.coveredQuantity = { value: 0.3, unit: 'TNE' };
        i.claimBoundary.coveredProducts = [
          { ...product, quantity: 0.1 },
          { ...product, id: `${product.id}-b`, quantity: second },
        ];
      });
    expect(buildRetirementCredential(twoProducts(0.2))).toBeTruthy();
    expect(refusal(() => buildRetirementCredential(twoProducts(0.2000000001)))).toMatchObject({
      code: 'CLAIM_EXCEEDS_RETIRED',
      path: '/claimBoundary/coveredProducts',
    });
  });
  it('an issuance in a unit outside the table is refused when built, and when cited by a retirement', () => {
    expect(
      refusal(() =>
        buildIssuanceCredential(
          issuance((i) => {
            i.creditUnit.unit = 'kg';
          }),
        ),
      ),
    ).toEqual({ code: 'UNIT_UNSUPPORTED', path: '/creditUnit/unit', name: 'InvalidInputError' });
    // A JWS whose payload says "kg" (signatures are the verifier's business; the builder reads the payload).
    const [header, payload, signature] = issuanceJws.split('.') as [string, string, string];
    const vc = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    vc.credentialSubject.creditIssuance.creditUnit.unit = 'kg';
    const forged = `${header}.${Buffer.from(JSON.stringify(vc)).toString('base64url')}.${signature}`;
    const input = retirement((i) => {
      i.retiredUnits[0].issuance = { jws: forged };
    });
    expect(refusal(() => buildRetirementCredential(input))).toEqual({
      code: 'UNIT_UNSUPPORTED',
      path: '/retiredUnits/0/issuance/jws',
      name: 'InvalidInputError',
    });
  });
  it('the issued measure is exact: 3 credits of 0.1 t are 0.3 t', () => {
    const vc = buildIssuanceCredential(
      issuance((i) => {
        i.serialBlock = { prefix: i.serialBlock.prefix, start: 1, end: 3, quantity: 3 };
        i.creditUnit.quantityPerCredit = 0.1;
      }),
    ) as any;
    expect(vc.credentialSubject.conformityAssessment[0].assessedPerformance[0].measure).toEqual({
      value: 0.3,
      unit: 'TNE',
    });
  });
});

describe('core DCC rules still bind the extension', () => {
  it('an extension credential missing a core DCC field fails core (DCC schema) validation', async () => {
    const vc = buildIssuanceCredential(copperIssuanceQ1) as any;
    for (const [field, remove] of [
      ['/credentialSubject/assessorLevel', (c: any) => delete c.credentialSubject.assessorLevel],
      ['/credentialSubject/issuedToParty', (c: any) => delete c.credentialSubject.issuedToParty],
      ['/credentialSubject/referenceScheme', (c: any) => delete c.credentialSubject.referenceScheme],
      ['/validFrom', (c: any) => delete c.validFrom],
    ] as const) {
      const broken = structuredClone(vc);
      remove(broken);
      const report = await validate(broken);
      expect(report.valid, field).toBe(false);
      expect(report.errors, field).toContainEqual(
        expect.objectContaining({ code: 'SCHEMA_REQUIRED', path: field, schemaUrl: UNTP_DCC_SCHEMA_0_7_0 }),
      );
    }
  });

  it('an extension credential missing an extension field fails extension-schema validation', async () => {
    const vc = buildIssuanceCredential(copperIssuanceQ1) as any;
    delete vc.credentialSubject.creditIssuance.serialBlock;
    const report = await validate(vc);
    expect(report.errors).toContainEqual(
      expect.objectContaining({
        code: 'SCHEMA_REQUIRED',
        path: '/credentialSubject/creditIssuance/serialBlock',
        schemaUrl: CREDIT_ISSUANCE_SCHEMA_URL,
      }),
    );
  });
});

describe('addRetirementClaim', () => {
  const dpp = () => JSON.parse(readFileSync(new URL('cobalt/battery-dpp.json', examples), 'utf8')) as any;

  it('refuses a passport whose product the retirement does not cover', () => {
    const other = dpp();
    other.credentialSubject.id = 'https://id.elbe-cells.example/01/09506000999999';
    expect(refusal(() => addRetirementClaim(other, { retirementJws }))).toMatchObject({ code: 'PRODUCT_NOT_COVERED' });
    expect(refusal(() => addRetirementClaim(dpp(), { retirementJws: issuanceJws }))).toMatchObject({
      code: 'RETIREMENT_INVALID',
    });
    expect(refusal(() => addRetirementClaim({ type: ['VerifiableCredential'] }, { retirementJws }))).toMatchObject({
      code: 'DPP_INVALID',
    });
    expect(refusal(() => addRetirementClaim(dpp(), { retirementJws: 'not-a-jws' }))).toMatchObject({
      code: 'RETIREMENT_INVALID',
      path: '/retirementJws',
    });
  });

  it('adds one claim (replacing an earlier one with the same id); the passport stays a valid DPP', async () => {
    const base = dpp();
    const again = addRetirementClaim(base, { retirementJws }) as any;
    expect(again.credentialSubject.performanceClaim).toHaveLength(1);
    expect(again.credentialSubject.performanceClaim[0].referenceCriteria[0].id).toBe(CRITERION_RETIRED_FOR_PRODUCT.id);
    expect(again.credentialSubject.performanceClaim[0].applicablePeriod).toEqual({
      startDate: '2026-01-01',
      endDate: '2026-12-31',
    });
    expect(again.credentialSubject.performanceClaim[0].evidence[0].digestMultibase).toBe(
      digestMultibase(retirementJws),
    );
    const report = await validate(again);
    expect(report.errors).toEqual([]);
    expect(report.untpType).toBe('DigitalProductPassport');
  });
});

/** The raw multihash bytes of a z… digest (for building its u… form). */
function require58(z: string): Uint8Array {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let n = 0n;
  for (const ch of z.slice(1)) n = n * 58n + BigInt(alphabet.indexOf(ch));
  const hex = n.toString(16).padStart(68, '0');
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}
