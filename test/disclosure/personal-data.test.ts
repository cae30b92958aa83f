import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cobaltIssuance, cobaltRetirement } from '../../examples/cases.js';
import { ArtefactRegistry } from '../../src/artefacts/registry.js';
import { runDigest } from '../../src/cli/digest.js';
import { buildIssuanceCredential, buildRetirementCredential } from '../../src/credits/build.js';
import { digestMultibase, jwsOf } from '../../src/lib/digest.js';
import { CREDIT_ISSUANCE_SCHEMA_URL, CREDIT_RETIREMENT_SCHEMA_URL } from '../../src/credits/vocabulary.js';
import { findPersonalData, PERSONAL_DATA_PATTERN, REFUSED_MEMBER_NAMES } from '../../src/disclosure/personal-data.js';
import { issue } from '../../src/issue.js';
import { validate } from '../../src/validate/validate.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { createLocalSigner } from '../../src/keys/signer.js';

type Json = Record<string, any>;
const issuanceJws = jwsOf(readFileSync(new URL('../../examples/cobalt/issuance.signed.json', import.meta.url), 'utf8'));
const registry = ArtefactRegistry.bundled();

describe('no personal data of miners in public credentials', () => {
  it("the builders refuse a miner's phone number, e-mail, national id or a member that holds personal data, naming the field", () => {
    const site = cobaltIssuance.productionSite;
    const withOperator = (name: string) => ({
      ...cobaltIssuance,
      productionSite: { ...site, operator: { ...site.operator, name } },
    });
    expect(() => buildIssuanceCredential(withOperator('COMAKAM — contact Jean K., +243 81 234 5678'))).toThrow(
      expect.objectContaining({ code: 'PERSONAL_DATA_REFUSED', path: '/productionSite/operator/name' }),
    );
    expect(() => buildIssuanceCredential(withOperator('COMAKAM, tél. 0812345678'))).toThrow(
      expect.objectContaining({ code: 'PERSONAL_DATA_REFUSED' }),
    );
    expect(() => buildIssuanceCredential(withOperator('COMAKAM (jean.k@example.com)'))).toThrow(
      expect.objectContaining({ code: 'PERSONAL_DATA_REFUSED' }),
    );
    expect(() => buildIssuanceCredential(withOperator("Site lead, carte d'électeur 10452378901"))).toThrow(
      expect.objectContaining({ code: 'PERSONAL_DATA_REFUSED' }),
    );
    expect(() =>
      buildIssuanceCredential({
        ...cobaltIssuance,
        productionSite: { ...site, operator: { ...site.operator, phone: '+243812345678' } },
      } as never),
    ).toThrow(expect.objectContaining({ code: 'PERSONAL_DATA_REFUSED', path: '/productionSite/operator/phone' }));
    expect(() => buildIssuanceCredential({ ...cobaltIssuance, miners: [{ name: 'Jean Kabongo' }] } as never)).toThrow(
      expect.objectContaining({ code: 'PERSONAL_DATA_REFUSED', path: '/miners' }),
    );
    expect(() =>
      buildRetirementCredential({ ...cobaltRetirement(issuanceJws), purposeDetails: 'Questions: tel:+4930123456' }),
    ).toThrow(expect.objectContaining({ code: 'PERSONAL_DATA_REFUSED', path: '/purposeDetails' }));
    // What the examples carry is fine (dates with offsets, serials, digests, DIDs are not phone numbers).
    expect(findPersonalData(buildIssuanceCredential(cobaltIssuance))).toEqual([]);
    expect(
      findPersonalData({
        validFrom: '2026-06-15T10:30:00+01:00',
        serial: 'RCC-CD-LU-1532-2026Q1 000041',
        kid: 'did:web:registry.example#key-1',
        product: 'Cell 2170 21700 module',
        link: 'Digital product passport ECW-75-2026',
        hotel: 'Hotel 1234567',
        volume: '+5 % on 2025',
      }),
    ).toEqual([]);
    expect(
      findPersonalData({ a: 'passport no. AB1234567', b: 'Mobile: 0991 234 567', c: 'national ID 1-2345-678' }).map(
        (i) => i.path,
      ),
    ).toEqual(['/a', '/b', '/c']);
  });

  it("issue() refuses a credential carrying a miner's phone number (the credit schemas say the same as the builders)", async () => {
    const keys = generateKeyPair('EdDSA');
    const vc = buildIssuanceCredential(cobaltIssuance) as Json;
    const signer = createLocalSigner(keys.privateJwk, `${vc.issuer.id}#key-1`);
    vc.credentialSubject.creditIssuance.productionSite.operator.name = 'COMAKAM, president +243 99 765 4321';
    await expect(issue(vc, { format: 'jose', signer })).rejects.toMatchObject({
      code: 'CREDENTIAL_INVALID',
      report: {
        errors: expect.arrayContaining([
          expect.objectContaining({
            path: '/credentialSubject/creditIssuance/productionSite/operator/name',
            schemaUrl: CREDIT_ISSUANCE_SCHEMA_URL,
          }),
        ]),
      },
    });
    const named = buildIssuanceCredential(cobaltIssuance) as Json;
    named.credentialSubject.creditIssuance.productionSite.operator.nationalId = 'CD-1234567';
    await expect(issue(named, { format: 'jose', signer })).rejects.toMatchObject({ code: 'CREDENTIAL_INVALID' });
  });

  it("the schemas carry exactly the builders' patterns and member names", () => {
    for (const url of [CREDIT_ISSUANCE_SCHEMA_URL, CREDIT_RETIREMENT_SCHEMA_URL]) {
      const rule = (registry.get(url) as Json).$defs.NoPersonalData;
      expect(rule.not.pattern, url).toBe(PERSONAL_DATA_PATTERN);
      expect(rule.propertyNames.not.enum, url).toEqual([...REFUSED_MEMBER_NAMES]);
    }
  });
});

describe('confidential commercial data', () => {
  it('appears only as a digest a holder of the document can check with untp-credits digest --bytes --check', () => {
    const dir = mkdtempSync(join(tmpdir(), 'confidential-'));
    const offtake = join(dir, 'offtake.pdf');
    writeFileSync(offtake, '%PDF-1.7 offtake terms: 120 t at USD 24 000/t, FOB Kolwezi');
    const digest = digestMultibase(readFileSync(offtake));
    const vc = buildIssuanceCredential({
      ...cobaltIssuance,
      confidentialDocuments: [{ documentType: 'offtake-terms', digestMultibase: digest }],
    }) as Json;
    expect(vc.credentialSubject.creditIssuance.confidentialDocument).toEqual([
      { documentType: 'offtake-terms', digestMultibase: digest },
    ]);
    expect(JSON.stringify(vc)).not.toContain('24 000');
    const out: string[] = [];
    expect(
      runDigest(
        offtake,
        { bytes: true, check: digest },
        (l) => out.push(l),
        () => undefined,
      ),
    ).toBe(0);
    writeFileSync(offtake, '%PDF-1.7 offtake terms: 120 t at USD 21 000/t, FOB Kolwezi');
    expect(
      runDigest(
        offtake,
        { bytes: true, check: digest },
        (l) => out.push(l),
        () => undefined,
      ),
    ).toBe(1);
  });

  it('refuses prices and offtake terms in clear, and anything but type and digest in a confidential citation', () => {
    expect(() =>
      buildRetirementCredential({
        ...cobaltRetirement(issuanceJws),
        claimBoundary: { ...cobaltRetirement(issuanceJws).claimBoundary, price: { amount: 24000, currency: 'USD' } },
      } as never),
    ).toThrow(expect.objectContaining({ code: 'CONFIDENTIAL_DATA_REFUSED', path: '/claimBoundary/price' }));
    expect(() =>
      buildIssuanceCredential({
        ...cobaltIssuance,
        confidentialDocuments: [
          { documentType: 'price', digestMultibase: digestMultibase('x'), linkURL: 'https://x.example/price.pdf' },
        ],
      } as never),
    ).toThrow(expect.objectContaining({ code: 'CONFIDENTIAL_DATA_REFUSED', path: '/confidentialDocuments/0/linkURL' }));
  });

  it('lets the audit report be confidential: no link, only its digest', async () => {
    const { report: _report, ...assessment } = cobaltIssuance.assessment;
    const digest = digestMultibase('audit report bytes');
    const vc = buildIssuanceCredential({
      ...cobaltIssuance,
      evidence: [],
      assessment,
      confidentialDocuments: [{ documentType: 'audit-report', digestMultibase: digest }],
    }) as Json;
    expect(vc.credentialSubject.conformityAssessment[0].evidence).toBeUndefined();
    expect((await validate(vc)).errors).toEqual([]);
    expect(vc.credentialSubject.creditIssuance.confidentialDocument).toEqual([
      { documentType: 'audit-report', digestMultibase: digest },
    ]);
    expect(() => buildIssuanceCredential({ ...cobaltIssuance, assessment })).toThrow(
      expect.objectContaining({ code: 'MISSING_FIELD', path: '/assessment/report' }),
    );
  });
});
