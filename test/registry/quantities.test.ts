import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUntpCreditsError } from '../../src/errors.js';
import { DEFAULT_MAX_ISSUANCE_QUANTITY } from '../../src/registry/commands/issue.js';
import { Registry } from '../../src/registry/registry.js';
import { describePostgres } from '../support/postgres.js';
import {
  BASE_URL,
  ISSUER,
  openTestRegistry,
  testBuilders,
  testSecurer,
  type Engine,
  type TestRegistry,
} from './support/registry.js';

const MAX = Number.MAX_SAFE_INTEGER; // 2^53 − 1

async function refusal(promise: Promise<unknown>): Promise<{ code: string; path: string | undefined }> {
  try {
    await promise;
  } catch (error) {
    if (isUntpCreditsError(error)) return { code: error.code, path: error.path };
    throw error;
  }
  throw new Error('expected the command to be refused');
}

async function accounts(registry: Registry): Promise<void> {
  for (const id of ['coop', 'oem'])
    await registry.openAccount({ key: `acc-${id}`, accountId: id, holder: { id: `did:web:${id}.example`, name: id } });
}

const issue = (registry: Registry, key: string, prefix: string, start: number, end: number) =>
  registry.issue({ key, issuanceId: key, prefix, start, end, holder: 'coop', details: {} });

function quantitySuite(engine: () => Engine, concurrent: boolean) {
  describe('the per-issuance cap', () => {
    let t: TestRegistry;
    beforeAll(async () => {
      t = await openTestRegistry(engine());
      await accounts(t.registry);
    });
    afterAll(async () => t?.dispose());

    it('refuses 10^15 t of cobalt in one issuance with ISSUANCE_EXCEEDS_CAP (default 1 000 000), and issues nothing', async () => {
      expect(DEFAULT_MAX_ISSUANCE_QUANTITY).toBe(1_000_000);
      expect(await refusal(issue(t.registry, 'huge', 'H', 1, 1e15))).toEqual({
        code: 'ISSUANCE_EXCEEDS_CAP',
        path: '/quantity',
      });
      expect(await refusal(issue(t.registry, 'one-over', 'H', 1, 1_000_001))).toEqual({
        code: 'ISSUANCE_EXCEEDS_CAP',
        path: '/quantity',
      });
      expect(await t.registry.holdings('coop')).toEqual([]);
      const at = await issue(t.registry, 'at-cap', 'H', 1, 1_000_000);
      expect(at.serialBlock.quantity).toBe(1_000_000);
    });

    it('is the registry’s to set; a cap that is not a whole number of credits within 2^53 − 1 is refused at open', async () => {
      for (const maxIssuanceQuantity of [0, -5, 1.5, 2 ** 53, Number.NaN]) {
        expect(
          await refusal(
            Registry.open({
              db: t.db,
              baseUrl: BASE_URL,
              issuer: ISSUER,
              secure: testSecurer(),
              builders: testBuilders,
              maxIssuanceQuantity,
            }),
          ),
        ).toEqual({ code: 'OPTION_INVALID', path: '/maxIssuanceQuantity' });
      }
    });
  });

  describe('totals stay exact: all issuances together are kept within 2^53 − 1', () => {
    let t: TestRegistry;
    beforeAll(async () => {
      t = await openTestRegistry(engine(), { registry: { maxIssuanceQuantity: MAX } });
      await accounts(t.registry);
    });
    afterAll(async () => t?.dispose());

    it('two issuances of 2^53 − 1 (plus 40): the second and the 40 are refused, so no total is ever rounded', async () => {
      const first = await issue(t.registry, 'full', 'A', 1, MAX);
      expect(first.serialBlock.quantity).toBe(MAX); // the ceiling itself is allowed
      expect(await refusal(issue(t.registry, 'again', 'B', 1, MAX))).toEqual({
        code: 'TOTAL_OUT_OF_RANGE',
        path: '/quantity',
      });
      expect(await refusal(issue(t.registry, 'forty', 'C', 1, 40))).toEqual({
        code: 'TOTAL_OUT_OF_RANGE',
        path: '/quantity',
      });
      // What the ledger answers with is exact: everything moves, the quantity is 2^53 − 1 to the unit.
      const moved = await t.registry.transfer({ key: 'all', from: 'coop', to: 'oem' });
      expect(moved.quantity).toBe(MAX);
      expect(JSON.stringify(moved.quantity)).toBe('9007199254740991');
      expect((await t.registry.holdings('oem')).map((b) => b.quantity)).toEqual([MAX]);
    });
  });

  // PGlite runs one transaction at a time; the race needs PostgreSQL's concurrent sessions.
  describe.runIf(concurrent)('the ceiling holds under concurrent issuances', () => {
    let t: TestRegistry;
    beforeAll(async () => {
      t = await openTestRegistry(engine(), { registry: { maxIssuanceQuantity: MAX } });
      await accounts(t.registry);
    });
    afterAll(async () => t?.dispose());

    it('of two issuances that each fit but not together, exactly one is issued', async () => {
      const half = Math.ceil(MAX / 2) + 1;
      const results = await Promise.allSettled([
        issue(t.registry, 'left', 'L', 1, half),
        issue(t.registry, 'right', 'R', 1, half),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toMatchObject({ code: 'TOTAL_OUT_OF_RANGE' });
      const report = await t.registry.checkInvariants();
      expect(report.ok).toBe(true);
      expect(report.totals.issued).toBe(String(half));
    });

    // The issued total is one counter row raised as each issuance's last statement (no lock held
    // across signing): with six issuances in flight that fit only three at a time, exactly three
    // commit, and the counter equals the sum of what was issued.
    it('of six concurrent issuances of which only three fit together, exactly three are issued', async () => {
      const quarter = Math.floor((MAX - Math.ceil(MAX / 2) - 1) / 3);
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => issue(t.registry, `q${i}`, `Q${i}`, 1, quarter)),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      for (const r of results.filter((r) => r.status === 'rejected'))
        expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'TOTAL_OUT_OF_RANGE' });
      const { rows } = await t.db.query<{ counted: string; summed: string }>(
        'SELECT (SELECT total::text FROM issued_total) AS counted, (SELECT SUM(serial_end - serial_start + 1)::text FROM issuances) AS summed',
      );
      expect(rows[0]!.counted).toBe(rows[0]!.summed);
      expect(BigInt(rows[0]!.counted)).toBe(BigInt(Math.ceil(MAX / 2) + 1) + 3n * BigInt(quarter));
    });
  });
}

describe('registry quantities on PGlite', () => quantitySuite(() => ({ kind: 'pglite' }), false));
describePostgres('registry quantities on PostgreSQL', (url) => quantitySuite(() => ({ kind: 'postgres', url }), true));
