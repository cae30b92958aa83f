import { openDatabase, type Database } from '../registry/db.js';
import { migrate } from '../registry/migrations/index.js';

/** The default PGlite data directory (under ./data, which git ignores). */
export const DEFAULT_DATA_DIR = './data/registry';

export interface ServerDatabaseOptions {
  /** PostgreSQL URL (DATABASE_URL); wins over `dataDir`. */
  url?: string;
  /** PGlite data directory (default ./data/registry). */
  dataDir?: string;
  /** PostgreSQL schema (default public). */
  schema?: string;
}

/**
 * Opens the one database the server, the ledger and the CLI verbs share (PostgreSQL when a URL is
 * given, else PGlite) and brings its schema up to date: every migration, the ledger's and the server's tables alike.
 *
 * @example
 *   const db = await openServerDatabase({ url: process.env.DATABASE_URL });
 */
export async function openServerDatabase(options: ServerDatabaseOptions = {}): Promise<Database> {
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const db = options.url
    ? await openDatabase({ url: options.url, ...(options.schema ? { schema: options.schema } : {}) })
    : await openDatabase({ dataDir });
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

/** Where a database lives, for messages (never the password). */
export function describeDatabase(db: Database): string {
  return db.engine === 'pglite' ? `PGlite at ${db.location}` : `PostgreSQL ${db.location}`;
}
