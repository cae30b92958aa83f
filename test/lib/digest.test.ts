import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDigest } from '../../src/cli/digest.js';
import { checkDigest, decodeDigestMultibase, digestMultibase, jwsOf, jwsPayload } from '../../src/lib/digest.js';

// An independent base58btc encoder, so the test does not just call multiformats back.
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58(bytes: Uint8Array): string {
  let n = BigInt('0x' + Buffer.from(bytes).toString('hex'));
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = '1' + out;
  }
  return out;
}

const jws =
  'eyJhbGciOiJFZERTQSIsImtpZCI6ImRpZDp3ZWI6ZXhhbXBsZSNrIiwidHlwIjoidmMrand0IiwiY3R5IjoidmMifQ.eyJpZCI6Imh0dHBzOi8vci5leGFtcGxlL2MvMSIsInR5cGUiOlsiVmVyaWZpYWJsZUNyZWRlbnRpYWwiXX0.c2lnbmF0dXJl';

describe('digestMultibase', () => {
  it('is z + base58btc of the sha2-256 multihash (0x12 0x20 ‖ digest) of the exact bytes', () => {
    const expected =
      'z' + base58(Buffer.concat([Buffer.from([0x12, 0x20]), createHash('sha256').update(jws, 'utf8').digest()]));
    expect(digestMultibase(jws)).toBe(expected);
    expect(digestMultibase(new TextEncoder().encode(jws))).toBe(expected);
    expect(digestMultibase(jws)).toMatch(/^zQm/);
  });

  it('checks z and u (base64url) forms, and rejects other bytes', () => {
    const z = digestMultibase(jws);
    const u =
      'u' + Buffer.concat([Buffer.from([0x12, 0x20]), createHash('sha256').update(jws).digest()]).toString('base64url');
    expect(checkDigest(jws, z)).toBe(true);
    expect(checkDigest(jws, u)).toBe(true);
    expect(checkDigest(jws + ' ', z)).toBe(false);
    expect(checkDigest(jws.replace('c2lnbmF0dXJl', 'c2lnbmF0dXJm'), u)).toBe(false);
  });

  it('refuses what is not a sha2-256 multibase multihash', () => {
    for (const bad of [
      '',
      'QmNotMultibase',
      'mAAAA',
      'z1111',
      'u' + Buffer.from([0x13, 0x20, ...new Array(32).fill(1)]).toString('base64url'),
    ]) {
      expect(() => decodeDigestMultibase(bad), bad).toThrow(expect.objectContaining({ code: 'DIGEST_INVALID' }));
    }
  });
});

describe('jwsOf / jwsPayload', () => {
  it('takes a compact JWS or the id of an enveloped credential, never the JSON bytes', () => {
    expect(jwsOf(`  ${jws}\n`)).toBe(jws);
    const enveloped = JSON.stringify({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: 'EnvelopedVerifiableCredential',
      id: `data:application/vc+jwt,${jws}`,
    });
    expect(jwsOf(enveloped)).toBe(jws);
    expect(() => jwsOf('{"id":"https://x.example/1"}')).toThrow(expect.objectContaining({ code: 'JWS_NOT_FOUND' }));
    expect(() => jwsOf('not json')).toThrow(expect.objectContaining({ code: 'JWS_NOT_FOUND' }));
    expect(jwsPayload(jws)).toEqual({ id: 'https://r.example/c/1', type: ['VerifiableCredential'] });
    expect(() => jwsPayload('a.b.c')).toThrow(expect.objectContaining({ code: 'JWS_INVALID' }));
  });
});

describe('untp-credits digest FILE [--check DIGEST]', () => {
  const dir = mkdtempSync(join(tmpdir(), 'untp-credits-digest-'));
  const jwsFile = join(dir, 'c.jwt');
  const envelopedFile = join(dir, 'c.json');
  writeFileSync(jwsFile, `${jws}\n`);
  writeFileSync(
    envelopedFile,
    JSON.stringify({ type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${jws}` }, null, 2),
  );
  const run = (file: string, options: { check?: string }) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = runDigest(
      file,
      options,
      (l) => out.push(l),
      (l) => err.push(l),
    );
    return { code, out, err };
  };

  it('prints the same digest for a JWS file and its envelope', () => {
    expect(run(jwsFile, {})).toEqual({ code: 0, out: [digestMultibase(jws)], err: [] });
    expect(run(envelopedFile, {}).out).toEqual([digestMultibase(jws)]);
  });

  it('--check exits 0 on a match, 1 on a mismatch, 2 on a malformed digest or unreadable file', () => {
    expect(run(envelopedFile, { check: digestMultibase(jws) }).code).toBe(0);
    expect(run(jwsFile, { check: digestMultibase(jws + 'x') }).code).toBe(1);
    expect(run(jwsFile, { check: 'not-a-digest' }).code).toBe(2);
    expect(run(join(dir, 'missing.jwt'), {}).code).toBe(2);
    const plainJson = join(dir, 'plain.json');
    writeFileSync(plainJson, '{"id":"https://x.example/1"}');
    expect(run(plainJson, {})).toMatchObject({ code: 2, err: [expect.stringContaining('JWS_NOT_FOUND')] });
  });
});
