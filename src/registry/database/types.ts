import { UntpCreditsError } from '../../errors.js';

/**
 * The registry's one storage interface, in the PostgreSQL dialect, with two adapters: PGlite
 * (embedded, single process: a data directory, or memory for tests; ./pglite.ts) and PostgreSQL
 * (several stateless processes may share one database; ./postgres.ts). Commands run inside
 * `transaction`, at READ COMMITTED with explicit row locks (`SELECT … FOR UPDATE`); the schema's
 * constraints and triggers are the last line of defence.
 */

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** Something that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Where it lives: the data directory, `memory`, or the PostgreSQL URL without password and its schema. */
  readonly location: string;
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; when absent (or empty), PGlite is used. The caller decides: the library never reads the environment. */
  url?: string;
  /** PostgreSQL schema to keep the registry in (created when missing). Default `public`. */
  schema?: string;
  /** PGlite data directory; when absent (and no url), an in-memory database. */
  dataDir?: string;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** PGlite only: start from this dump (a `dumpDataDir` tarball) instead of an empty directory. */
  loadDataDir?: Blob;
}

/** REGISTRY_CLOSING (503): the database is closing or closed; retry on the next process. */
export function refuseWhenClosing(closed: boolean, location: string): void {
  if (closed)
    throw new UntpCreditsError(
      'REGISTRY_CLOSING',
      `the registry database ${location} is closing; no new work is admitted`,
    );
}
