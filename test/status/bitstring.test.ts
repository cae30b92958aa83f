import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUntpCreditsError } from '../../src/errors.js';
import {
  buildStatusListCredential,
  checkStatusEntry,
  decodeBitstring,
  emptyBitstring,
  encodeBitstring,
  getBit,
  MAX_STATUS_LIST_BYTES,
  MIN_STATUS_LIST_SIZE,
  setBit,
  statusEntry,
} from '../../src/status/bitstring.js';
import { createStatusResolver } from '../../src/status/resolver.js';

const URL1 = 'https://registry.example/status/1';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isUntpCreditsError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('Bitstring Status List encoding', () => {
  it('a list has at least 131 072 entries (16 KiB) and encodes as multibase u + base64url(gzip)', () => {
    const bits = emptyBitstring();
    expect(bits.length * 8).toBe(MIN_STATUS_LIST_SIZE);
    const encoded = encodeBitstring(bits);
    expect(encoded).toMatch(/^u[A-Za-z0-9_-]+$/);
    const raw = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    expect(raw.length).toBe(16_384);
    expect(raw.every((byte) => byte === 0)).toBe(true);
    expect(codeOf(() => emptyBitstring(1024))).toBe('STATUS_LIST_SIZE_INVALID');
    expect(codeOf(() => emptyBitstring(MIN_STATUS_LIST_SIZE + 3))).toBe('STATUS_LIST_SIZE_INVALID');
  });

  it('decodes the specification example (an empty 16 KiB list)', () => {
    const bits = decodeBitstring('uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA');
    expect(bits.length).toBe(16_384);
    expect(bits.every((byte) => byte === 0)).toBe(true);
  });

  it('orders bits from the most significant bit of the first byte, as the specification does', () => {
    expect(setBit(emptyBitstring(), 0)[0]).toBe(0x80);
    expect(setBit(emptyBitstring(), 7)[0]).toBe(0x01);
    expect(setBit(emptyBitstring(), 9)[1]).toBe(0x40);
    expect(setBit(emptyBitstring(), MIN_STATUS_LIST_SIZE - 1)[16_383]).toBe(0x01);
    expect(codeOf(() => getBit(emptyBitstring(), MIN_STATUS_LIST_SIZE))).toBe('STATUS_INDEX_OUT_OF_RANGE');
    expect(codeOf(() => getBit(emptyBitstring(), -1))).toBe('STATUS_INDEX_OUT_OF_RANGE');
  });

  it('round-trips any set of revoked indices through encode/decode, and setBit never touches the input', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat({ max: MIN_STATUS_LIST_SIZE - 1 }), { maxLength: 50 }),
        fc.nat({ max: MIN_STATUS_LIST_SIZE - 1 }),
        (indices, probe) => {
          const empty = emptyBitstring();
          let bits = empty;
          for (const index of indices) bits = setBit(bits, index);
          expect(getBit(empty, probe)).toBe(false);
          const decoded = decodeBitstring(encodeBitstring(bits));
          expect(getBit(decoded, probe)).toBe(indices.includes(probe));
          for (const index of indices) expect(getBit(decoded, index)).toBe(true);
        },
      ),
      { seed: 7, numRuns: 40 },
    );
  });

  it('refuses a list that expands beyond 16 MiB (a gzip bomb) without inflating it', () => {
    const bomb = `u${gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 }).toString('base64url')}`;
    let message = '';
    try {
      decodeBitstring(bomb);
    } catch (error) {
      message = isUntpCreditsError(error) ? `${error.code}: ${error.message}` : String(error);
    }
    expect(message).toBe(`STATUS_LIST_INVALID: encodedList expands beyond ${MAX_STATUS_LIST_BYTES} bytes; refused`);
    expect(decodeBitstring(`u${gzipSync(Buffer.alloc(MAX_STATUS_LIST_BYTES)).toString('base64url')}`).length).toBe(
      MAX_STATUS_LIST_BYTES,
    );
  });

  it('refuses an encodedList that is not multibase base64url GZIP', () => {
    expect(codeOf(() => decodeBitstring('zabc'))).toBe('STATUS_LIST_INVALID');
    expect(codeOf(() => decodeBitstring(`u${Buffer.from('not gzip').toString('base64url')}`))).toBe(
      'STATUS_LIST_INVALID',
    );
  });
});

describe('checkStatusEntry and the status resolver', () => {
  const list = buildStatusListCredential({
    url: URL1,
    issuer: 'did:web:registry.example',
    bits: setBit(emptyBitstring(), 94_567),
    validFrom: '2026-11-23T00:00:00Z',
  });

  it('builds a VCDM 2.0 BitstringStatusListCredential with a revocation list', () => {
    expect(list).toMatchObject({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: URL1,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      credentialSubject: { id: `${URL1}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation' },
    });
    expect(statusEntry(URL1, 94_567)).toEqual({
      id: `${URL1}#94567`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: 94_567,
      statusListCredential: URL1,
    });
  });

  it('a set bit is revoked, a clear bit valid; a string index (the W3C form) is read too', () => {
    expect(checkStatusEntry({ ...statusEntry(URL1, 94_567) }, list).status).toBe('revoked');
    expect(checkStatusEntry({ ...statusEntry(URL1, 94_566) }, list).status).toBe('valid');
    expect(checkStatusEntry({ ...statusEntry(URL1, 0), statusListIndex: '94567' }, list).status).toBe('revoked');
  });

  it('refuses a list other than the one the entry names, another purpose, or a bad index', () => {
    expect(codeOf(() => checkStatusEntry({ ...statusEntry('https://registry.example/status/2', 1) }, list))).toBe(
      'STATUS_LIST_MISMATCH',
    );
    expect(codeOf(() => checkStatusEntry({ ...statusEntry(URL1, 1), statusPurpose: 'suspension' }, list))).toBe(
      'STATUS_LIST_MISMATCH',
    );
    expect(codeOf(() => checkStatusEntry({ ...statusEntry(URL1, 1), statusListIndex: -4 }, list))).toBe(
      'STATUS_ENTRY_INVALID',
    );
    expect(
      codeOf(() => checkStatusEntry({ ...statusEntry(URL1, 1), statusListIndex: MIN_STATUS_LIST_SIZE }, list)),
    ).toBe('STATUS_INDEX_OUT_OF_RANGE');
  });

  it('the resolver reads lists from a snapshot (object or Map) and says unavailable for a list it lacks', async () => {
    const fromObject = createStatusResolver({ [URL1]: list });
    const fromMap = createStatusResolver(new Map([[URL1, list]]));
    expect(await fromObject.check({ ...statusEntry(URL1, 94_567) }, {})).toMatchObject({ status: 'revoked' });
    expect(await fromMap.check({ ...statusEntry(URL1, 5) }, {})).toEqual({ status: 'valid' });
    expect(await fromObject.check({ ...statusEntry('https://registry.example/status/9', 5) }, {})).toMatchObject({
      status: 'unavailable',
    });
    const distrusting = createStatusResolver({ [URL1]: list }, { verifyList: async () => false });
    await expect(distrusting.check({ ...statusEntry(URL1, 5) }, {})).rejects.toMatchObject({
      code: 'STATUS_LIST_UNVERIFIED',
    });
  });
});
