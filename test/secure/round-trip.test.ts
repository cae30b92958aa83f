import { describe, expect, it } from 'vitest';
import { issue } from '../../src/issue.js';
import type { SecuringFormat } from '../../src/lib/envelope.js';
import { failedStep } from '../../src/verify/report.js';
import { verify } from '../../src/verify/verify.js';
import { NOW, smallCredential, testIssuer } from './helpers.js';

const cases: Array<[SecuringFormat, 'EdDSA' | 'ES256' | 'ES384']> = [
  ['jose', 'EdDSA'],
  ['jose', 'ES256'],
  ['jose', 'ES384'],
  ['eddsa-rdfc-2022', 'EdDSA'],
  ['ecdsa-rdfc-2019', 'ES256'],
  ['ecdsa-rdfc-2019', 'ES384'],
];

describe('issue → verify round trips', () => {
  for (const [format, algorithm] of cases) {
    it(`${format} with ${algorithm}`, async () => {
      const issuer = await testIssuer('did:web:issuer.example.com', algorithm);
      const signer = format === 'jose' ? issuer.jose : issuer.dataIntegrity;
      const signed = await issue(smallCredential(issuer.did), { format, signer });
      const report = await verify(signed, { didDocuments: [issuer.document], clock: NOW });
      expect(failedStep(report)).toBeUndefined();
      expect(report.verified).toBe(true);
      expect(report.format).toBe(format);
      expect(report.issuer).toBe(issuer.did);

      // tampering with the content breaks the signature
      const tampered =
        format === 'jose'
          ? tamperJose(signed)
          : { ...signed, credentialSubject: { id: 'did:example:subject', name: 'Copper cathode lot 43' } };
      expect(failedStep(await verify(tampered, { didDocuments: [issuer.document], clock: NOW }))).toMatchObject({
        name: 'signature',
        code: 'SIGNATURE_INVALID',
      });
    });
  }

  it('JOSE header is { alg, kid, typ: vc+jwt, cty: vc } and the payload is the credential exactly', async () => {
    const issuer = await testIssuer();
    const credential = smallCredential(issuer.did);
    const signed = await issue(credential, { format: 'jose', signer: issuer.jose });
    expect(signed.type).toBe('EnvelopedVerifiableCredential');
    const [h, p] = String(signed.id).slice('data:application/vc+jwt,'.length).split('.') as [string, string];
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({
      alg: 'EdDSA',
      kid: issuer.jose.keyId,
      typ: 'vc+jwt',
      cty: 'vc',
    });
    expect(Buffer.from(p, 'base64url').toString('utf8')).toBe(JSON.stringify(credential));
  });

  it('issue refuses an invalid credential with its errors, and an issuer that is not the key DID', async () => {
    const issuer = await testIssuer();
    const invalid = smallCredential(issuer.did, { validFrom: 'yesterday' });
    await expect(issue(invalid, { format: 'jose', signer: issuer.jose })).rejects.toMatchObject({
      code: 'CREDENTIAL_INVALID',
    });
    const error = await issue(invalid, { format: 'jose', signer: issuer.jose }).catch((e: unknown) => e);
    expect((error as { report: { errors: unknown[] } }).report.errors.length).toBeGreaterThan(0);
    await expect(
      issue(smallCredential('did:web:someone-else.example'), {
        format: 'eddsa-rdfc-2022',
        signer: issuer.dataIntegrity,
      }),
    ).rejects.toMatchObject({ code: 'ISSUER_KEY_MISMATCH' });
  });

  it('a Data Integrity proof with the wrong purpose, or a key of another DID, fails with its own code', async () => {
    const issuer = await testIssuer();
    const signed = await issue(smallCredential(issuer.did), {
      format: 'eddsa-rdfc-2022',
      signer: issuer.dataIntegrity,
    });
    const proof = signed.proof as Record<string, unknown>;
    const options = { didDocuments: [issuer.document], clock: NOW };
    expect(
      failedStep(await verify({ ...signed, proof: { ...proof, proofPurpose: 'authentication' } }, options)),
    ).toMatchObject({ name: 'proof', code: 'PROOF_PURPOSE_MISMATCH' });
    expect(
      failedStep(await verify({ ...signed, proof: { ...proof, cryptosuite: 'bbs-2023' } }, options)),
    ).toMatchObject({ name: 'proof', code: 'CRYPTOSUITE_UNSUPPORTED' });
    expect(
      failedStep(
        await verify({ ...signed, proof: { ...proof, verificationMethod: 'did:web:other.example#k' } }, options),
      ),
    ).toMatchObject({ name: 'key', code: 'KEY_ISSUER_MISMATCH' });
    const { proof: _p, ...unsigned } = signed;
    expect(failedStep(await verify(unsigned, options))).toMatchObject({ name: 'decode', code: 'PROOF_MISSING' });
  });

  it('did:key issuers resolve without any DID document', async () => {
    const { didKeyOf } = await import('../../src/keys/did-key.js');
    const { generateKeyPair } = await import('../../src/keys/generate.js');
    const { createLocalSigner } = await import('../../src/keys/signer.js');
    for (const algorithm of ['EdDSA', 'ES256'] as const) {
      const keys = generateKeyPair(algorithm);
      const { did, keyId } = didKeyOf(keys.publicJwk);
      const signer = createLocalSigner(keys.privateJwk, keyId);
      for (const format of ['jose', algorithm === 'EdDSA' ? 'eddsa-rdfc-2022' : 'ecdsa-rdfc-2019'] as const) {
        const signed = await issue(smallCredential(did), { format, signer });
        expect((await verify(signed, { clock: NOW })).verified).toBe(true);
      }
    }
  });
});

function tamperJose(signed: Record<string, unknown>): Record<string, unknown> {
  const [h, p, s] = String(signed.id).slice('data:application/vc+jwt,'.length).split('.') as [string, string, string];
  const text = Buffer.from(p, 'base64url').toString('utf8').replace('lot 42', 'lot 43');
  return { ...signed, id: `data:application/vc+jwt,${h}.${Buffer.from(text).toString('base64url')}.${s}` };
}
