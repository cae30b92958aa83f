import { describe, expect, it } from 'vitest';
import {
  buildStatusListCredential,
  checkStatusEntry,
  emptyBitstring,
  setBit,
  statusEntry,
} from '../../src/status/bitstring.js';

describe('status lookups reuse decoded lists by their exact text', () => {
  it('a list with a newly set bit is decoded afresh, and the old list still reads as before', () => {
    const url = 'https://registry.invalid/status/1';
    const entry = statusEntry(url, 4242) as unknown as Record<string, unknown>;
    const list = (bits: Uint8Array) =>
      buildStatusListCredential({ url, issuer: 'did:web:registry.invalid', bits, validFrom: '2026-01-01T00:00:00Z' });
    const clean = list(emptyBitstring());
    const revoked = list(setBit(emptyBitstring(), 4242));
    expect(checkStatusEntry(entry, clean).status).toBe('valid');
    expect(checkStatusEntry(entry, revoked).status).toBe('revoked');
    expect(checkStatusEntry(entry, clean).status).toBe('valid');
    for (let i = 0; i < 40; i++)
      checkStatusEntry(statusEntry(url, i) as unknown as Record<string, unknown>, list(setBit(emptyBitstring(), i)));
    expect(checkStatusEntry(entry, revoked).status).toBe('revoked');
  });
});
