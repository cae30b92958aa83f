import fc from 'fast-check';
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { decodeCanonicalBase64url } from '../../src/secure/lib/base64url.js';
import { verify } from '../../src/verify/verify.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('canonical base64url', () => {
  it('accepts exactly the canonical encoding of any bytes, and refuses every same-bytes twin', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.integer({ min: 1, max: 15 }), (bytes, flip) => {
        const encoded = base64url.encode(bytes);
        expect(decodeCanonicalBase64url(encoded, 'signature')).toEqual(bytes);
        const unused = (encoded.length * 6) % 8; // bits of the last character that carry nothing
        if (unused === 0 || encoded.length === 0) return;
        const last = ALPHABET.indexOf(encoded.at(-1) as string);
        const twin = `${encoded.slice(0, -1)}${ALPHABET[last ^ (flip & ((1 << unused) - 1))] as string}`;
        if (twin === encoded) return;
        expect(base64url.decode(twin)).toEqual(bytes); // a lenient decoder cannot tell them apart
        expect(() => decodeCanonicalBase64url(twin, 'signature')).toThrow(
          expect.objectContaining({ code: 'JWS_BASE64URL_NONCANONICAL' }),
        );
      }),
    );
  });

  it('refuses padding and characters outside the alphabet', () => {
    for (const bad of ['QQ==', 'a+b/', 'Q', 'ab cd'])
      expect(() => decodeCanonicalBase64url(bad, 'payload')).toThrow(
        expect.objectContaining({ code: 'JWS_MALFORMED' }),
      );
  });
});

describe('verify never throws', () => {
  it('on arbitrary JSON values and JWS-like strings', async () => {
    const jwsLike = fc
      .tuple(fc.string(), fc.string(), fc.string())
      .map(([a, b, c]) => `${base64url.encode(a)}.${base64url.encode(b)}.${c}`);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          jwsLike,
          fc.record({ type: fc.constant('EnvelopedVerifiableCredential'), id: fc.string() }),
          fc.record({ proof: fc.jsonValue() }),
        ),
        async (input) => {
          const report = await verify(input);
          expect(report.verified).toBe(false);
          expect(report.steps.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
