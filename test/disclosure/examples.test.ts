import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WITHHELD_BENEFICIARY, WITHHELD_DISCLOSURE_DATE } from '../../examples/cases.js';
import { createDidResolver } from '../../src/keys/resolver.js';
import { validate } from '../../src/validate/validate.js';
import { verify } from '../../src/verify/verify.js';

type Json = Record<string, any>;
const file = (path: string): Json =>
  JSON.parse(readFileSync(new URL(`../../examples/${path}`, import.meta.url), 'utf8')) as Json;

describe('examples/privacy', () => {
  it('the withheld retirement validates, names no beneficiary, and verifies before and after its release', async () => {
    const unsigned = file('privacy/retirement-withheld.json');
    expect((await validate(unsigned)).errors).toEqual([]);
    expect(JSON.stringify(unsigned)).not.toContain('Nordlicht');
    expect(unsigned.credentialSubject.creditRetirement.withheldBeneficiary.disclosureDate).toBe(
      WITHHELD_DISCLOSURE_DATE,
    );
    const resolver = createDidResolver({ documents: [file('keys/registry.mineral-credits.example.did.json')] });
    const signed = file('privacy/retirement-withheld.signed.json');
    const before = await verify(signed, { resolver, clock: () => new Date('2026-10-01T00:00:00Z') });
    expect(before.verified, JSON.stringify(before.steps.find((s) => !s.ok))).toBe(true);
    expect(before.steps.find((s) => s.name === 'disclosure')).toMatchObject({ code: 'FIELD_WITHHELD' });
    const { release } = file('privacy/beneficiary-release.json');
    const after = await verify(signed, {
      resolver,
      clock: () => new Date('2027-04-01T00:00:00Z'),
      disclosures: [release],
    });
    expect(after.verified).toBe(true);
    expect(after.withheld?.[0]).toMatchObject({ state: 'disclosed', value: WITHHELD_BENEFICIARY });
  });
});
