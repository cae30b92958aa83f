import { afterAll, beforeAll, expect, it } from 'vitest';
import { isUntpCreditsError } from '../../src/errors.js';
import { MIGRATIONS } from '../../src/registry/migrations/index.js';
import { describePostgres } from '../support/postgres.js';
import { freshSchema, openTestRegistry, seed, type TestRegistry } from './support/registry.js';

describePostgres('registry under concurrent conflicting commands (PostgreSQL)', (url) => {
  const schema = freshSchema();
  // Four registries with their own pools on one schema: four stateless "processes" sharing the database.
  const instances: TestRegistry[] = [];
  beforeAll(async () => {
    // Started together, as processes behind a load balancer would: the schema and its migrations are created once.
    instances.push(
      ...(await Promise.all(
        [0, 1, 2, 3].map((i) =>
          openTestRegistry({ kind: 'postgres', url }, { schema, poolSize: 8, dropOnDispose: i === 0 }),
        ),
      )),
    );
  });
  afterAll(async () => {
    for (const instance of instances.reverse()) await instance.dispose();
  });

  it('four registries started together share one schema migrated once', async () => {
    const { rows } = await instances[0]!.db.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('200 concurrent retirements of the same holding: exactly one succeeds, the rest get a conflict code, the invariant holds', async () => {
    const [first] = instances;
    if (!first) throw new Error('no registry');
    const s = await seed(first.registry, 'race', 100);
    const attempts = Array.from({ length: 200 }, (_, i) => {
      const registry = instances[i % instances.length]!.registry;
      // Half by quantity, half by the explicit range: both ask for the whole holding.
      return i % 2 === 0
        ? registry.retire({ key: `race-${i}`, account: s.coop, quantity: 100, details: { beneficiary: `buyer ${i}` } })
        : registry.retire({
            key: `race-${i}`,
            account: s.coop,
            ranges: [{ prefix: s.prefix, start: 1, end: 100 }],
            details: { beneficiary: `buyer ${i}` },
          });
    });
    const settled = await Promise.allSettled(attempts);
    const won = settled.filter((r) => r.status === 'fulfilled');
    const codes = settled.flatMap((r) =>
      r.status === 'rejected' ? [isUntpCreditsError(r.reason) ? r.reason.code : `UNEXPECTED: ${String(r.reason)}`] : [],
    );
    expect(won).toHaveLength(1);
    expect(codes).toHaveLength(199);
    expect(new Set(codes)).toEqual(new Set(codes.filter((c) => ['INSUFFICIENT_HOLDING', 'BLOCK_RETIRED'].includes(c))));
    const { rows } = await first.db.query<{ n: unknown; q: unknown }>(
      'SELECT count(*) AS n, sum(quantity) AS q FROM retirements',
    );
    expect(Number(rows[0]?.n)).toBe(1);
    expect(Number(rows[0]?.q)).toBe(100);
    const report = await first.registry.checkInvariants();
    expect(report.violations).toEqual([]);
    expect(report.totals).toMatchObject({ issued: '100', retired: '100', tradable: '0' });
  });

  it('concurrent overlapping issuances from several processes: the exclusion constraint lets exactly one in', async () => {
    const [first] = instances;
    if (!first) throw new Error('no registry');
    await first.registry.openAccount({
      key: 'ov-a',
      accountId: 'ov-coop',
      holder: { id: 'did:web:ov.example', name: 'Ov' },
    });
    const settled = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        instances[i % instances.length]!.registry.issue({
          key: `ov-${i}`,
          prefix: 'OV',
          start: 1 + i,
          end: 100 + i,
          holder: 'ov-coop',
          details: {},
        }),
      ),
    );
    expect(settled.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of settled)
      if (r.status === 'rejected') expect(isUntpCreditsError(r.reason) && r.reason.code).toBe('SERIALS_OVERLAP');
    expect((await first.registry.checkInvariants()).violations).toEqual([]);
  });
});
