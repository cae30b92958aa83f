import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { issue } from '../../src/issue.js';
import { signCompactJws } from '../../src/secure/jose/sign.js';
import { validate } from '../../src/validate/validate.js';
import { failedStep, reportFromValidation } from '../../src/verify/report.js';
import type { StatusListResolver } from '../../src/verify/status.js';
import { verify } from '../../src/verify/verify.js';
import { NOW, smallCredential, testIssuer } from '../secure/helpers.js';

const STATUS = {
  id: 'https://status.example/list/1#7',
  type: 'BitstringStatusListEntry',
  statusPurpose: 'revocation',
  statusListIndex: '7',
  statusListCredential: 'https://status.example/list/1',
};

describe('verification pipeline', () => {
  it('the status step takes a pluggable resolver: valid, revoked, suspended, unavailable', async () => {
    const issuer = await testIssuer();
    const signed = await issue(smallCredential(issuer.did, { credentialStatus: STATUS }), {
      format: 'jose',
      signer: issuer.jose,
    });
    const base = { didDocuments: [issuer.document], clock: NOW };
    const withStatus = (status: Awaited<ReturnType<StatusListResolver['check']>>['status']): StatusListResolver => ({
      check: async () => ({ status }),
    });

    const none = await verify(signed, base);
    expect(none.verified).toBe(true);
    expect(none.warnings.map((w) => w.code)).toEqual(['STATUS_UNAVAILABLE']);
    const valid = await verify(signed, { ...base, status: withStatus('valid') });
    expect(valid.verified).toBe(true);
    expect(valid.warnings).toEqual([]);
    expect(failedStep(await verify(signed, { ...base, status: withStatus('revoked') }))).toMatchObject({
      name: 'status',
      code: 'CREDENTIAL_REVOKED',
    });
    expect(failedStep(await verify(signed, { ...base, status: withStatus('suspended') }))).toMatchObject({
      name: 'status',
      code: 'CREDENTIAL_SUSPENDED',
    });
    const throwing: StatusListResolver = {
      check: async () => {
        throw new Error('offline');
      },
    };
    expect((await verify(signed, { ...base, status: throwing })).warnings[0]).toMatchObject({
      code: 'STATUS_UNAVAILABLE',
      path: '/credentialStatus',
    });
    expect(failedStep(await verify(signed, { ...base, status: throwing, requireStatus: true }))).toMatchObject({
      name: 'status',
      code: 'STATUS_UNAVAILABLE',
    });
  });

  it('an invalid credential with a good signature fails at the validation step, with the validation report embedded', async () => {
    const issuer = await testIssuer();
    const bad = smallCredential(issuer.did, { validFrom: 'not a date' });
    const jws = await signCompactJws(bad, issuer.jose);
    const report = await verify(jws, { didDocuments: [issuer.document], clock: NOW });
    const step = failedStep(report);
    expect(step).toMatchObject({ name: 'validation', code: 'VALIDATION_FAILED' });
    expect(step?.validation?.valid).toBe(false);
    expect(step?.validation?.errors.length).toBeGreaterThan(0);
  });

  it('header alg must match the key type, and typ application/vc+jwt is the same as vc+jwt', async () => {
    const issuer = await testIssuer();
    const jws = await signCompactJws(smallCredential(issuer.did), issuer.jose);
    const [h, p, s] = jws.split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>;
    const relabel = (extra: Record<string, unknown>) =>
      `${base64url.encode(JSON.stringify({ ...header, ...extra }))}.${p}.${s}`;
    expect(
      failedStep(await verify(relabel({ alg: 'ES256' }), { didDocuments: [issuer.document], clock: NOW })),
    ).toMatchObject({ name: 'signature', code: 'KEY_ALGORITHM_MISMATCH' });
    expect(
      failedStep(await verify(relabel({ alg: 'RS256' }), { didDocuments: [issuer.document], clock: NOW })),
    ).toMatchObject({ name: 'header', code: 'JOSE_ALG_UNSUPPORTED' });
    // a re-labelled header invalidates the signature, so re-sign with the application/ spelling
    const signer = { ...issuer.jose };
    const signingInput = `${base64url.encode(JSON.stringify({ ...header, typ: 'application/vc+jwt' }))}.${p}`;
    const sig = base64url.encode(await signer.sign(new TextEncoder().encode(signingInput)));
    expect((await verify(`${signingInput}.${sig}`, { didDocuments: [issuer.document], clock: NOW })).verified).toBe(
      true,
    );
  });

  it('a validation report has the same shape as a verification report', async () => {
    const credential = smallCredential('did:web:issuer.example.com');
    const report = reportFromValidation(credential, await validate(credential));
    expect(report).toMatchObject({
      verified: true,
      kind: 'credential',
      format: null,
      issuer: 'did:web:issuer.example.com',
    });
    expect(report.steps).toEqual([expect.objectContaining({ name: 'validation', ok: true })]);
  });

  it('a Data Integrity credential with an unknown context fails canonicalization without any fetch', async () => {
    const issuer = await testIssuer();
    const signed = await issue(smallCredential(issuer.did), {
      format: 'eddsa-rdfc-2022',
      signer: issuer.dataIntegrity,
    });
    const unknown = {
      ...signed,
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://unknown.example/context.jsonld'],
    };
    const step = failedStep(await verify(unknown, { didDocuments: [issuer.document], clock: NOW }));
    expect(step).toMatchObject({ name: 'signature', code: 'PROOF_CANONICALIZATION_FAILED' });
    expect(step?.message).toContain('CONTEXT_UNKNOWN');
  });
});
