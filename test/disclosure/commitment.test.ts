import { readFileSync } from 'node:fs';
import { base64url } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { cobaltRetirement, REGISTRY_DID } from '../../examples/cases.js';
import { buildRetirementCredential } from '../../src/credits/build.js';
import { digestMultibase, jwsOf } from '../../src/lib/digest.js';
import { commitBeneficiary, WITHHELD_BENEFICIARY_POINTER } from '../../src/credits/beneficiary.js';
import { checkFieldDisclosure, commitField, decodeFieldDisclosure } from '../../src/disclosure/commitment.js';
import {
  DISCLOSURE_RELEASE_TYP,
  signDisclosureRelease,
  verifyDisclosureRelease,
} from '../../src/disclosure/release.js';
import { describeWithheld, withheldFields } from '../../src/disclosure/withheld.js';
import { issue } from '../../src/issue.js';
import { createDidDocument, keyMethodIds } from '../../src/keys/did-document.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { publicJwkOf } from '../../src/keys/jwk.js';
import { createDidResolver, type DidResolver } from '../../src/keys/resolver.js';
import { createLocalSigner } from '../../src/keys/signer.js';
import type { PrivateJwk, Signer } from '../../src/keys/types.js';
import { verify } from '../../src/verify/verify.js';

type Json = Record<string, any>;

const issuanceJws = jwsOf(readFileSync(new URL('../../examples/cobalt/issuance.signed.json', import.meta.url), 'utf8'));
const beneficiary = {
  id: 'did:web:nordlicht-automotive.example',
  name: 'Nordlicht Automotive AG (fictional)',
  jurisdiction: 'DE',
  onBehalfOf: true,
};
const DATE = '2027-03-31';
const BEFORE = () => new Date('2026-07-01T00:00:00Z');
const AFTER = () => new Date('2027-04-02T00:00:00Z');

let registry: Signer;
let resolver: DidResolver;
let signed: Json;
let jws: string;
let kept: string;

/** A release signed by `signer` over whatever payload (to test the verifier, not the signing helper's own refusals). */
async function forgeRelease(payload: Json, signer: Signer): Promise<string> {
  const input = `${base64url.encode(JSON.stringify({ alg: signer.algorithm, kid: signer.keyId, typ: DISCLOSURE_RELEASE_TYP }))}.${base64url.encode(JSON.stringify(payload))}`;
  return `${input}.${base64url.encode(await signer.sign(new TextEncoder().encode(input)))}`;
}

beforeAll(async () => {
  const privateJwk = JSON.parse(
    readFileSync(
      new URL('../../examples/keys/registry.mineral-credits.example.private.jwk.json', import.meta.url),
      'utf8',
    ),
  ) as PrivateJwk;
  const publicJwk = publicJwkOf(privateJwk);
  registry = createLocalSigner(privateJwk, (await keyMethodIds(REGISTRY_DID, publicJwk)).jose);
  resolver = createDidResolver({ documents: [await createDidDocument(REGISTRY_DID, [publicJwk])] });
  const { commitment, disclosure } = commitBeneficiary(beneficiary, DATE);
  kept = disclosure.disclosure;
  const vc = buildRetirementCredential({
    ...cobaltRetirement(issuanceJws),
    beneficiary: undefined,
    withheldBeneficiary: commitment,
  });
  signed = (await issue(vc, { format: 'jose', signer: registry })) as Json;
  jws = jwsOf(JSON.stringify(signed));
});

describe('salted-hash commitments', () => {
  it('commit to an RFC 9901 disclosure; the right salt and value open it, a wrong salt or value does not', () => {
    const { commitment, disclosure } = commitField('beneficiary', beneficiary, { disclosureDate: DATE });
    expect(commitment).toMatchObject({
      commitmentMethod: 'sd-jwt-disclosure-sha2-256',
      disclosureDate: DATE,
      digestMultibase: digestMultibase(disclosure.disclosure),
    });
    expect(decodeFieldDisclosure(disclosure.disclosure)).toMatchObject({
      salt: disclosure.salt,
      name: 'beneficiary',
      value: beneficiary,
    });
    expect(checkFieldDisclosure(commitment, disclosure.disclosure, 'beneficiary').value).toEqual(beneficiary);

    const encode = (data: unknown[]) => Buffer.from(JSON.stringify(data)).toString('base64url');
    const wrongSalt = encode([`x${disclosure.salt}`, 'beneficiary', beneficiary]);
    const wrongValue = encode([disclosure.salt, 'beneficiary', { ...beneficiary, name: 'Someone Else AG' }]);
    expect(() => checkFieldDisclosure(commitment, wrongSalt, 'beneficiary')).toThrow(
      expect.objectContaining({ code: 'DISCLOSURE_MISMATCH' }),
    );
    expect(() => checkFieldDisclosure(commitment, wrongValue, 'beneficiary')).toThrow(
      expect.objectContaining({ code: 'DISCLOSURE_MISMATCH' }),
    );
    expect(() => checkFieldDisclosure(commitment, 'not json', 'beneficiary')).toThrow(
      expect.objectContaining({ code: 'DISCLOSURE_MALFORMED' }),
    );
    // Two commitments to the same value do not correlate (fresh salt each time).
    expect(commitField('beneficiary', beneficiary, { disclosureDate: DATE }).commitment.digestMultibase).not.toBe(
      commitment.digestMultibase,
    );
    expect(() => commitField('beneficiary', beneficiary, { disclosureDate: DATE, salt: 'short' })).toThrow(
      expect.objectContaining({ code: 'SALT_TOO_SHORT' }),
    );
  });

  it('builds a retirement that names no beneficiary and refuses both at once or a date before the retirement', () => {
    const subject = (jwsPayloadOf(jws) as Json).credentialSubject;
    expect(subject.creditRetirement.beneficiary).toBeUndefined();
    expect(subject.name).toContain(`a beneficiary withheld until ${DATE}`);
    expect(JSON.stringify(subject)).not.toContain('Nordlicht');
    expect(withheldFields(jwsPayloadOf(jws))).toEqual([
      { commitment: WITHHELD_BENEFICIARY_POINTER, field: 'beneficiary', disclosureDate: DATE },
    ]);
    const { commitment } = commitBeneficiary(beneficiary, DATE);
    expect(() =>
      buildRetirementCredential({ ...cobaltRetirement(issuanceJws), withheldBeneficiary: commitment }),
    ).toThrow(expect.objectContaining({ code: 'BENEFICIARY_CONFLICT', path: '/withheldBeneficiary' }));
    expect(() =>
      buildRetirementCredential({
        ...cobaltRetirement(issuanceJws),
        beneficiary: undefined,
        withheldBeneficiary: { ...commitment, disclosureDate: '2026-01-01' },
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_DATE', path: '/withheldBeneficiary/disclosureDate' }));
    // An organisation-scoped claim names the beneficiary nowhere either, but still names an assessed
    // subject: the withheld beneficiary, by the record and its commitment.
    const boundary = {
      ...cobaltRetirement(issuanceJws).claimBoundary,
      scope: 'organisation' as const,
      coveredProducts: [],
    };
    const org = buildRetirementCredential({
      ...cobaltRetirement(issuanceJws),
      claimBoundary: boundary,
      beneficiary: undefined,
      withheldBeneficiary: commitment,
    }) as Json;
    expect(JSON.stringify(org)).not.toContain('Nordlicht');
    expect(org.credentialSubject.conformityAssessment[0].assessedOrganisation).toEqual({
      type: ['Party'],
      id: `${org.credentialSubject.id}#withheld-beneficiary`,
      name: `Beneficiary withheld until ${DATE} (commitment ${commitment.digestMultibase})`,
    });
  });

  it('verifies before the date (withheld) and after it with the release, same id and digest; a wrong salt fails', async () => {
    const before = await verify(signed, { resolver, clock: BEFORE });
    expect(before.verified, JSON.stringify(before.steps.find((s) => !s.ok))).toBe(true);
    expect(before.withheld?.[0]).toMatchObject({ state: 'withheld', disclosureDate: DATE });
    expect(describeWithheld(before.withheld![0]!)).toBe(`Beneficiary withheld until ${DATE}`);

    const release = await signDisclosureRelease(
      { credentialJws: jws, commitment: WITHHELD_BENEFICIARY_POINTER, disclosure: kept, releasedAt: AFTER() },
      registry,
    );
    const after = await verify(signed, { resolver, clock: AFTER, disclosures: [release] });
    expect(after.verified).toBe(true);
    expect(after.credential?.id).toBe(before.credential?.id);
    expect(after.withheld?.[0]).toMatchObject({ state: 'disclosed', value: beneficiary });
    expect(describeWithheld(after.withheld![0]!)).toContain('Nordlicht Automotive AG (fictional)');

    // A released disclosure whose salt is wrong (signed by the registry all the same) fails the credential.
    const decoded = decodeFieldDisclosure(kept);
    const wrong = Buffer.from(JSON.stringify([`x${decoded.salt}`, 'beneficiary', decoded.value])).toString('base64url');
    const base = {
      iss: REGISTRY_DID,
      sub: (before.credential as Json).id,
      credentialDigestMultibase: digestMultibase(jws),
      commitment: WITHHELD_BENEFICIARY_POINTER,
      iat: 1,
    };
    const bad = await verify(signed, {
      resolver,
      clock: AFTER,
      disclosures: [await forgeRelease({ ...base, disclosure: wrong }, registry)],
    });
    expect(bad.verified).toBe(false);
    expect(bad.steps.find((s) => !s.ok)).toMatchObject({ name: 'disclosure', code: 'DISCLOSURE_MISMATCH' });
    // The signing helper refuses to sign it at all.
    await expect(
      signDisclosureRelease(
        { credentialJws: jws, commitment: WITHHELD_BENEFICIARY_POINTER, disclosure: wrong, releasedAt: AFTER() },
        registry,
      ),
    ).rejects.toMatchObject({ code: 'DISCLOSURE_MISMATCH' });
  });

  it('refuses a release for another credential, by another key, or of another type', async () => {
    const good = {
      iss: REGISTRY_DID,
      sub: (jwsPayloadOf(jws) as Json).id,
      credentialDigestMultibase: digestMultibase(jws),
      commitment: WITHHELD_BENEFICIARY_POINTER,
      disclosure: kept,
      iat: 1,
    };
    const context = { credential: jwsPayloadOf(jws), credentialJws: jws, resolver };
    await expect(verifyDisclosureRelease(await forgeRelease(good, registry), context)).resolves.toMatchObject({
      name: 'beneficiary',
    });
    await expect(
      verifyDisclosureRelease(
        await forgeRelease(
          { ...good, sub: 'https://registry.mineral-credits.example/credentials/retirement/OTHER' },
          registry,
        ),
        context,
      ),
    ).rejects.toMatchObject({ code: 'DISCLOSURE_WRONG_CREDENTIAL' });
    await expect(
      verifyDisclosureRelease(
        await forgeRelease({ ...good, credentialDigestMultibase: digestMultibase('another jws') }, registry),
        context,
      ),
    ).rejects.toMatchObject({ code: 'DISCLOSURE_WRONG_CREDENTIAL' });
    await expect(
      verifyDisclosureRelease(
        await forgeRelease({ ...good, commitment: '/credentialSubject/creditRetirement/withheldPurpose' }, registry),
        context,
      ),
    ).rejects.toMatchObject({ code: 'DISCLOSURE_FIELD_UNKNOWN' });
    const outsider = createLocalSigner(generateKeyPair('EdDSA').privateJwk, 'did:web:outsider.example#k');
    await expect(verifyDisclosureRelease(await forgeRelease(good, outsider), context)).rejects.toMatchObject({
      code: 'KEY_ISSUER_MISMATCH',
    });
    await expect(
      signDisclosureRelease(
        { credentialJws: jws, commitment: WITHHELD_BENEFICIARY_POINTER, disclosure: kept, releasedAt: AFTER() },
        outsider,
      ),
    ).rejects.toMatchObject({ code: 'ISSUER_KEY_MISMATCH' });
    await expect(verifyDisclosureRelease(jws, context)).rejects.toMatchObject({
      code: 'DISCLOSURE_RELEASE_TYP_INVALID',
    });
    await expect(verifyDisclosureRelease('nonsense', context)).rejects.toMatchObject({
      code: 'DISCLOSURE_RELEASE_MALFORMED',
    });
  });
});

function jwsPayloadOf(compact: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(compact.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
