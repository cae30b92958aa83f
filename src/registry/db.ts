import { PgliteDatabase } from './database/pglite.js';
import { PostgresDatabase } from './database/postgres.js';
import type { Database, OpenDatabaseOptions } from './database/types.js';

export type { Database, OpenDatabaseOptions, Queryable, QueryResult } from './database/types.js';
export { PgliteDatabase, checkDataDir } from './database/pglite.js';
export { PostgresDatabase } from './database/postgres.js';

/**
 * Opens the registry store: PostgreSQL when `url` is given, else PGlite. The URL comes from the
 * caller only (the CLI reads DATABASE_URL; a library never looks at the environment).
 *
 * @example
 *   const db = await openDatabase({ dataDir: './data/registry' });   // embedded, single node
 *   const db = await openDatabase({ url: 'postgres://registry@db/registry' }); // shared by several processes
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  if (options.url) return PostgresDatabase.open(options.url, options);
  return PgliteDatabase.open(options);
}
