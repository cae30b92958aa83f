import { openDatabase, type Database } from '../../src/registry/db.js';
import { migrate } from '../../src/registry/migrations/index.js';
import { dropSchema, freshSchema } from '../registry/support/registry.js';
import { DATABASE_URL } from './postgres.js';

/**
 * A migrated registry database for one test, on the production adapters: a fresh schema of the
 * PostgreSQL at DATABASE_URL (dropped when closed) when it is set, else an in-memory PGlite.
 */
export async function openTestDatabase(): Promise<Database> {
  if (!DATABASE_URL) {
    const db = await openDatabase();
    await migrate(db);
    return db;
  }
  const url = DATABASE_URL;
  const schema = freshSchema();
  const db = await openDatabase({ url, schema, poolSize: 4 });
  await migrate(db);
  const close = db.close.bind(db);
  return Object.assign(db, {
    close: async () => {
      await close();
      await dropSchema(url, schema);
    },
  });
}
