import { describe, expect, it } from 'vitest';
import { issue } from '../../src/issue.js';
import {
  addKeyToDidDocument,
  createDidDocument,
  keyMethodIds,
  revokeKeyInDidDocument,
} from '../../src/keys/did-document.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { createLocalSigner } from '../../src/keys/signer.js';
import { failedStep } from '../../src/verify/report.js';
import { verify } from '../../src/verify/verify.js';
import { NOW, smallCredential } from '../secure/helpers.js';

const DID = 'did:web:registry.example.com:issuers:mine-001';

describe('key rotation', () => {
  it('routine rotation keeps old statements verifiable; compromise removal makes them fail with KEY_NOT_IN_ASSERTION_METHOD', async () => {
    const oldKey = generateKeyPair();
    const oldIds = await keyMethodIds(DID, oldKey.publicJwk);
    let document = await createDidDocument(DID, [oldKey.publicJwk]);
    const before = await Promise.all([
      issue(smallCredential(DID), { format: 'jose', signer: createLocalSigner(oldKey.privateJwk, oldIds.jose) }),
      issue(smallCredential(DID), {
        format: 'eddsa-rdfc-2022',
        signer: createLocalSigner(oldKey.privateJwk, oldIds.dataIntegrity),
      }),
    ]);

    // rotate: add the new key, sign with it from now on; the old key stays listed
    const newKey = generateKeyPair('ES256');
    const newIds = await keyMethodIds(DID, newKey.publicJwk);
    document = await addKeyToDidDocument(document, newKey.publicJwk);
    expect(document.verificationMethod).toHaveLength(4);
    expect(document.assertionMethod).toEqual([oldIds.jose, oldIds.dataIntegrity, newIds.jose, newIds.dataIntegrity]);
    expect(await addKeyToDidDocument(document, newKey.publicJwk)).toEqual(document);
    const after = await issue(smallCredential(DID), {
      format: 'jose',
      signer: createLocalSigner(newKey.privateJwk, newIds.jose),
    });

    for (const signed of [...before, after])
      expect((await verify(signed, { didDocuments: [document], clock: NOW })).verified).toBe(true);

    // compromise: remove the old key from assertionMethod; what it signed no longer verifies, with a code that says why
    const revoked = await revokeKeyInDidDocument(document, oldIds.jose);
    expect(revoked.assertionMethod).toEqual([newIds.jose, newIds.dataIntegrity]);
    expect(revoked.authentication).toEqual([newIds.jose, newIds.dataIntegrity]);
    for (const signed of before) {
      expect(failedStep(await verify(signed, { didDocuments: [revoked], clock: NOW }))).toMatchObject({
        name: 'key',
        code: 'KEY_NOT_IN_ASSERTION_METHOD',
      });
    }
    expect((await verify(after, { didDocuments: [revoked], clock: NOW })).verified).toBe(true);

    // a method gone from the document entirely
    const gone = { ...revoked, verificationMethod: revoked.verificationMethod?.filter((m) => m.id !== oldIds.jose) };
    expect(failedStep(await verify(before[0], { didDocuments: [gone], clock: NOW }))).toMatchObject({
      name: 'key',
      code: 'KEY_NOT_FOUND',
    });
  });
});
