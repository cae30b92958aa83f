import { mkdirSync } from 'node:fs';

/**
 * The little SQL the server's own tables need, over PGlite or PostgreSQL (both take `$1` parameters
 * and give `{ rows }`). The ledger brings its own `Database`; this adapter matches its shape so one
 * connection can serve both once the ledger lands.
 */
export interface SqlDatabase {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: T[] }>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** A database this module opened (tests, tools without the ledger). */
export interface OwnedDatabase extends SqlDatabase {
  readonly engine: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A PostgreSQL URL (postgres://…): wins over `dataDir`. */
  url?: string;
  /** PGlite data directory; `memory://` (or undefined) keeps everything in memory. */
  dataDir?: string;
}

/**
 * Opens PostgreSQL when `url` is given, else an embedded PGlite in `dataDir`.
 *
 * @example
 *   const db = await openDatabase({ url: process.env.DATABASE_URL, dataDir: './data' });
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<OwnedDatabase> {
  if (options.url) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    await pool.query('SELECT 1');
    return {
      engine: 'postgres',
      query: async <T>(sql: string, params: readonly unknown[] = []) => ({
        rows: (await pool.query(sql, [...params])).rows as T[],
      }),
      exec: async (sql) => {
        await pool.query(sql);
      },
      close: () => pool.end(),
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const dir = options.dataDir && options.dataDir !== 'memory://' ? options.dataDir : undefined;
  if (dir) mkdirSync(dir, { recursive: true });
  const lite = dir ? await PGlite.create(dir) : await PGlite.create();
  return {
    engine: 'pglite',
    query: async <T>(sql: string, params: readonly unknown[] = []) => ({
      rows: (await lite.query<T>(sql, [...params])).rows,
    }),
    exec: async (sql) => {
      await lite.exec(sql);
    },
    close: () => lite.close(),
  };
}
