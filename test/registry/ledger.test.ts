import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUntpCreditsError } from '../../src/errors.js';
import { jwsPayload } from '../../src/lib/digest.js';
import { checkStatusEntry } from '../../src/status/bitstring.js';
import { unwrapStatusList } from '../../src/status/resolver.js';
import { describePostgres } from '../support/postgres.js';
import { openTestRegistry, seed, type Engine, type TestRegistry } from './support/registry.js';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isUntpCreditsError(error)) return error.code;
    throw error;
  }
  throw new Error('expected the command to fail');
}

function payloadOf(enveloped: { id: string }): Record<string, unknown> {
  return jwsPayload(enveloped.id.slice('data:application/vc+jwt,'.length));
}

function ledgerSuite(engine: () => Engine) {
  let t: TestRegistry;
  beforeAll(async () => {
    t = await openTestRegistry(engine());
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('issues a block as one row whatever its size (1 000 000 credits = 1 credit = one row)', async () => {
    const { registry, db } = t;
    await registry.openAccount({
      key: 'big-a',
      accountId: 'big-coop',
      holder: { id: 'did:web:big.example', name: 'Big' },
    });
    await registry.issue({
      key: 'big-1',
      issuanceId: 'BIG-1',
      prefix: 'BIG',
      start: 1,
      end: 1_000_000,
      holder: 'big-coop',
      details: {},
    });
    await registry.issue({
      key: 'big-2',
      issuanceId: 'ONE-1',
      prefix: 'BIG',
      start: 1_000_001,
      end: 1_000_001,
      holder: 'big-coop',
      details: {},
    });
    const count = async (id: string) =>
      Number(
        (await db.query<{ n: unknown }>('SELECT count(*) AS n FROM blocks WHERE issuance_id = $1', [id])).rows[0]?.n,
      );
    expect(await count('BIG-1')).toBe(1);
    expect(await count('ONE-1')).toBe(1);
    // A partial transfer of the big block splits it into exactly two live rows (+ the superseded one).
    await registry.openAccount({
      key: 'big-b',
      accountId: 'big-oem',
      holder: { id: 'did:web:big-oem.example', name: 'Big OEM' },
    });
    await registry.transfer({
      key: 'big-t',
      from: 'big-coop',
      to: 'big-oem',
      quantity: 400_000,
      issuanceIds: ['BIG-1'],
    });
    expect(
      Number(
        (await db.query<{ n: unknown }>('SELECT count(*) AS n FROM blocks WHERE issuance_id = $1 AND live', ['BIG-1']))
          .rows[0]?.n,
      ),
    ).toBe(2);
    expect(await count('BIG-1')).toBe(3);
  });

  it('keeps serials up to 2^53 − 1 exact (bigint columns, int8range)', async () => {
    const { registry } = t;
    await registry.openAccount({
      key: 'max-a',
      accountId: 'max-coop',
      holder: { id: 'did:web:max.example', name: 'Max' },
    });
    await registry.openAccount({
      key: 'max-b',
      accountId: 'max-oem',
      holder: { id: 'did:web:max-oem.example', name: 'Max OEM' },
    });
    const top = Number.MAX_SAFE_INTEGER;
    await registry.issue({
      key: 'max-i',
      issuanceId: 'MAX-1',
      prefix: 'MAX',
      start: top - 999,
      end: top,
      holder: 'max-coop',
      details: {},
    });
    const moved = await registry.transfer({
      key: 'max-t',
      from: 'max-coop',
      to: 'max-oem',
      ranges: [{ prefix: 'MAX', start: top - 9, end: top }],
    });
    expect(moved.blocks).toEqual([{ issuanceId: 'MAX-1', prefix: 'MAX', start: top - 9, end: top, quantity: 10 }]);
    expect(await registry.lookupSerial('MAX', top)).toMatchObject({
      holder: 'max-oem',
      block: { start: top - 9, end: top },
    });
    expect(await registry.lookupSerial('MAX', top - 10)).toMatchObject({
      holder: 'max-coop',
      block: { start: top - 999, end: top - 10 },
    });
    expect(
      await codeOf(
        registry.issue({ key: 'max-i2', prefix: 'MAX2', start: top, end: top + 1, holder: 'max-coop', details: {} }),
      ),
    ).toBe('SERIAL_OUT_OF_RANGE');
  });

  it('transfers part of a holding by splitting, with inclusive arithmetic and conserved totals', async () => {
    const { registry } = t;
    const s = await seed(registry, 'tr', 120);
    const result = await registry.transfer({ key: 'tr-t1', from: s.coop, to: s.oem, quantity: 40 });
    expect(result.blocks).toEqual([{ issuanceId: s.issuanceId, prefix: s.prefix, start: 1, end: 40, quantity: 40 }]);
    expect(result.event.type).toBe('transferred');
    const ranged = await registry.transfer({
      key: 'tr-t2',
      from: s.coop,
      to: s.oem,
      ranges: [
        { prefix: s.prefix, start: 60, end: 60 },
        { prefix: s.prefix, start: 100, end: 120 },
      ],
    });
    expect(ranged.quantity).toBe(22);
    const coop = await registry.holdings(s.coop);
    const oem = await registry.holdings(s.oem);
    expect(coop.map((b) => [b.start, b.end])).toEqual([
      [41, 59],
      [61, 99],
    ]);
    expect(oem.map((b) => [b.start, b.end])).toEqual([
      [1, 40],
      [60, 60],
      [100, 120],
    ]);
    expect([...coop, ...oem].reduce((n, b) => n + b.quantity, 0)).toBe(120);
    expect(
      await codeOf(
        registry.transfer({
          key: 'tr-t3',
          from: s.coop,
          to: s.oem,
          ranges: [{ prefix: s.prefix, start: 55, end: 65 }],
        }),
      ),
    ).toBe('RANGE_NOT_HELD');
    expect(await codeOf(registry.transfer({ key: 'tr-t4', from: s.coop, to: s.oem, quantity: 59 }))).toBe(
      'INSUFFICIENT_HOLDING',
    );
    expect(await codeOf(registry.transfer({ key: 'tr-t5', from: s.coop, to: 'nobody', quantity: 1 }))).toBe(
      'ACCOUNT_NOT_FOUND',
    );
  });

  it('is idempotent by key: same body → same result, different body → IDEMPOTENCY_KEY_REUSED', async () => {
    const { registry } = t;
    const s = await seed(registry, 'idem', 50);
    const first = await registry.retire({
      key: 'idem-r',
      account: s.coop,
      quantity: 10,
      details: { beneficiary: 'A' },
    });
    const again = await registry.retire({
      key: 'idem-r',
      account: s.coop,
      quantity: 10,
      details: { beneficiary: 'A' },
    });
    expect(again).toEqual(first);
    expect(
      (await registry.holdings(s.coop)).filter((b) => b.state === 'tradable').reduce((n, b) => n + b.quantity, 0),
    ).toBe(40);
    expect(
      await codeOf(registry.retire({ key: 'idem-r', account: s.coop, quantity: 11, details: { beneficiary: 'A' } })),
    ).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await codeOf(registry.transfer({ key: 'idem-r', from: s.coop, to: s.oem, quantity: 1 }))).toBe(
      'IDEMPOTENCY_KEY_REUSED',
    );
  });

  it('retires blocks from several issuances by explicit ranges; retired units never change again', async () => {
    const { registry, db } = t;
    const s = await seed(registry, 'ret', 100);
    await registry.issue({
      key: 'ret-i2',
      issuanceId: 'ret-ISS2',
      prefix: 'P-ret2',
      start: 500,
      end: 599,
      holder: s.coop,
      details: {},
    });
    const r = await registry.retire({
      key: 'ret-r1',
      account: s.coop,
      retirementId: 'RET-A',
      ranges: [
        { prefix: s.prefix, start: 41, end: 65 },
        { prefix: 'P-ret2', start: 500, end: 509 },
      ],
      details: { beneficiary: 'OEM Ltd', claimBoundary: { period: '2026' } },
    });
    expect(r.quantity).toBe(35);
    const subject = payloadOf(r.credential).credentialSubject as {
      retiredUnits: { serialBlock: unknown; issuanceCredential: { digestMultibase: string } }[];
    };
    expect(subject.retiredUnits.map((u) => u.serialBlock)).toEqual([
      { prefix: s.prefix, start: 41, end: 65, quantity: 25 },
      { prefix: 'P-ret2', start: 500, end: 509, quantity: 10 },
    ]);
    expect(subject.retiredUnits[0]?.issuanceCredential.digestMultibase).toBe(s.issued.digestMultibase);
    // Conflicts name the reason.
    expect(
      await codeOf(
        registry.retire({
          key: 'ret-r2',
          account: s.coop,
          ranges: [{ prefix: s.prefix, start: 60, end: 70 }],
          details: {},
        }),
      ),
    ).toBe('BLOCK_RETIRED');
    expect(
      await codeOf(
        registry.transfer({
          key: 'ret-t',
          from: s.coop,
          to: s.oem,
          ranges: [{ prefix: s.prefix, start: 50, end: 50 }],
        }),
      ),
    ).toBe('BLOCK_RETIRED');
    expect(await codeOf(registry.retire({ key: 'ret-r3', account: s.coop, quantity: 1000, details: {} }))).toBe(
      'INSUFFICIENT_HOLDING',
    );
    expect(
      await codeOf(
        registry.retire({
          key: 'ret-r4',
          account: s.oem,
          ranges: [{ prefix: s.prefix, start: 1, end: 5 }],
          details: {},
        }),
      ),
    ).toBe('RANGE_NOT_HELD');
    expect(
      await codeOf(
        registry.cancel({
          key: 'ret-c',
          issuanceId: s.issuanceId,
          ranges: [{ prefix: s.prefix, start: 41, end: 41 }],
          reason: 'x',
        }),
      ),
    ).toBe('BLOCK_RETIRED');
    // The database itself refuses to touch a retired block, to delete an event, or to overlap blocks.
    await expect(db.query("UPDATE blocks SET holder = $1 WHERE retirement_id = 'RET-A'", [s.oem])).rejects.toThrow(
      /never change|cannot/,
    );
    await expect(
      db.query("UPDATE blocks SET live = false, superseded_event = created_event WHERE retirement_id = 'RET-A'"),
    ).rejects.toThrow(/cannot become/);
    await expect(db.query('DELETE FROM events WHERE seq = 1')).rejects.toThrow(/append-only/);
    await expect(db.query("UPDATE events SET type = 'x' WHERE seq = 1")).rejects.toThrow(/append-only/);
    await expect(
      db.query(
        "INSERT INTO blocks (issuance_id, prefix, serial_start, serial_end, holder, state, created_event) VALUES ($1, $2, 45, 46, $3, 'tradable', 1)",
        [s.issuanceId, s.prefix, s.coop],
      ),
    ).rejects.toMatchObject({ code: '23P01' });
    const found = await registry.lookupSerial(s.prefix, 57);
    expect(found).toMatchObject({
      state: 'retired',
      holder: s.coop,
      issuance: { issuanceId: s.issuanceId, revoked: false },
      retirement: { retirementId: 'RET-A', revoked: false },
    });
    expect(found?.block).toMatchObject({ start: 41, end: 65 });
    expect(await registry.lookupSerial(s.prefix, 101)).toBeUndefined();
    expect((await registry.checkInvariants()).violations).toEqual([]);
  });

  it('amends a retirement: new credential with replaces, the old one revoked, the same units', async () => {
    const { registry } = t;
    const s = await seed(registry, 'am', 30);
    const r = await registry.retire({
      key: 'am-r',
      account: s.coop,
      retirementId: 'RET-AM',
      quantity: 12,
      details: { beneficiary: 'Acme Lt' },
    });
    const a = await registry.amendRetirement({
      key: 'am-amend',
      retirementId: 'RET-AM',
      newRetirementId: 'RET-AM-2',
      details: { beneficiary: 'Acme Ltd' },
      reason: 'typo',
    });
    const subject = payloadOf(a.credential).credentialSubject as Record<string, unknown>;
    expect(subject.replaces).toEqual({ id: r.credentialId, digestMultibase: r.digestMultibase });
    expect((subject.retiredUnits as { serialBlock: unknown }[]).map((u) => u.serialBlock)).toEqual([
      { prefix: s.prefix, start: 1, end: 12, quantity: 12 },
    ]);
    expect(a.revoked).toEqual([r.credentialId]);
    expect(a.statusLists).toHaveLength(1);
    const oldEntry = payloadOf(r.credential).credentialStatus as Record<string, unknown>;
    const newEntry = payloadOf(a.credential).credentialStatus as Record<string, unknown>;
    const list = unwrapStatusList(a.statusLists[0]!);
    expect(checkStatusEntry(oldEntry, list).status).toBe('revoked');
    expect(checkStatusEntry(newEntry, list).status).toBe('valid');
    expect(
      await codeOf(
        registry.amendRetirement({ key: 'am-amend2', retirementId: 'RET-AM', details: {}, reason: 'again' }),
      ),
    ).toBe('RETIREMENT_REPLACED');
    expect((await registry.lookupSerial(s.prefix, 5))?.retirement?.retirementId).toBe('RET-AM-2');
  });

  it('suspends a holding: suspended units cannot move or retire; earlier retirements are untouched', async () => {
    const { registry } = t;
    const s = await seed(registry, 'su', 50);
    const r = await registry.retire({ key: 'su-r', account: s.coop, quantity: 10, details: {} });
    const sus = await registry.suspend({ key: 'su-s', account: s.coop, reason: 'dispute #12' });
    expect(sus.quantity).toBe(40);
    expect(await codeOf(registry.retire({ key: 'su-r2', account: s.coop, quantity: 1, details: {} }))).toBe(
      'INSUFFICIENT_HOLDING',
    );
    expect(
      await codeOf(
        registry.transfer({ key: 'su-t', from: s.coop, to: s.oem, ranges: [{ prefix: s.prefix, start: 20, end: 21 }] }),
      ),
    ).toBe('BLOCK_SUSPENDED');
    const found = await registry.lookupSerial(s.prefix, 3);
    expect(found).toMatchObject({ state: 'retired', retirement: { retirementId: r.retirementId, revoked: false } });
    await registry.unsuspend({
      key: 'su-u',
      account: s.coop,
      ranges: [{ prefix: s.prefix, start: 11, end: 30 }],
      reason: 'settled in part',
    });
    const moved = await registry.transfer({ key: 'su-t2', from: s.coop, to: s.oem, quantity: 20 });
    expect(moved.blocks).toEqual([{ issuanceId: s.issuanceId, prefix: s.prefix, start: 11, end: 30, quantity: 20 }]);
  });

  it('cancels unretired units and revokes the issuance credential once none remains valid', async () => {
    const { registry } = t;
    const s = await seed(registry, 'ca', 20);
    const part = await registry.cancel({ key: 'ca-1', issuanceId: s.issuanceId, quantity: 5, reason: 'over-issued' });
    expect(part).toMatchObject({ quantity: 5, issuanceRevoked: false, statusLists: [] });
    expect(
      await codeOf(
        registry.transfer({ key: 'ca-t', from: s.coop, to: s.oem, ranges: [{ prefix: s.prefix, start: 1, end: 1 }] }),
      ),
    ).toBe('BLOCK_CANCELLED');
    const rest = await registry.cancel({ key: 'ca-2', issuanceId: s.issuanceId, reason: 'issuance error' });
    expect(rest.quantity).toBe(15);
    expect(rest.issuanceRevoked).toBe(true);
    const entry = payloadOf(s.issued.credential).credentialStatus as Record<string, unknown>;
    expect(checkStatusEntry(entry, unwrapStatusList(rest.statusLists[0]!)).status).toBe('revoked');
    expect((await registry.lookupSerial(s.prefix, 7))?.issuance.revoked).toBe(true);
  });

  it('invalidates a retirement: units marked invalidated, never cancelled; retirement (and spent issuance) credentials revoked', async () => {
    const { registry } = t;
    const s = await seed(registry, 'inv', 10);
    const r = await registry.retire({
      key: 'inv-r',
      account: s.coop,
      retirementId: 'RET-INV',
      quantity: 10,
      details: {},
    });
    const result = await registry.invalidateRetirement({
      key: 'inv-x',
      retirementId: 'RET-INV',
      reason: 'assessment withdrawn',
    });
    expect(result.quantity).toBe(10);
    expect(result.revoked.sort()).toEqual([r.credentialId, s.issued.credentialId].sort());
    expect(await registry.lookupSerial(s.prefix, 4)).toMatchObject({
      state: 'invalidated',
      retirement: { invalidated: true, revoked: true },
    });
    expect(
      await codeOf(registry.invalidateRetirement({ key: 'inv-y', retirementId: 'RET-INV', reason: 'again' })),
    ).toBe('RETIREMENT_INVALIDATED');
  });

  it('corrects an issuance: cancel + reissue of the same serials with a replaces link', async () => {
    const { registry } = t;
    const s = await seed(registry, 'co', 40);
    const c = await registry.correct({
      key: 'co-1',
      issuanceId: s.issuanceId,
      newIssuanceId: 'co-ISS2',
      details: { site: 'Likasi' },
      reason: 'wrong site',
    });
    expect(c.cancelled).toEqual({ issuanceId: s.issuanceId, prefix: s.prefix, start: 1, end: 40, quantity: 40 });
    expect(c.revoked).toEqual([s.issued.credentialId]);
    expect((payloadOf(c.issuance.credential).credentialSubject as Record<string, unknown>).replaces).toEqual({
      id: s.issued.credentialId,
      digestMultibase: s.issued.digestMultibase,
    });
    const found = await registry.lookupSerial(s.prefix, 9);
    expect(found).toMatchObject({ state: 'tradable', issuance: { issuanceId: 'co-ISS2', replaces: s.issuanceId } });
    expect(found?.cancelledEarlier).toMatchObject([{ issuanceId: s.issuanceId, state: 'cancelled' }]);
    // A plain issuance may not reuse serials, cancelled or not.
    expect(
      await codeOf(registry.issue({ key: 'co-2', prefix: s.prefix, start: 40, end: 41, holder: s.coop, details: {} })),
    ).toBe('SERIALS_OVERLAP');
    expect((await registry.checkInvariants()).violations).toEqual([]);
  });

  it('refuses a second account, issuance or retirement with an id already taken', async () => {
    const { registry } = t;
    const s = await seed(registry, 'dup', 20);
    await registry.retire({ key: 'dup-r1', account: s.coop, retirementId: 'RET-DUP', quantity: 2, details: {} });
    expect(
      await codeOf(
        registry.retire({ key: 'dup-r2', account: s.coop, retirementId: 'RET-DUP', quantity: 2, details: {} }),
      ),
    ).toBe('RETIREMENT_EXISTS');
    expect(
      await codeOf(
        registry.issue({
          key: 'dup-i2',
          issuanceId: s.issuanceId,
          prefix: 'DUP-OTHER',
          start: 1,
          end: 2,
          holder: s.coop,
          details: {},
        }),
      ),
    ).toBe('ISSUANCE_EXISTS');
    expect(
      await codeOf(
        registry.openAccount({ key: 'dup-a2', accountId: s.coop, holder: { id: 'did:web:x.example', name: 'X' } }),
      ),
    ).toBe('ACCOUNT_EXISTS');
  });

  it('allocates status indices at random within a list and never reuses one', async () => {
    const { db } = t;
    const { rows } = await db.query<{ idx: number; list_id: number }>(
      'SELECT list_id, idx FROM status_allocations ORDER BY idx',
    );
    expect(rows.length).toBeGreaterThan(10);
    expect(new Set(rows.map((r) => `${r.list_id}:${r.idx}`)).size).toBe(rows.length);
    // Not handed out in order: the indices are spread over the list.
    const indices = rows.map((r) => Number(r.idx));
    expect(Math.max(...indices) - Math.min(...indices)).toBeGreaterThan(10_000);
    await expect(db.query('DELETE FROM status_allocations')).rejects.toThrow(/append-only/);
    await expect(
      db.query('UPDATE credentials SET revoked_event = NULL WHERE revoked_event IS NOT NULL'),
    ).rejects.toThrow(/only revoke/);
  });

  it('the invariant checker catches a credential that no longer matches the ledger', async () => {
    const { db } = t;
    const report = await t.registry.checkInvariants();
    expect(report.ok).toBe(true);
    expect(report.issuances).toBeGreaterThan(5);
    // Simulate tampering the triggers forbid: swap a stored status list's bits for the empty list.
    await db.query("UPDATE status_lists SET bits = decode(repeat('00', octet_length(bits)), 'hex')");
    const broken = await t.registry.checkInvariants();
    expect(broken.violations.map((v) => v.code)).toContain('REVOCATION_MISMATCH');
    expect(broken.violations.map((v) => v.code)).toContain('STATUS_LIST_STALE');
  });
}

describe('registry ledger on PGlite', () => ledgerSuite(() => ({ kind: 'pglite' })));
describePostgres('registry ledger on PostgreSQL', (url) => ledgerSuite(() => ({ kind: 'postgres', url })));
