import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { compactVerify, importJWK, SignJWT } from 'jose';
import { base58btc } from 'multiformats/bases/base58';
import { describe, expect, it } from 'vitest';
import { issue } from '../../src/issue.js';
import { documentLoaderFor } from '../support/db-document-loader.js';
import { dataIntegrityHashData } from '../../src/secure/data-integrity/lib.js';
import { defaultJsonLd } from '../../src/secure/lib/jsonld.js';
import { createPresentation, signPresentation } from '../../src/secure/presentation/sign.js';
import { validate } from '../../src/validate/validate.js';
import { failedStep } from '../../src/verify/report.js';
import { verify } from '../../src/verify/verify.js';
import { NOW, smallCredential, testIssuer, type TestIssuer } from '../secure/helpers.js';

// Interoperability with what the W3C VC specifications allow (issue: interop without lowering trust):
// each input a W3C test suite or @digitalbazaar/vc produces is accepted, and its broken twin refused.

async function dbSuite(who: TestIssuer) {
  const keyPair = await Ed25519Multikey.fromJwk({
    jwk: who.keys.privateJwk,
    secretKey: true,
    id: who.dataIntegrity.keyId,
    controller: who.did,
  });
  return {
    sign: new DataIntegrityProof({ signer: keyPair.signer(), cryptosuite: eddsaRdfc2022 }),
    verify: new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
  };
}

const V1 = 'https://www.w3.org/2018/credentials/v1';
const EXAMPLES_V2 = 'https://www.w3.org/ns/credentials/examples/v2';

function credential11(issuer: string): Record<string, unknown> {
  return {
    '@context': [
      V1,
      { AlumniCredential: 'https://example.org/AlumniCredential', alumniOf: 'https://schema.org/alumniOf' },
    ],
    id: 'urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33',
    type: ['VerifiableCredential', 'AlumniCredential'],
    issuer,
    issuanceDate: '2025-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:abcdefgh', alumniOf: 'The School of Examples' },
  };
}

describe('presentations as VCDM 2.0 allows them', () => {
  it('a Data Integrity VP without holder (signed by @digitalbazaar/vc) verifies; the signer is reported; a wrong challenge fails', async () => {
    const issuer = await testIssuer('did:web:mine.example.com');
    const signer = await testIssuer('did:web:wallet.example.com');
    const documentLoader = documentLoaderFor(issuer.document, signer.document);
    const credential = await issue(smallCredential(issuer.did), {
      format: 'eddsa-rdfc-2022',
      signer: issuer.dataIntegrity,
    });
    const presentation = vc.createPresentation({ verifiableCredential: [credential] });
    expect(presentation.holder).toBeUndefined();
    const signed = await vc.signPresentation({
      presentation,
      suite: (await dbSuite(signer)).sign,
      challenge: 'c-1',
      documentLoader,
    });
    const options = { didDocuments: [issuer.document, signer.document], clock: NOW };

    const report = await verify(signed, { ...options, challenge: 'c-1' });
    expect(failedStep(report)).toBeUndefined();
    expect(report).toMatchObject({ verified: true, kind: 'presentation', issuer: signer.did });
    expect(report.warnings.map((w) => w.code)).toContain('PRESENTATION_HOLDER_ABSENT');
    expect(report.credentials?.[0]).toMatchObject({ verified: true, issuer: issuer.did });

    expect(failedStep(await verify(signed, { ...options, challenge: 'c-2' }))).toMatchObject({
      name: 'challenge',
      code: 'PRESENTATION_CHALLENGE_MISMATCH',
    });
  });

  it('holder binding holds when a holder is named: the holder key verifies, a stranger key is refused', async () => {
    const holder = await testIssuer('did:web:holder.example.com');
    const stranger = await testIssuer('did:web:stranger.example.com');
    const documentLoader = documentLoaderFor(holder.document, stranger.document);
    const options = { didDocuments: [holder.document, stranger.document], clock: NOW, challenge: 'c-1' };
    const presentation = vc.createPresentation({ holder: holder.did });
    const byHolder = await vc.signPresentation({
      presentation,
      suite: (await dbSuite(holder)).sign,
      challenge: 'c-1',
      documentLoader,
    });
    const good = await verify(byHolder, options);
    expect(failedStep(good)).toBeUndefined();
    expect(good.issuer).toBe(holder.did);
    expect(good.warnings.map((w) => w.code)).not.toContain('PRESENTATION_HOLDER_ABSENT');

    const byStranger = await vc.signPresentation({
      presentation: vc.createPresentation({ holder: holder.did }),
      suite: (await dbSuite(stranger)).sign,
      challenge: 'c-1',
      documentLoader,
    });
    expect(failedStep(await verify(byStranger, options))).toMatchObject({ name: 'key', code: 'KEY_ISSUER_MISMATCH' });
  });

  it('our presentation (Data Integrity, with holder and challenge) verifies in @digitalbazaar/vc', async () => {
    const holder = await testIssuer('did:web:holder.example.com');
    const documentLoader = documentLoaderFor(holder.document);
    const signed = await signPresentation(createPresentation(holder.did, []), {
      format: 'eddsa-rdfc-2022',
      signer: holder.dataIntegrity,
      challenge: 'c-1',
    });
    const suite = (await dbSuite(holder)).verify;
    const theirs = await vc.verify({ presentation: signed, suite, challenge: 'c-1', documentLoader });
    expect(theirs.error).toBeUndefined();
    expect(theirs.verified).toBe(true);
    expect((await vc.verify({ presentation: signed, suite, challenge: 'c-2', documentLoader })).verified).toBe(false);
  });

  it("an envelope's own @context is checked: VCDM 2.0 verifies, [] or a wrong one is refused", async () => {
    const issuer = await testIssuer();
    const enveloped = await issue(smallCredential(issuer.did), { format: 'jose', signer: issuer.jose });
    const options = { didDocuments: [issuer.document], clock: NOW };
    expect((await verify(enveloped, options)).verified).toBe(true);
    for (const context of [[], ['https://www.w3.org/2018/credentials/v1'], undefined]) {
      const wrong = { ...enveloped, '@context': context };
      expect(failedStep(await verify(wrong, options))).toMatchObject({ name: 'decode', code: 'ENVELOPE_INVALID' });
    }
  });
});

describe('VC 1.1 (read for interoperability; UNTP stays VCDM 2.0)', () => {
  it('a VC 1.1 credential signed by @digitalbazaar/vc verifies here with VCDM_1_1; a tampered one fails', async () => {
    const issuer = await testIssuer();
    const documentLoader = documentLoaderFor(issuer.document);
    const theirs = await vc.issue({
      credential: credential11(issuer.did),
      suite: (await dbSuite(issuer)).sign,
      documentLoader,
    });
    const options = { didDocuments: [issuer.document], clock: NOW };
    const report = await verify(theirs, options);
    expect(failedStep(report)).toBeUndefined();
    expect(report.verified).toBe(true);
    expect(report.warnings.map((w) => w.code)).toContain('VCDM_1_1');

    const tampered = { ...theirs, credentialSubject: { id: 'did:example:abcdefgh', alumniOf: 'Elsewhere' } };
    expect(failedStep(await verify(tampered, options))).toMatchObject({ name: 'signature', code: 'SIGNATURE_INVALID' });
    // its validity window is issuanceDate / expirationDate
    const expired = await vc.issue({
      credential: { ...credential11(issuer.did), expirationDate: '2025-06-01T00:00:00Z' },
      suite: (await dbSuite(issuer)).sign,
      documentLoader,
    });
    expect(failedStep(await verify(expired, options))).toMatchObject({ name: 'validity', code: 'CREDENTIAL_EXPIRED' });
  });

  it('validate reads a VC 1.1 credential as not UNTP-conformant; a UNTP type in 1.1 form is refused', async () => {
    const plain = await validate(credential11('did:web:issuer.example.com'));
    expect(plain.errors).toEqual([]);
    expect(plain.warnings.map((w) => w.code)).toContain('VCDM_1_1');
    const noDate = { ...credential11('did:web:issuer.example.com') };
    delete noDate.issuanceDate;
    expect((await validate(noDate)).errors.map((e) => e.code)).toContain('VCDM_DATE');

    const untp = {
      ...credential11('did:web:issuer.example.com'),
      '@context': [V1, 'https://vocabulary.uncefact.org/untp/0.7.0/context/'],
      type: ['VerifiableCredential', 'DigitalConformityCredential'],
    };
    const report = await validate(untp);
    expect(report.valid).toBe(false);
    expect(report.errors.map((e) => e.code)).toContain('UNTP_REQUIRES_VCDM2');
  });

  it('the W3C examples v2 context is bundled: a test-suite style credential validates (and an unknown context still does not)', async () => {
    const credential = {
      '@context': ['https://www.w3.org/ns/credentials/v2', EXAMPLES_V2],
      id: 'http://university.example/credentials/1872',
      type: ['VerifiableCredential', 'ExampleAlumniCredential'],
      issuer: 'https://university.example/issuers/565049',
      validFrom: '2023-07-01T19:23:24Z',
      credentialSubject: { id: 'did:example:ebfeb1f712ebc6f1c276e12ec21', alumniOf: { name: 'Example University' } },
    };
    const report = await validate(credential);
    expect(report.errors).toEqual([]);
    const unknown = await validate({
      ...credential,
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://example.org/unknown/v9'],
    });
    expect(unknown.errors.map((e) => e.code)).toContain('CONTEXT_UNKNOWN');
  });

  it('VC-JWT 1.1 (vc / vp claims, data:application/jwt) is read with VC_JWT_1_1_READ_ONLY; a wrong nonce or a forged signature fails', async () => {
    const issuer = await testIssuer();
    const holder = await testIssuer('did:web:holder.example.com');
    const sign = async (who: TestIssuer, payload: Record<string, unknown>) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: who.jose.keyId })
        .sign(await importJWK(who.keys.privateJwk, 'EdDSA'));
    const vcJwt = await sign(issuer, {
      iss: issuer.did,
      sub: 'did:example:abcdefgh',
      jti: 'urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33',
      nbf: Date.parse('2025-01-01T00:00:00Z') / 1000,
      vc: {
        '@context': credential11(issuer.did)['@context'],
        type: ['VerifiableCredential', 'AlumniCredential'],
        credentialSubject: { alumniOf: 'The School of Examples' },
      },
    });
    const options = { didDocuments: [issuer.document, holder.document], clock: NOW };
    const credentialReport = await verify(vcJwt, options);
    expect(failedStep(credentialReport)).toBeUndefined();
    expect(credentialReport.credential).toMatchObject({
      issuer: issuer.did,
      issuanceDate: '2025-01-01T00:00:00Z',
      credentialSubject: { id: 'did:example:abcdefgh' },
    });
    expect(credentialReport.warnings.map((w) => w.code)).toContain('VC_JWT_1_1_READ_ONLY');

    const vpJwt = await sign(holder, {
      iss: holder.did,
      nonce: 'n-1',
      vp: { '@context': [V1], type: ['VerifiablePresentation'], verifiableCredential: [vcJwt] },
    });
    const envelope = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: 'EnvelopedVerifiablePresentation',
      id: `data:application/jwt,${vpJwt}`,
    };
    const report = await verify(envelope, { ...options, challenge: 'n-1' });
    expect(failedStep(report)).toBeUndefined();
    expect(report).toMatchObject({ verified: true, kind: 'presentation', issuer: holder.did });
    expect(report.credentials?.[0]?.verified).toBe(true);
    expect(report.warnings.map((w) => w.code)).toContain('VC_JWT_1_1_READ_ONLY');

    expect(failedStep(await verify(envelope, { ...options, challenge: 'n-2' }))?.code).toBe(
      'PRESENTATION_CHALLENGE_MISMATCH',
    );
    const forged = `${vcJwt.slice(0, vcJwt.lastIndexOf('.'))}.${'A'.repeat(86)}`;
    expect(failedStep(await verify(forged, options))?.code).toBe('SIGNATURE_INVALID');
    // signed by the holder but claiming the issuer: the key is not the issuer's
    const impostor = await sign(holder, { iss: issuer.did, vc: { '@context': [V1], type: ['VerifiableCredential'] } });
    expect(failedStep(await verify(impostor, options))?.code).toBe('KEY_ISSUER_MISMATCH');
  });
});

describe('Data Integrity proof sets and chains', () => {
  async function endorsed() {
    const issuer = await testIssuer('did:web:mine.example.com');
    const endorser = await testIssuer('did:web:auditor.example.com');
    const documentLoader = documentLoaderFor(issuer.document, endorser.document);
    const once = await vc.issue({
      credential: smallCredential(issuer.did),
      suite: (await dbSuite(issuer)).sign,
      documentLoader,
    });
    const twice = await vc.issue({ credential: once, suite: (await dbSuite(endorser)).sign, documentLoader });
    return { issuer, endorser, twice, options: { didDocuments: [issuer.document, endorser.document], clock: NOW } };
  }

  it('a proof set made by @digitalbazaar/vc (issuer + endorser) verifies, each proof listed; one bad proof fails it', async () => {
    const { issuer, endorser, twice, options } = await endorsed();
    expect(Array.isArray(twice.proof) && twice.proof.length).toBe(2);
    const report = await verify(twice, options);
    expect(failedStep(report)).toBeUndefined();
    expect(report.proofs?.map((p) => [p.controller, p.ok])).toEqual([
      [issuer.did, true],
      [endorser.did, true],
    ]);

    const proofs = twice.proof as Record<string, unknown>[];
    const bad = { ...twice, proof: [proofs[0], { ...proofs[1], proofValue: proofs[0]?.proofValue }] };
    const failed = await verify(bad, options);
    expect(failedStep(failed)).toMatchObject({ name: 'signature', code: 'SIGNATURE_INVALID' });
    expect(failed.proofs?.map((p) => p.ok)).toEqual([true, false]);
    // an unresolvable endorser fails it too (nothing is skipped)
    expect(failedStep(await verify(twice, { ...options, didDocuments: [issuer.document] }))?.name).toBe('key');
  });

  it('issuer binding needs a valid proof by the issuer: a set of strangers only is refused', async () => {
    const { endorser, options } = await endorsed();
    const other = await testIssuer('did:web:other.example.com');
    const documentLoader = documentLoaderFor(endorser.document, other.document);
    const credential = smallCredential('did:web:mine.example.com');
    const a = await vc.issue({ credential, suite: (await dbSuite(endorser)).sign, documentLoader });
    const b = await vc.issue({ credential: a, suite: (await dbSuite(other)).sign, documentLoader });
    const report = await verify(b, { ...options, didDocuments: [...options.didDocuments, other.document] });
    expect(failedStep(report)).toMatchObject({ name: 'signature', code: 'PROOF_NOT_BY_ISSUER' });
  });

  it('a proof chain (previousProof) verifies; a previousProof naming no proof, or a chained proof that did not sign it, fails', async () => {
    const { issuer, endorser, options } = await endorsed();
    const first = await issue(smallCredential(issuer.did), { format: 'eddsa-rdfc-2022', signer: issuer.dataIntegrity });
    const firstProof: Record<string, unknown> = {
      id: 'urn:uuid:0f1c-proof-1',
      ...(first.proof as Record<string, unknown>),
    };
    const chainedConfig = {
      id: 'urn:uuid:0f1c-proof-2',
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      created: '2025-06-01T00:00:00Z',
      verificationMethod: endorser.dataIntegrity.keyId,
      proofPurpose: 'assertionMethod',
      previousProof: 'urn:uuid:0f1c-proof-1',
    };
    const unsecured = { ...first };
    delete unsecured.proof;
    // the first proof's config now carries an id, so it is signed again
    const reFirst = await dataIntegrityHashData(unsecured, firstProof, 'EdDSA', defaultJsonLd());
    firstProof.proofValue = base58btc.encode(await issuer.dataIntegrity.sign(reFirst));
    const sign = async (config: Record<string, unknown>, previous?: Record<string, unknown>[]) => ({
      ...config,
      proofValue: base58btc.encode(
        await endorser.dataIntegrity.sign(
          await dataIntegrityHashData(unsecured, config, 'EdDSA', defaultJsonLd(), previous),
        ),
      ),
    });
    const chained = { ...unsecured, proof: [firstProof, await sign(chainedConfig, [firstProof])] };
    const report = await verify(chained, options);
    expect(failedStep(report)).toBeUndefined();
    expect(report.proofs?.[1]).toMatchObject({ previousProof: ['urn:uuid:0f1c-proof-1'], ok: true });

    const dangling = {
      ...unsecured,
      proof: [firstProof, await sign({ ...chainedConfig, previousProof: 'urn:uuid:nowhere' }, [firstProof])],
    };
    expect(failedStep(await verify(dangling, options))).toMatchObject({ name: 'proof', code: 'PROOF_CHAIN_BROKEN' });
    const unchained = { ...unsecured, proof: [firstProof, await sign(chainedConfig)] };
    expect(failedStep(await verify(unchained, options))).toMatchObject({
      name: 'signature',
      code: 'SIGNATURE_INVALID',
    });
  });

  it('a credit credential stays the ledger issuer’s alone: a proof set with a stranger’s valid proof is refused', async () => {
    const issuer = await testIssuer('did:web:registry.example.com');
    const stranger = await testIssuer('did:web:stranger.example.com');
    const documentLoader = documentLoaderFor(issuer.document, stranger.document);
    const credential = {
      ...smallCredential(issuer.did),
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/untp-credits/context/v1'],
      type: ['VerifiableCredential', 'CreditRetirementCredential'],
    };
    const once = await vc.issue({ credential, suite: (await dbSuite(issuer)).sign, documentLoader });
    const twice = await vc.issue({ credential: once, suite: (await dbSuite(stranger)).sign, documentLoader });
    const options = { didDocuments: [issuer.document, stranger.document], clock: NOW };
    expect(failedStep(await verify(twice, options))).toMatchObject({ name: 'key', code: 'PROOF_NOT_BY_ISSUER' });
    // the same set on a generic credential passes the securing steps
    const generic = await vc.issue({
      credential: await vc.issue({
        credential: smallCredential(issuer.did),
        suite: (await dbSuite(issuer)).sign,
        documentLoader,
      }),
      suite: (await dbSuite(stranger)).sign,
      documentLoader,
    });
    expect(failedStep(await verify(generic, options))).toBeUndefined();
  });
});

describe('relatedResource (VCDM 2.0 §5.3)', () => {
  const V2 = 'https://www.w3.org/ns/credentials/v2';
  // computed here from the bundled file, independently of the index
  const bytes = readFileSync('contexts/w3c/credentials-v2.jsonld');
  const sri = `sha256-${createHash('sha256').update(bytes).digest('base64')}`;
  const multibase = base58btc.encode(Uint8Array.from([0x12, 0x20, ...createHash('sha256').update(bytes).digest()]));
  const withRelated = (relatedResource: unknown[]) => ({
    ...smallCredential('did:web:issuer.example.com'),
    relatedResource,
  });

  it('a digest of a resource the verifier loads is checked: matching passes, a wrong one is refused', async () => {
    const good = await validate(withRelated([{ id: V2, digestSRI: sri, digestMultibase: multibase }]));
    expect(good.errors).toEqual([]);
    expect(good.warnings.map((w) => w.code)).not.toContain('RELATED_RESOURCE_NOT_CHECKED');

    const wrongSri = `sha256-${createHash('sha256').update('something else').digest('base64')}`;
    const bad = await validate(withRelated([{ id: V2, digestSRI: wrongSri }]));
    expect(bad.errors).toMatchObject([
      { code: 'RELATED_RESOURCE_DIGEST_MISMATCH', path: '/relatedResource/0/digestSRI' },
    ]);
    const badMultibase = await validate(
      withRelated([{ id: V2, digestMultibase: base58btc.encode(new Uint8Array(32)) }]),
    );
    expect(badMultibase.errors.map((e) => e.code)).toEqual(['RELATED_RESOURCE_DIGEST_MISMATCH']);
  });

  it('a resource not loaded is reported as not checked, never as verified; ids must be unique', async () => {
    const elsewhere = await validate(withRelated([{ id: 'https://example.org/photo.png', digestSRI: sri }]));
    expect(elsewhere.errors).toEqual([]);
    expect(elsewhere.warnings).toMatchObject([{ code: 'RELATED_RESOURCE_NOT_CHECKED', path: '/relatedResource/0' }]);

    const twice = await validate(
      withRelated([
        { id: 'https://example.org/photo.png', digestSRI: sri },
        { id: 'https://example.org/photo.png', digestSRI: sri },
      ]),
    );
    expect(twice.errors).toMatchObject([{ code: 'VCDM_RELATED_RESOURCE', path: '/relatedResource/1/id' }]);
  });
});

describe('ES512 (P-521) for VC-JOSE-COSE', () => {
  it('jose verifies our ES512 vc+jwt, we verify one jose signs; a forged one fails in both; Data Integrity refuses P-521', async () => {
    const issuer = await testIssuer('did:web:issuer.example.com', 'ES512');
    expect(issuer.keys.publicJwk.crv).toBe('P-521');
    const enveloped = await issue(smallCredential(issuer.did), { format: 'jose', signer: issuer.jose });
    const jws = String(enveloped.id).slice('data:application/vc+jwt,'.length);
    const publicKey = await importJWK({ ...issuer.keys.publicJwk }, 'ES512');
    const theirs = await compactVerify(jws, publicKey);
    expect(theirs.protectedHeader).toMatchObject({ alg: 'ES512', typ: 'vc+jwt', kid: issuer.jose.keyId });
    const options = { didDocuments: [issuer.document], clock: NOW };
    expect(failedStep(await verify(enveloped, options))).toBeUndefined();

    const byJose = await new SignJWT(smallCredential(issuer.did))
      .setProtectedHeader({ alg: 'ES512', typ: 'vc+jwt', kid: issuer.jose.keyId })
      .sign(await importJWK(issuer.keys.privateJwk, 'ES512'));
    const report = await verify(byJose, options);
    expect(failedStep(report)).toBeUndefined();
    expect(report.verified).toBe(true);

    const forged = `${jws.slice(0, jws.lastIndexOf('.'))}.${byJose.slice(byJose.lastIndexOf('.') + 1)}`;
    await expect(compactVerify(forged, publicKey)).rejects.toThrow();
    expect(failedStep(await verify(forged, options))?.code).toBe('SIGNATURE_INVALID');
    // the verifier's allow-list still decides
    expect(failedStep(await verify(byJose, { ...options, algorithms: ['EdDSA', 'ES256', 'ES384'] }))?.code).toBe(
      'JOSE_ALG_UNSUPPORTED',
    );
    await expect(
      issue(smallCredential(issuer.did), { format: 'ecdsa-rdfc-2019', signer: issuer.dataIntegrity }),
    ).rejects.toMatchObject({
      code: 'KEY_ALGORITHM_MISMATCH',
    });
  });
});
