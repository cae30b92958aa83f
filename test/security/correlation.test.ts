import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwsPayload } from '../../src/lib/digest.js';
import { MIN_STATUS_LIST_SIZE } from '../../src/status/bitstring.js';
import { openTestRegistry, seed, type TestRegistry } from '../registry/support/registry.js';

/**
 * Correlation through credential ids and status indices: a credential's id and its status-list index
 * must say nothing about issuance order or volume (docs/privacy.md). Credential ids are random UUID
 * URLs; indices are random in a list of at least 131 072 entries (half filled at most).
 */

let t: TestRegistry;
beforeAll(async () => {
  t = await openTestRegistry({ kind: 'pglite' });
}, 120_000);
afterAll(async () => {
  await t?.dispose();
});

describe('correlation', () => {
  it('ids and status indices of consecutive credentials are unordered and spread over a large list', async () => {
    const s = await seed(t.registry, 'corr', 100);
    const credentials: Array<Record<string, any>> = [];
    for (let i = 0; i < 40; i++) {
      const r = await t.registry.retire({ key: `corr-r-${i}`, account: s.coop, quantity: 1, details: { i } });
      credentials.push(jwsPayload(String(r.credential.id).replace(/^data:application\/vc\+jwt,/, '')));
    }
    const ids = credentials.map((c) => String(c.id));
    const indices = credentials.map((c) => Number(c.credentialStatus.statusListIndex));
    const lists = new Set(credentials.map((c) => String(c.credentialStatus.statusListCredential)));
    // Ids: random UUIDs under the registry, nothing sequential in them.
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids)
      expect(id).toMatch(/\/credentials\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids.some((id) => /corr-r-|\/\d+$/.test(id))).toBe(false);
    // Indices: distinct, not in issuance order, spread over the list (each holds with overwhelming probability).
    expect(new Set(indices).size).toBe(indices.length);
    const ascending = indices.every((v, i) => i === 0 || v > indices[i - 1]!);
    const descending = indices.every((v, i) => i === 0 || v < indices[i - 1]!);
    expect(ascending || descending).toBe(false);
    expect(Math.max(...indices) - Math.min(...indices)).toBeGreaterThan(MIN_STATUS_LIST_SIZE / 4);
    // The list is at least the specification's minimum (group privacy).
    const { rows } = await t.db.query<{ size: number }>('SELECT size FROM status_lists');
    for (const row of rows) expect(Number(row.size)).toBeGreaterThanOrEqual(MIN_STATUS_LIST_SIZE);
    console.log(
      `correlation: ${credentials.length} consecutive credentials, ${lists.size} status list(s), index spread ${Math.max(...indices) - Math.min(...indices)} of ${MIN_STATUS_LIST_SIZE}, sequential ids 0`,
    );
  }, 120_000);
});
