import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { didWebUrl } from '../../src/keys/did.js';
import { didKeyOf, resolveDidKey } from '../../src/keys/did-key.js';
import { fetchDidWebDocument, isPublicAddress } from '../../src/keys/did-web-https.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { multibaseToPublicJwk, publicJwkToMultibase } from '../../src/keys/jwk.js';
import { methodIdFor, readPrivateKeyFile, writePrivateKeyFile } from '../../src/keys/key-file.js';
import { createDidResolver, LocalDidStore } from '../../src/keys/resolver.js';
import { verifyRawSignature } from '../../src/secure/lib/raw-signature.js';

describe('keys', () => {
  it('Multikey encodings round-trip for Ed25519, P-256 and P-384', () => {
    for (const algorithm of ['EdDSA', 'ES256', 'ES384'] as const) {
      const { publicJwk } = generateKeyPair(algorithm);
      const multibase = publicJwkToMultibase(publicJwk);
      expect(multibase.slice(0, 4)).toBe({ EdDSA: 'z6Mk', ES256: 'zDna', ES384: 'z82L' }[algorithm]);
      expect(multibaseToPublicJwk(multibase)).toEqual(publicJwk);
    }
  });

  it('a known did:key (Ed25519, from the did:key spec) resolves to its Multikey', () => {
    const did = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
    const doc = resolveDidKey(did);
    expect(doc.assertionMethod).toEqual([`${did}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK`]);
    expect(multibaseToPublicJwk('z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK').crv).toBe('Ed25519');
    const { publicJwk } = generateKeyPair('ES256');
    expect(didKeyOf(publicJwk).did).toMatch(/^did:key:zDna/);
  });

  it('private key files are written 0600 and carry the kid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'untp-keys-'));
    const { privateJwk, publicJwk } = generateKeyPair();
    const path = join(dir, 'key.jwk.json');
    writePrivateKeyFile(path, { ...privateJwk, kid: 'did:web:example.com#k1' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const read = readPrivateKeyFile(path);
    expect(methodIdFor(read, 'jose')).toBe('did:web:example.com#k1');
    expect(methodIdFor(read, 'data-integrity')).toBe(`did:web:example.com#${publicJwkToMultibase(publicJwk)}`);
    expect(() => writePrivateKeyFile(path, privateJwk)).toThrow(); // never overwritten
  });

  it('raw signatures refuse the wrong length and the wrong key', () => {
    const a = generateKeyPair();
    const b = generateKeyPair();
    expect(verifyRawSignature('EdDSA', a.publicJwk, new Uint8Array(3), new Uint8Array(63))).toBe(false);
    expect(verifyRawSignature('EdDSA', b.publicJwk, new Uint8Array(3), new Uint8Array(64))).toBe(false);
  });
});

describe('DID resolution', () => {
  it('did:web URLs follow the method spec', () => {
    expect(didWebUrl('did:web:example.com').href).toBe('https://example.com/.well-known/did.json');
    expect(didWebUrl('did:web:example.com:issuers:mine-001').href).toBe(
      'https://example.com/issuers/mine-001/did.json',
    );
    expect(didWebUrl('did:web:example.com%3A8443').href).toBe('https://example.com:8443/.well-known/did.json');
    expect(() => didWebUrl('did:web:example.com:..')).toThrow(expect.objectContaining({ code: 'DID_INVALID' }));
  });

  it('the local store answers; nothing else is fetched unless allowed', async () => {
    const store = new LocalDidStore().addFiles([
      'test/fixtures/untp/0.7.0/did/did-web-uncefact.github.io-project-vckit-test-and-development.did.json',
    ]);
    const resolver = createDidResolver({ store });
    expect(
      (await resolver.resolve('did:web:uncefact.github.io:project-vckit:test-and-development')).verificationMethod,
    ).toHaveLength(5);
    await expect(resolver.resolve('did:web:example.com')).rejects.toMatchObject({ code: 'DID_NOT_FOUND' });
    await expect(resolver.resolve('did:ion:abc')).rejects.toMatchObject({ code: 'DID_METHOD_UNSUPPORTED' });
    await expect(resolver.resolve('not-a-did')).rejects.toMatchObject({ code: 'DID_INVALID' });
    expect(() => new LocalDidStore().addFiles(['package.json'])).toThrow(
      expect.objectContaining({ code: 'DID_DOCUMENT_INVALID' }),
    );
  });

  it('HTTPS resolution refuses loopback, private and link-local addresses before connecting', async () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
      '100.64.0.1',
    ]) {
      expect(isPublicAddress(address)).toBe(false);
    }
    for (const address of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '8.8.8.8'])
      expect(isPublicAddress(address)).toBe(true);
    await expect(fetchDidWebDocument('did:web:127.0.0.1%3A8443', { timeoutMs: 1000 })).rejects.toMatchObject({
      code: 'DID_WEB_ADDRESS_REFUSED',
    });
    // a name that resolves to loopback is refused at connection time
    await expect(fetchDidWebDocument('did:web:localhost%3A9', { timeoutMs: 2000 })).rejects.toMatchObject({
      code: 'DID_WEB_ADDRESS_REFUSED',
    });
    const resolver = createDidResolver({ https: { timeoutMs: 2000 } });
    await expect(resolver.resolve('did:web:localhost')).rejects.toMatchObject({ code: 'DID_WEB_ADDRESS_REFUSED' });
  });
});
