import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/registry/db.js';
import { migrate, MIGRATIONS } from '../../src/registry/migrations/index.js';
import { describePostgres } from '../support/postgres.js';
import { dropSchema, freshSchema } from './support/registry.js';

// The two adapters must behave alike: the ledger code relies on rowCount and on rollback.
function adapterSuite(open: () => Promise<Database>, cleanup: () => Promise<void> = async () => undefined) {
  let db: Database;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db?.close();
    await cleanup();
  });

  it('rowCount is the rows returned by a SELECT and the rows changed by DML', async () => {
    await db.exec('CREATE TABLE t (a int PRIMARY KEY); INSERT INTO t VALUES (1), (2), (3);');
    expect((await db.query('SELECT a FROM t WHERE a > 1')).rowCount).toBe(2);
    expect((await db.query('SELECT a FROM t WHERE a > 5')).rowCount).toBe(0);
    expect((await db.query('UPDATE t SET a = a + 10 WHERE a < 3')).rowCount).toBe(2);
    expect((await db.query('INSERT INTO t VALUES (4) ON CONFLICT DO NOTHING RETURNING a')).rowCount).toBe(1);
    expect((await db.query('INSERT INTO t VALUES (4) ON CONFLICT DO NOTHING RETURNING a')).rowCount).toBe(0);
    await db.transaction(async (tx) => {
      expect((await tx.query('SELECT a FROM t')).rowCount).toBe(4);
      expect((await tx.query('DELETE FROM t WHERE a = 4')).rowCount).toBe(1);
    });
  });

  it('a transaction that throws leaves nothing behind', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (99)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await db.query('SELECT a FROM t WHERE a = 99')).rowCount).toBe(0);
  });

  it('migrations apply once and are recorded', async () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect((await migrate(db)).applied).toEqual(versions);
    expect((await migrate(db)).applied).toEqual([]);
    const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => Number(r.version))).toEqual(versions);
    // A database migrated by a newer release is refused, not silently used.
    await db.query("INSERT INTO schema_migrations (version, name) VALUES (99, 'from the future')");
    await expect(migrate(db)).rejects.toMatchObject({ code: 'REGISTRY_SCHEMA_TOO_NEW' });
  });
}

// Closing while work runs: what was admitted commits, nothing new is admitted (REGISTRY_CLOSING).
async function closeWhileRunning(db: Database): Promise<void> {
  await db.exec('CREATE TABLE IF NOT EXISTS c (a int)');
  const order: string[] = [];
  const running = db.transaction(async (tx) => {
    order.push('transaction started');
    await new Promise((resolve) => setTimeout(resolve, 150));
    await tx.query('INSERT INTO c VALUES (1)');
    order.push('transaction finished');
  });
  await new Promise((resolve) => setTimeout(resolve, 30));
  const closed = db.close().then(() => {
    order.push('closed');
  });
  await expect(db.query('SELECT 1')).rejects.toMatchObject({ code: 'REGISTRY_CLOSING' });
  await expect(db.transaction(async () => undefined)).rejects.toMatchObject({ code: 'REGISTRY_CLOSING' });
  await running;
  await closed;
  expect(order).toEqual(['transaction started', 'transaction finished', 'closed']);
}

describe('Database adapter: PGlite (in memory)', () => {
  adapterSuite(() => openDatabase());
  it('close() lets a running transaction commit, refuses new work with REGISTRY_CLOSING', async () =>
    closeWhileRunning(await openDatabase()));
});
describePostgres('Database adapter: PostgreSQL (fresh schema)', (url) => {
  const schema = freshSchema();
  adapterSuite(
    () => openDatabase({ url, schema }),
    () => dropSchema(url, schema),
  );
  it('close() lets a running transaction commit, refuses new work with REGISTRY_CLOSING', async () => {
    const other = freshSchema();
    try {
      await closeWhileRunning(await openDatabase({ url, schema: other }));
    } finally {
      await dropSchema(url, other);
    }
  });
});
