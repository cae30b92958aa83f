import { describe, expect, it } from 'vitest';
import { cobaltIssuance } from '../../examples/cases.js';
import { buildBundle } from '../../src/bundle/build.js';
import { verifyBundle } from '../../src/bundle/verify.js';
import { buildIssuanceCredential, buildRetirementCredential } from '../../src/credits/build.js';
import { commitBeneficiary } from '../../src/credits/beneficiary.js';
import { describeWithheld } from '../../src/disclosure/withheld.js';
import { trustFileFor } from '../../src/trust/trust-file.js';
import { retirementInput, sign, statusList, testRegistry } from '../bundle/fixture.js';

describe('offline bundles of a retirement with a withheld beneficiary', () => {
  it('verify, and the retirement\'s report says "withheld until D"', async () => {
    const r = await testRegistry();
    const issuanceJws = await sign(buildIssuanceCredential(cobaltIssuance), r.signer);
    const { commitment } = commitBeneficiary(
      {
        id: 'did:web:nordlicht-automotive.example',
        name: 'Nordlicht Automotive AG (fictional)',
        jurisdiction: 'DE',
        onBehalfOf: true,
      },
      '2027-03-31',
    );
    const retirementJws = await sign(
      buildRetirementCredential(
        retirementInput(issuanceJws, { beneficiary: undefined, withheldBeneficiary: commitment }),
      ),
      r.signer,
    );
    const bundle = await buildBundle(
      {
        retirement: retirementJws,
        issuances: [issuanceJws],
        statusLists: [await statusList(r.signer)],
        didDocuments: [r.didDocument],
        bundledAt: '2026-11-02T00:00:00Z',
      },
      r.signer,
    );
    const report = await verifyBundle(bundle, {
      trust: trustFileFor([{ did: r.did, name: 'registry', keys: [r.thumbprint] }]),
      clock: () => new Date('2026-11-03T00:00:00Z'),
    });
    expect(report.verified, JSON.stringify(report.steps.filter((s) => !s.ok))).toBe(true);
    const retirement = report.credentials.find((c) => c.role === 'retirement')!.report;
    expect(retirement.warnings).toContainEqual(expect.objectContaining({ code: 'FIELD_WITHHELD' }));
    expect(describeWithheld(retirement.withheld![0]!)).toBe('Beneficiary withheld until 2027-03-31');
    expect(JSON.stringify(report.retirement)).not.toContain('Nordlicht');
  });
});
