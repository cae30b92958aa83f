import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY_DID } from '../../examples/cases.js';
import { createDidDocument, keyMethodIds } from '../../src/keys/did-document.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { publicJwkOf } from '../../src/keys/jwk.js';
import { createDidResolver, type DidResolver } from '../../src/keys/resolver.js';
import { createLocalSigner } from '../../src/keys/signer.js';
import type { PrivateJwk, Signer } from '../../src/keys/types.js';
import { presentSdJwt } from '../../src/secure/sd-jwt/sign.js';
import { issueSdJwt } from '../../src/issue.js';
import { VC_SD_JWT_PREFIX } from '../../src/lib/envelope.js';
import { verify } from '../../src/verify/verify.js';

type Json = Record<string, any>;

const retirement = JSON.parse(
  readFileSync(new URL('../../examples/cobalt/retirement.json', import.meta.url), 'utf8'),
) as Json;
const BENEFICIARY = '/credentialSubject/creditRetirement/beneficiary';
const PURPOSE_DETAILS = '/credentialSubject/creditRetirement/purposeDetails';
const PRODUCT = '/credentialSubject/creditRetirement/claimBoundary/coveredProducts/0';
const DISCLOSABLE = [BENEFICIARY, PURPOSE_DETAILS, PRODUCT];
const NOW = new Date('2026-07-01T10:00:00Z');
const clock = () => NOW;

let registry: Signer;
let resolver: DidResolver;
let holder: Signer;
let holderKey: ReturnType<typeof publicJwkOf>;

const compactOf = (vc: { id: string }) => vc.id.slice(VC_SD_JWT_PREFIX.length);
const parts = (vc: { id: string }) => compactOf(vc).split('~');
const withParts = (list: string[]) => ({
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: 'EnvelopedVerifiableCredential',
  id: `${VC_SD_JWT_PREFIX}${list.join('~')}`,
});
const failed = (report: Json) => report.steps.find((s: Json) => !s.ok);

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
  const keys = generateKeyPair('ES256');
  holderKey = keys.publicJwk;
  holder = createLocalSigner(keys.privateJwk, 'did:key:holder#0');
});

describe('SD-JWT credentials (W3C VC-JOSE-COSE vc+sd-jwt)', () => {
  it('is an EnvelopedVerifiableCredential whose issuer JWT has typ vc+sd-jwt and no claim names of disclosable members', async () => {
    const vc = await issueSdJwt(retirement, { signer: registry, disclosable: DISCLOSABLE });
    expect(vc.type).toBe('EnvelopedVerifiableCredential');
    expect(vc.id.startsWith('data:application/vc+sd-jwt,')).toBe(true);
    const [jwt, ...rest] = parts(vc);
    expect(rest).toHaveLength(DISCLOSABLE.length + 1);
    const [header, payload] = jwt!
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Json);
    expect(header).toMatchObject({ typ: 'vc+sd-jwt', cty: 'vc', alg: 'EdDSA', kid: registry.keyId });
    expect(header!.vct).toBeUndefined();
    expect(payload!.credentialSubject.creditRetirement.beneficiary).toBeUndefined();
    expect(payload!.credentialSubject.creditRetirement._sd).toHaveLength(2);
    // Neither the member name nor its content is in the signed payload.
    expect(JSON.stringify(payload)).not.toContain('onBehalfOf');
    expect(JSON.stringify(payload)).not.toContain(retirement.credentialSubject.creditRetirement.purposeDetails);
  });

  it('round-trips with all, some and no disclosures through verify(), reporting where claims may be withheld', async () => {
    const vc = await issueSdJwt(retirement, { signer: registry, disclosable: DISCLOSABLE });

    const all = await verify(await presentSdJwt(vc, { disclose: 'all' }), { resolver, clock });
    expect(all.verified, JSON.stringify(failed(all))).toBe(true);
    expect(all.format).toBe('sd-jwt');
    expect(all.credential).toEqual(retirement);
    expect(all.warnings.filter((w) => w.code === 'CLAIMS_MAY_BE_WITHHELD')).toEqual([]);
    expect(all.steps.map((s) => s.name)).toEqual([
      'decode',
      'header',
      'key',
      'signature',
      'disclosures',
      'validation',
      'validity',
      'status',
    ]);

    const some = await verify(await presentSdJwt(vc, { disclose: [BENEFICIARY] }), { resolver, clock });
    expect(some.verified, JSON.stringify(failed(some))).toBe(true);
    const subject = (some.credential as Json).credentialSubject.creditRetirement;
    expect(subject.beneficiary).toEqual(retirement.credentialSubject.creditRetirement.beneficiary);
    expect(subject.purposeDetails).toBeUndefined();
    expect(subject.claimBoundary.coveredProducts).toEqual([]);
    expect(some.warnings).toContainEqual(
      expect.objectContaining({
        code: 'CLAIMS_MAY_BE_WITHHELD',
        path: '/credentialSubject/creditRetirement',
        message: expect.stringContaining('claims may be withheld at /credentialSubject/creditRetirement'),
      }),
    );
    expect(some.warnings).toContainEqual(
      expect.objectContaining({
        code: 'CLAIMS_MAY_BE_WITHHELD',
        path: '/credentialSubject/creditRetirement/claimBoundary/coveredProducts',
      }),
    );

    // None: the schema's required beneficiary (or its commitment) may be among the withheld claims.
    const none = await verify(await presentSdJwt(vc, { disclose: [] }), { resolver, clock });
    expect(none.verified, JSON.stringify(failed(none))).toBe(true);
    expect((none.credential as Json).credentialSubject.creditRetirement.beneficiary).toBeUndefined();
    expect(none.warnings.some((w) => w.code === 'CLAIMS_MAY_BE_WITHHELD' && w.path.endsWith('/beneficiary'))).toBe(
      true,
    );
    expect(parts(await presentSdJwt(vc, { disclose: [] }))).toHaveLength(2);
  });

  it('fails a tampered disclosure and a disclosure taken from another credential (SD_DISCLOSURE_UNREFERENCED)', async () => {
    const vc = await issueSdJwt(retirement, { signer: registry, disclosable: DISCLOSABLE });
    const [jwt, ...disclosures] = parts(await presentSdJwt(vc, { disclose: [BENEFICIARY] }));
    const [salt, name, value] = JSON.parse(Buffer.from(disclosures[0]!, 'base64url').toString('utf8')) as [
      string,
      string,
      Json,
    ];
    const forged = Buffer.from(JSON.stringify([salt, name, { ...value, name: 'Someone Else GmbH' }])).toString(
      'base64url',
    );
    const tampered = await verify(withParts([jwt!, forged, '']), { resolver, clock });
    expect(tampered.verified).toBe(false);
    expect(failed(tampered)).toMatchObject({ name: 'disclosures', code: 'SD_DISCLOSURE_UNREFERENCED' });

    const other = await issueSdJwt(
      { ...retirement, id: `${retirement.id}-other` },
      { signer: registry, disclosable: DISCLOSABLE },
    );
    const [, otherDisclosure] = parts(await presentSdJwt(other, { disclose: [BENEFICIARY] }));
    const spliced = await verify(withParts([jwt!, otherDisclosure!, '']), { resolver, clock });
    expect(failed(spliced)).toMatchObject({ name: 'disclosures', code: 'SD_DISCLOSURE_UNREFERENCED' });

    const garbage = await verify(withParts([jwt!, 'bm90LWpzb24', '']), { resolver, clock });
    expect(failed(garbage)).toMatchObject({ name: 'decode', code: 'SD_DISCLOSURE_MALFORMED' });
  });

  it('checks key binding: fresh binding verifies; a replayed binding fails on nonce or sd_hash; a missing one fails', async () => {
    const vc = await issueSdJwt(retirement, { signer: registry, disclosable: DISCLOSABLE, holderKey });
    const audience = 'https://passports.example';
    const shown = await presentSdJwt(vc, {
      disclose: [BENEFICIARY],
      keyBinding: { signer: holder, audience, nonce: 'n-1', issuedAt: NOW },
    });
    const ok = await verify(shown, { resolver, clock, challenge: 'n-1', domain: audience });
    expect(ok.verified, JSON.stringify(failed(ok))).toBe(true);
    expect(ok.steps.find((s) => s.name === 'keyBinding')).toMatchObject({ ok: true });
    expect((ok.credential as Json).cnf).toBeUndefined();

    // The same presentation replayed to a verifier that asked another nonce.
    const replayed = await verify(shown, { resolver, clock, challenge: 'n-2', domain: audience });
    expect(failed(replayed)).toMatchObject({ name: 'keyBinding', code: 'SD_JWT_KB_NONCE_MISMATCH' });
    // Its key-binding JWT moved onto another selection of disclosures.
    const kbJwt = parts(shown).at(-1)!;
    const fewer = parts(await presentSdJwt(vc, { disclose: [] }));
    const moved = await verify(withParts([...fewer.slice(0, -1), kbJwt]), {
      resolver,
      clock,
      challenge: 'n-1',
      domain: audience,
    });
    expect(failed(moved)).toMatchObject({ name: 'keyBinding', code: 'SD_JWT_KB_SD_HASH_MISMATCH' });
    // Another audience, an old binding, none at all.
    expect(
      failed(await verify(shown, { resolver, clock, challenge: 'n-1', domain: 'https://other.example' })),
    ).toMatchObject({ code: 'SD_JWT_KB_AUDIENCE_MISMATCH' });
    expect(
      failed(
        await verify(shown, {
          resolver,
          clock: () => new Date(NOW.getTime() + 3600_000),
          challenge: 'n-1',
          domain: audience,
        }),
      ),
    ).toMatchObject({ code: 'SD_JWT_KB_EXPIRED' });
    expect(
      failed(
        await verify(await presentSdJwt(vc, { disclose: [BENEFICIARY] }), {
          resolver,
          clock,
          challenge: 'n-1',
          domain: audience,
        }),
      ),
    ).toMatchObject({ name: 'keyBinding', code: 'SD_JWT_KB_MISSING' });
    // A binding signed by another key.
    const stranger = createLocalSigner(generateKeyPair('ES256').privateJwk, 'did:key:stranger#0');
    const stolen = await presentSdJwt(vc, {
      disclose: [BENEFICIARY],
      keyBinding: { signer: stranger, audience, nonce: 'n-1', issuedAt: NOW },
    });
    expect(failed(await verify(stolen, { resolver, clock, challenge: 'n-1', domain: audience }))).toMatchObject({
      code: 'SD_JWT_KB_SIGNATURE_INVALID',
    });
  });

  it('fails a changed issuer JWT, refuses to hide what must stay in clear, and refuses dc+sd-jwt', async () => {
    const vc = await issueSdJwt(retirement, { signer: registry, disclosable: DISCLOSABLE });
    const [jwt, ...rest] = parts(vc);
    const [h, p, s] = jwt!.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as Json;
    payload.credentialSubject.creditRetirement.totalQuantity = 250;
    const changed = await verify(
      withParts([`${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`, ...rest]),
      { resolver, clock },
    );
    expect(failed(changed)).toMatchObject({ name: 'signature', code: 'SIGNATURE_INVALID' });

    await expect(issueSdJwt(retirement, { signer: registry, disclosable: ['/issuer'] })).rejects.toMatchObject({
      code: 'SD_NOT_ALLOWED',
      path: '/issuer',
    });
    await expect(
      issueSdJwt(retirement, { signer: registry, disclosable: ['/credentialSubject/nothingHere'] }),
    ).rejects.toMatchObject({ code: 'SD_POINTER_UNKNOWN' });

    const header = JSON.parse(Buffer.from(h!, 'base64url').toString('utf8')) as Json;
    const dc = Buffer.from(JSON.stringify({ ...header, typ: 'dc+sd-jwt' })).toString('base64url');
    const dcReport = await verify(withParts([`${dc}.${p}.${s}`, ...rest]), { resolver, clock });
    expect(failed(dcReport)).toMatchObject({ name: 'header', code: 'JOSE_TYP_INVALID' });
  });
});
