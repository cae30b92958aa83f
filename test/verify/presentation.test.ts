import { describe, expect, it } from 'vitest';
import { issue } from '../../src/issue.js';
import { createPresentation, signPresentation } from '../../src/secure/presentation/sign.js';
import { verifyPresentation } from '../../src/verify/presentation.js';
import { failedStep } from '../../src/verify/report.js';
import { verify } from '../../src/verify/verify.js';
import { NOW, smallCredential, testIssuer } from '../secure/helpers.js';

describe('verifiable presentations', () => {
  for (const format of ['jose', 'eddsa-rdfc-2022', 'ecdsa-rdfc-2019'] as const) {
    it(`${format}: signs and verifies with challenge and domain; each inner credential is verified`, async () => {
      const algorithm = format === 'ecdsa-rdfc-2019' ? 'ES256' : 'EdDSA';
      const issuer = await testIssuer('did:web:mine.example.com', algorithm);
      const holder = await testIssuer('did:web:smelter.example.com', algorithm);
      const signerFor = (who: typeof issuer) => (format === 'jose' ? who.jose : who.dataIntegrity);
      const credential = await issue(smallCredential(issuer.did), { format, signer: signerFor(issuer) });
      const presentation = createPresentation(holder.did, [credential]);
      const signed = await signPresentation(presentation, {
        format,
        signer: signerFor(holder),
        challenge: 'c-123',
        domain: 'https://verifier.example',
      });

      const options = { didDocuments: [issuer.document, holder.document], clock: NOW };
      const report = await verify(signed, { ...options, challenge: 'c-123', domain: 'https://verifier.example' });
      expect(failedStep(report)).toBeUndefined();
      expect(report).toMatchObject({ verified: true, kind: 'presentation', format, issuer: holder.did });
      expect(report.steps.map((s) => s.name)).toEqual([
        'decode',
        format === 'jose' ? 'header' : 'proof',
        'key',
        'signature',
        'challenge',
        'validation',
        'credentials',
      ]);
      expect(report.credentials).toHaveLength(1);
      expect(report.credentials?.[0]).toMatchObject({ verified: true, issuer: issuer.did, format });

      expect(
        failedStep(
          await verifyPresentation(signed, { ...options, challenge: 'c-999', domain: 'https://verifier.example' }),
        ),
      ).toMatchObject({ name: 'challenge', code: 'PRESENTATION_CHALLENGE_MISMATCH' });
      expect(
        failedStep(
          await verifyPresentation(signed, { ...options, challenge: 'c-123', domain: 'https://evil.example' }),
        ),
      ).toMatchObject({ name: 'challenge', code: 'PRESENTATION_DOMAIN_MISMATCH' });
      const unchecked = await verifyPresentation(signed, options);
      expect(unchecked.warnings.map((w) => w.code)).toContain('PRESENTATION_CHALLENGE_NOT_CHECKED');

      // a presentation whose inner credential is broken fails at the credentials step
      const broken = await signPresentation(
        createPresentation(holder.did, [
          format === 'jose'
            ? { ...credential, id: String(credential.id).replace(/.{4}$/, 'AAAA') }
            : { ...credential, credentialSubject: { id: 'did:example:x' } },
        ]),
        { format, signer: signerFor(holder), challenge: 'c-123', domain: 'https://verifier.example' },
      );
      expect(
        failedStep(await verify(broken, { ...options, challenge: 'c-123', domain: 'https://verifier.example' })),
      ).toMatchObject({ name: 'credentials', code: 'PRESENTATION_CREDENTIAL_FAILED' });
    });
  }

  it('JOSE: challenge and domain travel as nonce and aud, and stay out of the JSON-LD check', async () => {
    const holder = await testIssuer('did:web:smelter.example.com');
    const signed = await signPresentation(createPresentation(holder.did, []), {
      format: 'jose',
      signer: holder.jose,
      challenge: 'n-1',
      domain: 'https://verifier.example',
    });
    const [h, p] = String(signed.id).slice('data:application/vp+jwt,'.length).split('.') as [string, string];
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toMatchObject({
      typ: 'vp+jwt',
      cty: 'vp',
      kid: holder.jose.keyId,
    });
    expect(JSON.parse(Buffer.from(p, 'base64url').toString())).toMatchObject({
      nonce: 'n-1',
      aud: 'https://verifier.example',
      holder: holder.did,
    });
    const report = await verify(signed, {
      didDocuments: [holder.document],
      challenge: 'n-1',
      domain: 'https://verifier.example',
    });
    expect(report.verified).toBe(true);
    expect(report.credential).not.toHaveProperty('nonce');
    expect(report.steps.find((s) => s.name === 'validation')?.validation?.errors).toEqual([]);
  });

  it('the holder must sign with its own key, listed under authentication', async () => {
    const holder = await testIssuer('did:web:smelter.example.com');
    await expect(
      signPresentation(createPresentation('did:web:other.example', []), { format: 'jose', signer: holder.jose }),
    ).rejects.toMatchObject({ code: 'HOLDER_KEY_MISMATCH' });
    const signed = await signPresentation(createPresentation(holder.did, []), {
      format: 'eddsa-rdfc-2022',
      signer: holder.dataIntegrity,
      challenge: 'c',
    });
    const noAuthentication = { ...holder.document, authentication: [] };
    expect(failedStep(await verify(signed, { didDocuments: [noAuthentication], challenge: 'c' }))).toMatchObject({
      name: 'key',
      code: 'KEY_NOT_IN_AUTHENTICATION',
    });
    // a credential-purpose proof is not a presentation proof
    const asCredential = { ...signed, proof: { ...(signed.proof as object), proofPurpose: 'assertionMethod' } };
    expect(failedStep(await verify(asCredential, { didDocuments: [holder.document], challenge: 'c' }))).toMatchObject({
      name: 'proof',
      code: 'PROOF_PURPOSE_MISMATCH',
    });
  });

  for (const format of ['jose', 'eddsa-rdfc-2022'] as const) {
    it(`${format}: a challenge or domain given for a plain credential fails (NOT_A_PRESENTATION), never passes unchecked`, async () => {
      const issuer = await testIssuer('did:web:mine.example.com');
      const credential = await issue(smallCredential(issuer.did), {
        format,
        signer: format === 'jose' ? issuer.jose : issuer.dataIntegrity,
      });
      const options = { didDocuments: [issuer.document], clock: NOW };
      // Positive control: the same credential verifies when nothing binds it.
      expect(await verify(credential, options)).toMatchObject({ verified: true, kind: 'credential' });
      for (const binding of [
        { challenge: 'c-123' },
        { domain: 'https://verifier.example' },
        { challenge: 'c', domain: 'd' },
      ]) {
        const report = await verify(credential, { ...options, ...binding });
        expect(report.verified, JSON.stringify(binding)).toBe(false);
        expect(failedStep(report)).toMatchObject({ name: 'challenge', code: 'NOT_A_PRESENTATION' });
        // The signature was still checked: the failure is the binding, not the credential.
        expect(report.steps.find((s) => s.name === 'signature')).toMatchObject({ ok: true });
      }
    });
  }
});
