import { createHmac, createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { generateKeyPair } from '../../../src/keys/generate.js';
import { didKeyOf } from '../../../src/keys/did-key.js';
import { createLocalSigner } from '../../../src/keys/signer.js';
import type { PrivateJwk } from '../../../src/keys/types.js';
import { signJoseCredential } from '../../../src/secure/jose/sign.js';
import { createStatusResolver } from '../../../src/status/resolver.js';
import { statusEntry } from '../../../src/status/bitstring.js';
import type { VerifyOptions } from '../../../src/verify/options.js';
import type { Fixtures, Json } from './credentials.js';

/**
 * The hostile-input corpus: inputs a verifier (library or HTTP) must refuse with a clear code, in
 * bounded time, without crashing. Library items carry the codes `verify()` may answer with (the
 * first failed step); the HTTP side posts the same inputs (plus raw-body items) and wants a 4xx.
 */

export interface CorpusItem {
  name: string;
  /** What `verify` gets (and what the server's /credentials/verify gets as verifiableCredential). */
  input: unknown;
  /** Extra options for the library call (e.g. a resolver that may go to the network). */
  options?: VerifyOptions;
  /** Acceptable codes of the first failed step (or of the failed inner step of a presentation). */
  codes: readonly string[];
  /**
   * A gap found by this corpus whose fix belongs to another module's owner (named here): the item
   * must still not crash or hang, and test `known gaps` expects it to keep failing until fixed.
   */
  knownGap?: string;
}

const b64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');
const VC = 'data:application/vc+jwt,';

export function envelopeOf(jws: string): Json {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: 'EnvelopedVerifiableCredential',
    id: `${VC}${jws}`,
  };
}

function edSign(privateJwk: PrivateJwk, data: string): string {
  const key = createPrivateKey({ key: privateJwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
  return Buffer.from(
    cryptoSign(
      privateJwk.kty === 'OKP' ? null : 'sha256',
      Buffer.from(data),
      privateJwk.kty === 'OKP' ? key : { key, dsaEncoding: 'ieee-p1363' },
    ),
  ).toString('base64url');
}

/** A compact JWS over exactly these header and payload bytes, signed with `privateJwk` (EdDSA or ES256). */
export function rawJws(header: unknown, payloadText: string | Buffer, privateJwk: PrivateJwk): string {
  const signingInput = `${b64(header)}.${Buffer.from(payloadText).toString('base64url')}`;
  return `${signingInput}.${edSign(privateJwk, signingInput)}`;
}

export interface Attacker {
  did: string;
  keyId: string;
  privateJwk: PrivateJwk;
}

/** A forger with a self-made did:key (a perfectly good key, just not the registry's). */
export function attacker(): Attacker {
  const keys = generateKeyPair('EdDSA');
  const { did, keyId } = didKeyOf(keys.publicJwk);
  return { did, keyId, privateJwk: keys.privateJwk };
}

/** A small credential by `issuer`. */
export function credentialBy(issuer: string, extra: Json = {}): Json {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: 'urn:uuid:5b0b7f8e-5f0e-4d4c-9a8e-2f1f7e0b9c31',
    type: ['VerifiableCredential'],
    issuer,
    validFrom: '2026-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:subject', name: 'Cobalt hydroxide lot 7' },
    ...extra,
  };
}

function nested(depth: number): unknown {
  // Built iteratively: the corpus itself must not need a deep stack.
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { n: value };
  return value;
}

/** JSON text nested `depth` levels, without building the object. */
export function deepJsonText(depth: number): string {
  return `${'{"n":'.repeat(depth)}0${'}'.repeat(depth)}`;
}

export interface CorpusContext {
  fixtures: Fixtures;
  /** A local HTTP listener URL that must never be contacted (for remote @context). */
  trapUrl: string;
  /** did:web host:port of a local HTTPS listener that redirects every request. */
  redirectDidWeb: string;
  /** Its certificate, for the opt-in loopback resolver. */
  ca: Buffer;
}

export async function libraryCorpus(ctx: CorpusContext): Promise<CorpusItem[]> {
  const { registry } = ctx.fixtures;
  const evil = attacker();
  const issuedByRegistry = credentialBy(registry.did);
  const header = (extra: Json = {}): Json => ({
    alg: 'EdDSA',
    kid: registry.jose.keyId,
    typ: 'vc+jwt',
    cty: 'vc',
    ...extra,
  });
  const payload = JSON.stringify(issuedByRegistry);
  const registryJwk = registry.document.verificationMethod?.find((m) => m.id === registry.jose.keyId)
    ?.publicKeyJwk as Json;
  const hsSecrets: Array<[string, Buffer]> = [
    ['raw public key bytes', Buffer.from(String(registryJwk.x), 'base64url')],
    ['public JWK JSON', Buffer.from(JSON.stringify(registryJwk))],
    ['x as text', Buffer.from(String(registryJwk.x))],
  ];
  const hs256 = (secret: Buffer): string => {
    const input = `${b64(header({ alg: 'HS256' }))}.${b64(payload)}`;
    return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
  };
  const p256 = generateKeyPair('ES256');
  const items: CorpusItem[] = [
    {
      name: 'alg none, empty signature',
      input: envelopeOf(`${b64(header({ alg: 'none' }))}.${b64(payload)}.`),
      codes: ['JOSE_ALG_REFUSED', 'JWS_MALFORMED'],
    },
    {
      name: 'alg none as a bare compact JWS',
      input: `${b64(header({ alg: 'none' }))}.${b64(payload)}.`,
      codes: ['JOSE_ALG_REFUSED', 'JWS_MALFORMED'],
    },
    {
      name: 'alg NONE (case)',
      input: envelopeOf(`${b64(header({ alg: 'NONE' }))}.${b64(payload)}.`),
      codes: ['JOSE_ALG_REFUSED', 'JOSE_ALG_UNSUPPORTED', 'JWS_MALFORMED'],
    },
    ...hsSecrets.map(([what, secret]): CorpusItem => ({
      name: `HS256 with the issuer's ${what} as the secret`,
      input: envelopeOf(hs256(secret)),
      codes: ['JOSE_ALG_REFUSED'],
    })),
    {
      name: 'ES256 header on an Ed25519 key (signed with some P-256 key)',
      input: envelopeOf(rawJws(header({ alg: 'ES256' }), payload, p256.privateJwk)),
      codes: ['KEY_ALGORITHM_MISMATCH', 'SIGNATURE_INVALID'],
    },
    {
      name: 'kid of another DID (the holder signs a credential naming the registry as issuer)',
      input: envelopeOf(
        rawJws(header({ kid: ctx.fixtures.holder.jose.keyId }), payload, ctx.fixtures.holder.privateJwk),
      ),
      codes: ['KEY_ISSUER_MISMATCH'],
    },
    {
      name: 'kid of a self-made did:key while claiming the registry as issuer',
      input: envelopeOf(rawJws(header({ kid: evil.keyId }), payload, evil.privateJwk)),
      codes: ['KEY_ISSUER_MISMATCH'],
    },
    {
      name: 'relative kid',
      input: envelopeOf(rawJws(header({ kid: `#${registry.jose.keyId.split('#')[1]}` }), payload, evil.privateJwk)),
      codes: ['KEY_ID_INVALID', 'KEY_ISSUER_MISMATCH', 'KEY_NOT_FOUND'],
    },
    {
      name: 'kid with a path',
      input: envelopeOf(rawJws(header({ kid: `${registry.did}/../attacker#k` }), payload, evil.privateJwk)),
      codes: ['KEY_ID_INVALID', 'KEY_ISSUER_MISMATCH', 'KEY_NOT_FOUND', 'DID_INVALID'],
    },
    {
      name: 'embedded jwk header (self-certifying key)',
      input: envelopeOf(
        rawJws(
          {
            ...header(),
            jwk: {
              kty: 'OKP',
              crv: 'Ed25519',
              x: String(didKeyOf(generateKeyPair('EdDSA').publicJwk).did).slice(0, 10),
            },
          },
          payload,
          evil.privateJwk,
        ),
      ),
      codes: ['JOSE_HEADER_INVALID', 'SIGNATURE_INVALID', 'JOSE_CRIT_UNSUPPORTED'],
    },
    {
      name: "forger's own valid did:key credential claiming to be the registry in a name",
      input: envelopeOf(
        rawJws(
          { alg: 'EdDSA', kid: evil.keyId, typ: 'vc+jwt' },
          JSON.stringify(credentialBy(evil.did, { issuer: { id: registry.did, name: 'Example Registry' } })),
          evil.privateJwk,
        ),
      ),
      codes: ['KEY_ISSUER_MISMATCH'],
    },
  ];

  // @context pointing somewhere remote, or to file: — refused offline (CONTEXT_UNKNOWN), never fetched.
  for (const [what, context] of [
    ['remote URL (a local trap listener)', ctx.trapUrl],
    ['file: URL', 'file:///etc/passwd'],
    ['http: URL on the metadata address', 'http://169.254.169.254/latest/meta-data/'],
  ] as const) {
    const doc = credentialBy(evil.did, { '@context': ['https://www.w3.org/ns/credentials/v2', context] });
    items.push({
      name: `JOSE: @context to a ${what}`,
      input: await signJoseCredential(doc, createLocalSigner(evil.privateJwk, evil.keyId)),
      codes: ['VALIDATION_FAILED'],
    });
    items.push({
      name: `Data Integrity: @context to a ${what}`,
      input: {
        ...doc,
        proof: {
          type: 'DataIntegrityProof',
          cryptosuite: 'eddsa-rdfc-2022',
          created: '2026-01-01T00:00:00Z',
          verificationMethod: evil.keyId,
          proofPurpose: 'assertionMethod',
          proofValue: 'z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKKJ5VPLf1fMDw8Bi4s',
        },
      },
      codes: ['PROOF_CANONICALIZATION_FAILED', 'CONTEXT_UNKNOWN'],
    });
  }
  // A "billion laughs" context chain: contexts that name further remote contexts (refused at the first
  // URL), and an inline chain of nested scoped contexts (processed within bounds).
  const laughs: Json = {};
  for (let i = 0; i < 10; i++)
    laughs[`lol${i}`] = {
      '@id': `https://attacker.example/lol${i}`,
      '@context': Array.from({ length: 10 }, (_, j) => `https://attacker.example/ctx/${i}/${j}`),
    };
  items.push({
    name: 'billion laughs: scoped contexts naming 100 remote contexts',
    input: await signJoseCredential(
      credentialBy(evil.did, {
        '@context': ['https://www.w3.org/ns/credentials/v2', laughs],
        credentialSubject: { id: 'did:example:s', lol0: { lol1: { lol2: 'x' } } },
      }),
      createLocalSigner(evil.privateJwk, evil.keyId),
    ),
    codes: ['VALIDATION_FAILED'],
  });
  let inline: Json = { leaf: 'https://attacker.example/leaf' };
  let use: unknown = { leaf: 'x' };
  for (let i = 0; i < 7; i++) {
    const scoped: Json = {};
    for (let j = 0; j < 3; j++)
      scoped[`t${i}_${j}`] = { '@id': `https://attacker.example/t${i}_${j}`, '@context': inline };
    inline = scoped;
    use = { [`t${i}_0`]: use };
  }
  // Expired, so that the whole pipeline (JSON-LD validation included) runs before the refusal.
  items.push({
    name: 'billion laughs: inline scoped contexts 7 deep x 3 wide (3^7 definitions), all used (processing stays bounded)',
    input: await signJoseCredential(
      credentialBy(evil.did, {
        '@context': ['https://www.w3.org/ns/credentials/v2', inline],
        validUntil: '2020-01-01T00:00:00Z',
        credentialSubject: { id: 'did:example:s', ...(use as Json) },
      }),
      createLocalSigner(evil.privateJwk, evil.keyId),
    ),
    codes: ['VALIDATION_FAILED', 'CREDENTIAL_EXPIRED'],
  });

  // Size and shape.
  items.push({
    name: '10 MB string as the input',
    input: 'e'.repeat(10 * 1024 * 1024),
    codes: ['JWS_MALFORMED', 'INPUT_INVALID', 'ENVELOPE_INVALID'],
  });
  items.push({
    name: '10 MB envelope id',
    input: envelopeOf(`${b64(header())}.${'A'.repeat(10 * 1024 * 1024)}.AAAA`),
    codes: ['JWS_PAYLOAD_INVALID', 'JWS_MALFORMED', 'SIGNATURE_INVALID', 'INPUT_TOO_LARGE'],
  });
  items.push({
    name: '10 MB field in a signed credential',
    input: envelopeOf(
      rawJws(
        { alg: 'EdDSA', kid: evil.keyId, typ: 'vc+jwt' },
        JSON.stringify({ ...issuedByRegistry, description: 'x'.repeat(10 * 1024 * 1024) }),
        evil.privateJwk,
      ),
    ),
    codes: ['KEY_ISSUER_MISMATCH', 'INPUT_TOO_LARGE'],
  });
  items.push({
    name: '10 000-level nested JSON (object)',
    input: {
      ...credentialBy(evil.did),
      credentialSubject: nested(10_000),
      proof: {
        type: 'DataIntegrityProof',
        cryptosuite: 'eddsa-rdfc-2022',
        verificationMethod: evil.keyId,
        proofPurpose: 'assertionMethod',
        proofValue: 'z1',
      },
    },
    codes: [
      'PROOF_CANONICALIZATION_FAILED',
      'INPUT_TOO_DEEP',
      'PROOF_VALUE_INVALID',
      'PROOF_INVALID',
      'SIGNATURE_INVALID',
    ],
  });
  items.push({
    name: '10 000-level nested JSON in a validly signed JWS payload',
    input: envelopeOf(
      rawJws(
        { alg: 'EdDSA', kid: evil.keyId, typ: 'vc+jwt' },
        JSON.stringify({ ...credentialBy(evil.did), credentialSubject: { id: 'did:example:s' } }).replace(
          /}$/,
          `,"deep":${deepJsonText(10_000)}}`,
        ),
        evil.privateJwk,
      ),
    ),
    codes: ['VALIDATION_FAILED', 'INPUT_TOO_DEEP', 'JWS_PAYLOAD_INVALID'],
  });
  items.push({
    name: 'invalid UTF-8 in a signed JWS payload',
    input: envelopeOf(
      rawJws(
        { alg: 'EdDSA', kid: evil.keyId, typ: 'vc+jwt' },
        Buffer.concat([
          Buffer.from(JSON.stringify(credentialBy(evil.did)).slice(0, -1)),
          Buffer.from(',"x":"\xff\xfe\xc3\x28"}', 'latin1'),
        ]),
        evil.privateJwk,
      ),
    ),
    codes: ['JWS_PAYLOAD_INVALID'],
  });
  items.push({
    name: 'invalid UTF-8 in the protected header',
    input: envelopeOf(
      `${Buffer.from('{"alg":"EdDSA","kid":"\xff"}', 'latin1').toString('base64url')}.${b64(payload)}.AAAA`,
    ),
    codes: ['JWS_HEADER_INVALID'],
  });
  items.push({
    name: 'duplicate JSON keys in a signed payload (issuer twice: parsers disagree)',
    input: envelopeOf(
      rawJws(
        header(),
        JSON.stringify(issuedByRegistry).replace(/^\{/, `{"issuer":"${evil.did}",`),
        registry.privateJwk,
      ),
    ),
    codes: ['JWS_PAYLOAD_INVALID', 'JSON_DUPLICATE_KEY', 'VALIDATION_FAILED'],
  });
  items.push({
    name: 'duplicate JSON keys in the protected header (alg twice)',
    input: envelopeOf(
      `${Buffer.from(`{"alg":"none","kid":"${registry.jose.keyId}","typ":"vc+jwt","alg":"EdDSA"}`).toString('base64url')}.${b64(payload)}.${'A'.repeat(86)}`,
    ),
    codes: ['JWS_HEADER_INVALID', 'JSON_DUPLICATE_KEY', 'SIGNATURE_INVALID'],
  });

  // Numbers: enormous integers and serial ranges beyond 2^53 - 1, validly signed by a forger.
  for (const [what, block] of [
    ['end 2^53', '{"prefix":"CVC-X","start":1,"end":9007199254740992}'],
    ['end 2^64', '{"prefix":"CVC-X","start":1,"end":18446744073709551616}'],
    ['end 1e400 (Infinity)', '{"prefix":"CVC-X","start":1,"end":1e400}'],
    ['start > end', '{"prefix":"CVC-X","start":10,"end":1}'],
    ['negative start', '{"prefix":"CVC-X","start":-5,"end":1}'],
    ['fractional', '{"prefix":"CVC-X","start":1.5,"end":2}'],
  ] as const) {
    const text = JSON.stringify(
      credentialBy(evil.did, { credentialSubject: { id: 'did:example:s', serialBlock: '__BLOCK__' } }),
    ).replace('"__BLOCK__"', block);
    items.push({
      name: `serial block ${what}`,
      input: envelopeOf(rawJws({ alg: 'EdDSA', kid: evil.keyId, typ: 'vc+jwt' }, text, evil.privateJwk)),
      codes: ['VALIDATION_FAILED'],
    });
  }

  // Status lists: a hostile list claiming a huge length (a gzip bomb), a huge index.
  const listUrl = 'https://registry.mineral-credits.example/registry/status/9';
  const listOf = (encodedList: string): Json => ({
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: listUrl,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: registry.did,
    validFrom: '2026-01-01T00:00:00Z',
    credentialSubject: { id: `${listUrl}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList },
  });
  const bomb = `u${gzipSync(Buffer.alloc(256 * 1024 * 1024), { level: 9 }).toString('base64url')}`; // 256 MiB of zeros, ~250 KiB packed
  const withStatus = async (index: number): Promise<CorpusItem['input']> =>
    signJoseCredential(credentialBy(registry.did, { credentialStatus: statusEntry(listUrl, index) }), registry.jose);
  items.push({
    name: 'status list claiming 2^31 entries (gzip bomb)',
    input: await withStatus(5),
    options: { status: createStatusResolver({ [listUrl]: listOf(bomb) }), requireStatus: true },
    codes: ['STATUS_UNAVAILABLE'],
  });
  const small = `u${gzipSync(Buffer.alloc(16 * 1024)).toString('base64url')}`;
  items.push({
    name: 'status index 2^53 against a 16 KiB list',
    input: await withStatus(2 ** 53),
    options: { status: createStatusResolver({ [listUrl]: listOf(small) }), requireStatus: true },
    codes: ['STATUS_UNAVAILABLE', 'VALIDATION_FAILED'],
  });
  items.push({
    name: 'status list that is not gzip',
    input: await withStatus(5),
    options: { status: createStatusResolver({ [listUrl]: listOf('uAAAA') }), requireStatus: true },
    codes: ['STATUS_UNAVAILABLE'],
  });
  return items;
}
