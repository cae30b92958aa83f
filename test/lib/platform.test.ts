import { readdirSync, readFileSync } from 'node:fs';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { verify } from '../../src/index.js';
import { hash } from '../../src/lib/hash.js';
import { usePortableCodeOnly } from '../../src/lib/platform.js';
import { decodeBase64url, encodeBase64url } from '../../src/lib/base64url.js';
import { digestMultibase, jwsOf } from '../../src/lib/digest.js';
import { decodeBitstring, emptyBitstring, encodeBitstring, setBit } from '../../src/status/bitstring.js';
import { multibaseToPublicJwk, publicJwkToMultibase } from '../../src/keys/jwk.js';
import { verifyRawSignature } from '../../src/secure/lib/raw-signature.js';
import type { PublicJwk } from '../../src/keys/types.js';

// The root entry runs without node: built-ins (a browser bundle): lib/platform.ts hands out Node's
// modules when present and the code falls back to portable ones. These tests run the portable
// paths on Node and hold them to the native ones; test/browser/root-entry.test.ts runs the bundle.

const file = (path: string) => JSON.parse(readFileSync(new URL(`../../examples/${path}`, import.meta.url), 'utf8'));
const readText = (path: string) => readFileSync(new URL(`../../examples/${path}`, import.meta.url), 'utf8');
const didDocuments = ['registry.mineral-credits.example', 'elbe-cells.example', 'lindqvist-kabel.example'].map((host) =>
  file(`keys/${host}.did.json`),
);

afterEach(() => usePortableCodeOnly(false));

function portable<T>(run: () => T): T {
  usePortableCodeOnly(true);
  try {
    return run();
  } finally {
    usePortableCodeOnly(false);
  }
}

describe('portable code paths give the native answers', () => {
  it('sha256 and sha384 (@noble/hashes) equal node:crypto for strings and bytes of many lengths', () => {
    for (let length = 0; length < 300; length += 7) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 31 + length) & 255);
      const text = 'é€𝄞'.repeat(length % 11) + String(length);
      for (const name of ['sha256', 'sha384'] as const) {
        const native = createHash(name).update(bytes).digest('hex');
        expect(Buffer.from(portable(() => hash(name, bytes))).toString('hex')).toBe(native);
        expect(Buffer.from(portable(() => hash(name, text))).toString('hex')).toBe(
          createHash(name).update(text, 'utf8').digest('hex'),
        );
      }
    }
  });

  it('base64url round-trips the same both ways', () => {
    const bytes = Uint8Array.from({ length: 257 }, (_, i) => (i * 131) & 255);
    expect(encodeBase64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    expect(decodeBase64url(Buffer.from(bytes).toString('base64url'))).toEqual(bytes);
  });

  it('a status list gzipped by one side is read by the other; a gzip bomb is refused by both', () => {
    const bits = setBit(setBit(emptyBitstring(), 7), 131_000);
    const native = encodeBitstring(bits);
    const portableList = portable(() => encodeBitstring(bits));
    expect(portable(() => decodeBitstring(native))).toEqual(bits);
    expect(decodeBitstring(portableList)).toEqual(bits);
    // 17 MiB of zeros: beyond the 16 MiB a decoder accepts.
    const bomb = `u${Buffer.from(gzipSync(new Uint8Array(17 * 1024 * 1024))).toString('base64url')}`;
    expect(() => decodeBitstring(bomb)).toThrow(expect.objectContaining({ code: 'STATUS_LIST_INVALID' }));
    expect(() => portable(() => decodeBitstring(bomb))).toThrow(
      expect.objectContaining({ code: 'STATUS_LIST_INVALID' }),
    );
  });

  it('EC Multikeys decompress (@noble/curves) to the point node:crypto finds', () => {
    for (const namedCurve of ['P-256', 'P-384'] as const) {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve });
      const jwk = publicKey.export({ format: 'jwk' }) as PublicJwk;
      const round = multibaseToPublicJwk(publicJwkToMultibase(jwk));
      expect(round).toEqual({ kty: 'EC', crv: namedCurve, x: jwk.x, y: jwk.y });
    }
    // A compressed x that is not on the curve is refused.
    expect(() => multibaseToPublicJwk('zDnaeXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX')).toThrow(
      expect.objectContaining({ code: 'KEY_INVALID' }),
    );
  });

  it('raw signatures (Ed25519, ES256, ES384) verify the same with @noble/curves, and a changed byte fails both', () => {
    const data = new TextEncoder().encode('untp-credits');
    for (const [type, options, alg] of [
      ['ed25519', {}, 'EdDSA'],
      ['ec', { namedCurve: 'P-256' }, 'ES256'],
      ['ec', { namedCurve: 'P-384' }, 'ES384'],
    ] as const) {
      const { privateKey, publicKey } = generateKeyPairSync(type as 'ec', options as { namedCurve: string });
      const jwk = publicKey.export({ format: 'jwk' }) as PublicJwk;
      const signature = new Uint8Array(
        sign(alg === 'EdDSA' ? null : alg === 'ES256' ? 'sha256' : 'sha384', data, {
          key: privateKey,
          dsaEncoding: 'ieee-p1363',
        }),
      );
      expect(verifyRawSignature(alg, jwk, data, signature), alg).toBe(true);
      expect(
        portable(() => verifyRawSignature(alg, jwk, data, signature)),
        alg,
      ).toBe(true);
      const changed = Uint8Array.from(signature);
      changed[5]! ^= 1;
      expect(verifyRawSignature(alg, jwk, data, changed), alg).toBe(false);
      expect(
        portable(() => verifyRawSignature(alg, jwk, data, changed)),
        alg,
      ).toBe(false);
    }
  });

  it('every signed example verifies with the portable code alone, and a changed signature fails', async () => {
    usePortableCodeOnly(true);
    const signedFiles = readdirSync(new URL('../../examples/', import.meta.url), { recursive: true })
      .map(String)
      .filter((path) => path.endsWith('.signed.json'));
    expect(signedFiles.length).toBeGreaterThan(3);
    for (const name of signedFiles) {
      const signed = file(name);
      const report = await verify(signed, { didDocuments });
      expect(
        report.steps.filter((s) => !s.ok),
        name,
      ).toEqual([]);
      expect(report.verified, name).toBe(true);
      const jws = jwsOf(JSON.stringify(signed));
      const last = jws.at(-2) === 'A' ? 'B' : 'A';
      const tampered = { ...signed, id: `data:application/vc+jwt,${jws.slice(0, -2)}${last}${jws.at(-1)}` };
      const broken = await verify(tampered, { didDocuments });
      expect(broken.verified, name).toBe(false);
      expect(broken.steps.find((s) => !s.ok)?.name, name).toBe('signature');
    }
  });

  it('digestMultibase is the same both ways: the retirement cites its issuance by it', () => {
    const issuance = jwsOf(readText('cobalt/issuance.signed.json'));
    expect(portable(() => digestMultibase(issuance))).toBe(digestMultibase(issuance));
  });
});
