import { readFileSync } from 'node:fs';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { describe, expect, it } from 'vitest';
import { issue } from '../../src/issue.js';
import { documentLoaderFor } from '../support/db-document-loader.js';
import { failedStep } from '../../src/verify/report.js';
import { verify } from '../../src/verify/verify.js';
import { NOW, smallCredential, testIssuer, type TestIssuer } from './helpers.js';

async function dbSuite(issuer: TestIssuer) {
  const keyPair =
    issuer.keys.algorithm === 'EdDSA'
      ? await Ed25519Multikey.fromJwk({
          jwk: issuer.keys.privateJwk,
          secretKey: true,
          id: issuer.dataIntegrity.keyId,
          controller: issuer.did,
        })
      : await EcdsaMultikey.fromJwk({
          jwk: issuer.keys.privateJwk,
          secretKey: true,
          id: issuer.dataIntegrity.keyId,
          controller: issuer.did,
        });
  const cryptosuite = issuer.keys.algorithm === 'EdDSA' ? eddsaRdfc2022 : ecdsaRdfc2019;
  return {
    sign: new DataIntegrityProof({ signer: keyPair.signer(), cryptosuite }),
    verify: new DataIntegrityProof({ cryptosuite }),
  };
}

const untpDpp = JSON.parse(
  readFileSync('test/fixtures/untp/0.7.0/dpp/DigitalProductPassport_instance.json', 'utf8'),
) as Record<string, unknown>;

describe('Data Integrity interoperates with @digitalbazaar/vc', () => {
  for (const [format, algorithm] of [
    ['eddsa-rdfc-2022', 'EdDSA'],
    ['ecdsa-rdfc-2019', 'ES256'],
    ['ecdsa-rdfc-2019', 'ES384'],
  ] as const) {
    it(`${format} (${algorithm}): a proof we make verifies there, one it makes verifies here`, async () => {
      const issuer = await testIssuer('did:web:issuer.example.com', algorithm);
      const documentLoader = documentLoaderFor(issuer.document);
      const suites = await dbSuite(issuer);

      const ours = await issue(smallCredential(issuer.did), { format, signer: issuer.dataIntegrity });
      const theirVerdict = await vc.verifyCredential({ credential: ours, suite: suites.verify, documentLoader });
      expect(theirVerdict.error).toBeUndefined();
      expect(theirVerdict.verified).toBe(true);

      const theirs = await vc.issue({ credential: smallCredential(issuer.did), suite: suites.sign, documentLoader });
      expect(theirs.proof.cryptosuite).toBe(format);
      const report = await verify(theirs, { didDocuments: [issuer.document], clock: NOW });
      expect(failedStep(report)).toBeUndefined();
      expect(report.verified).toBe(true);

      // and a tampered one fails in both
      const tampered = { ...theirs, credentialSubject: { id: 'did:example:subject', name: 'changed' } };
      expect((await vc.verifyCredential({ credential: tampered, suite: suites.verify, documentLoader })).verified).toBe(
        false,
      );
      expect(failedStep(await verify(tampered, { didDocuments: [issuer.document], clock: NOW }))?.code).toBe(
        'SIGNATURE_INVALID',
      );
    });
  }

  it('a UNTP DPP signed here (eddsa-rdfc-2022) verifies there, and one signed there verifies here', async () => {
    const issuer = await testIssuer();
    const credential = {
      ...untpDpp,
      validUntil: '2040-01-01T00:00:00Z',
      issuer: { ...(untpDpp.issuer as Record<string, unknown>), id: issuer.did },
    };
    delete (credential as { credentialStatus?: unknown }).credentialStatus;
    const documentLoader = documentLoaderFor(issuer.document);
    const suites = await dbSuite(issuer);

    const ours = await issue(credential, { format: 'eddsa-rdfc-2022', signer: issuer.dataIntegrity });
    const theirVerdict = await vc.verifyCredential({ credential: ours, suite: suites.verify, documentLoader });
    expect(theirVerdict.error).toBeUndefined();
    expect(theirVerdict.verified).toBe(true);

    const theirs = await vc.issue({ credential, suite: suites.sign, documentLoader });
    const report = await verify(theirs, { didDocuments: [issuer.document], clock: NOW });
    expect(failedStep(report)).toBeUndefined();
    expect(report.verified).toBe(true);
  });
});
