import { readFileSync } from 'node:fs';
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { createLocalSigner } from '../../src/keys/signer.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { signCompactJws } from '../../src/secure/jose/sign.js';
import { failedStep } from '../../src/verify/report.js';
import { verify } from '../../src/verify/verify.js';

const FIXTURES = 'test/fixtures/untp/0.7.0';
const enveloped = JSON.parse(readFileSync(`${FIXTURES}/enveloped/sample-enveloped-dpp-v0.7.0.json`, 'utf8')) as {
  id: string;
};
const didDocument = JSON.parse(
  readFileSync(`${FIXTURES}/did/did-web-uncefact.github.io-project-vckit-test-and-development.did.json`, 'utf8'),
) as Record<string, unknown>;
const ISSUER = 'did:web:uncefact.github.io:project-vckit:test-and-development';
const jws = enveloped.id.slice('data:application/vc+jwt,'.length);
const [header, payload, signature] = jws.split('.') as [string, string, string];
const now = () => new Date('2026-01-01T00:00:00Z');

const envelope = (compact: string) => ({ ...enveloped, id: `data:application/vc+jwt,${compact}` });
const failure = async (input: unknown, clock = now) =>
  failedStep(await verify(input, { didDocuments: [didDocument], clock }));

describe('the signed UNTP DPP sample (VC-JOSE-COSE)', () => {
  it('verifies offline with its DID document, with a STATUS_UNAVAILABLE warning', async () => {
    const report = await verify(enveloped, { didDocuments: [didDocument], clock: now });
    expect(report.steps.map((s) => [s.name, s.ok])).toEqual([
      ['decode', true],
      ['header', true],
      ['key', true],
      ['signature', true],
      ['validation', true],
      ['validity', true],
      ['status', true],
    ]);
    expect(report.verified).toBe(true);
    expect(report.format).toBe('jose');
    expect(report.issuer).toBe(ISSUER);
    expect(report.credential?.id).toBe('https://credentials.sample-mine.example.com/dpp/cu-conc-2025');
    expect(report.warnings.map((w) => w.code)).toContain('STATUS_UNAVAILABLE');
    expect(report.steps.find((s) => s.name === 'validation')?.validation?.untpVersion).toBe('0.7.0');
  });

  it('verifies as a bare compact JWS too, and fails under requireStatus', async () => {
    expect((await verify(jws, { didDocuments: [didDocument], clock: now })).verified).toBe(true);
    const strict = await verify(jws, { didDocuments: [didDocument], clock: now, requireStatus: true });
    expect(failedStep(strict)).toMatchObject({ name: 'status', code: 'STATUS_UNAVAILABLE' });
  });

  it('without the DID document it fails at the key step with DID_NOT_FOUND (no network)', async () => {
    expect(failedStep(await verify(enveloped, { clock: now }))).toMatchObject({ name: 'key', code: 'DID_NOT_FOUND' });
  });

  it('one changed character in the payload fails the signature', async () => {
    const text = Buffer.from(payload, 'base64url')
      .toString('utf8')
      .replace('Copper Concentrate (Cu 30%)', 'Copper Concentrate (Cu 31%)');
    expect(await failure(envelope(`${header}.${base64url.encode(text)}.${signature}`))).toMatchObject({
      name: 'signature',
      code: 'SIGNATURE_INVALID',
    });
  });

  it('a header alg swapped to none or HS256 is refused', async () => {
    for (const alg of ['none', 'HS256']) {
      const h = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
      const swapped = base64url.encode(JSON.stringify({ ...h, alg }));
      expect(await failure(envelope(`${swapped}.${payload}.${signature}`))).toMatchObject({
        name: 'header',
        code: 'JOSE_ALG_REFUSED',
      });
      expect(await failure(envelope(`${swapped}.${payload}.`))).toMatchObject({
        name: 'header',
        code: 'JOSE_ALG_REFUSED',
      });
    }
  });

  it('a wrong typ is refused', async () => {
    const h = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(
      await failure(envelope(`${base64url.encode(JSON.stringify({ ...h, typ: 'JWT' }))}.${payload}.${signature}`)),
    ).toMatchObject({ name: 'header', code: 'JOSE_TYP_INVALID' });
  });

  it('a kid of another DID is refused, even when its signature is good', async () => {
    const other = generateKeyPair();
    const signer = createLocalSigner(other.privateJwk, 'did:web:attacker.example#key-1');
    const credential = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(await failure(await signCompactJws(credential, signer))).toMatchObject({
      name: 'key',
      code: 'KEY_ISSUER_MISMATCH',
    });
  });

  it('an expired credential fails the validity step', async () => {
    expect(await failure(enveloped, () => new Date('2041-01-01T00:00:00Z'))).toMatchObject({
      name: 'validity',
      code: 'CREDENTIAL_EXPIRED',
    });
    expect(await failure(enveloped, () => new Date('2024-01-01T00:00:00Z'))).toMatchObject({
      name: 'validity',
      code: 'CREDENTIAL_NOT_YET_VALID',
    });
  });

  it('a signature whose last base64url character changes but decodes to the same bytes is refused', async () => {
    // 64 bytes → 86 characters carrying 516 bits: the last character has 4 unused bits.
    const last = signature.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const index = alphabet.indexOf(last);
    const twin = alphabet[(index & ~3) + ((index & 3) === 0 ? 1 : 0)] as string;
    const altered = `${signature.slice(0, -1)}${twin}`;
    expect(Buffer.from(altered, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
    expect(altered).not.toBe(signature);
    expect(await failure(envelope(`${header}.${payload}.${altered}`))).toMatchObject({
      name: 'decode',
      code: 'JWS_BASE64URL_NONCANONICAL',
    });
  });

  it('never throws on bad input', async () => {
    for (const input of [
      null,
      42,
      'not a jws',
      [],
      { type: 'EnvelopedVerifiableCredential', id: 'https://x' },
      { foo: 1 },
      'a.b.c',
    ]) {
      const report = await verify(input);
      expect(report.verified).toBe(false);
      expect(failedStep(report)?.name).toBe('decode');
    }
  });
});
