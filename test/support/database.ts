import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/registry/db.js';
import { migrate } from '../../src/registry/migrations/index.js';
import { DATABASE_URL } from './postgres.js';

/**
 * A migrated registry database for one test, on the production adapters: a fresh schema of the
 * PostgreSQL at DATABASE_URL (dropped when closed) when it is set, else an in-memory PGlite.
 */
export async function openTestDatabase(): Promise<Database> {
  const db = DATABASE_URL
    ? await openDatabase({ url: DATABASE_URL, schema: `t_${randomBytes(6).toString('hex')}`, poolSize: 4 })
    : await openDatabase();
  await migrate(db);
  if (!DATABASE_URL) return db;
  const url = DATABASE_URL;
  const schema = /\(schema (\w+)\)$/.exec(db.location)?.[1] as string;
  const close = db.close.bind(db);
  return Object.assign(db, {
    close: async () => {
      await close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  });
}
