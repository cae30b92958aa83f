import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import pg from 'pg';
import { UntpCreditsError } from '../errors.js';

/**
 * The registry's one storage interface, in the PostgreSQL dialect, with two adapters: PGlite
 * (embedded, single process: a data directory, or memory for tests) and PostgreSQL (several
 * stateless processes may share one database). Commands run inside `transaction`, at READ
 * COMMITTED with explicit row locks (`SELECT … FOR UPDATE`); the schema's constraints and
 * triggers are the last line of defence.
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
  /** PostgreSQL connection string; when absent, PGlite is used. Default: process.env.DATABASE_URL. */
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

/**
 * Opens the registry store: PostgreSQL when `url` (or DATABASE_URL) is given, else PGlite.
 *
 * @example
 *   const db = await openDatabase({ dataDir: './data/registry' });   // embedded, single node
 *   const db = await openDatabase({ url: 'postgres://registry@db/registry' }); // shared by several processes
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const url = options.url ?? process.env.DATABASE_URL;
  if (url) return PostgresDatabase.open(url, options);
  return PgliteDatabase.open(options);
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** PostgreSQL through a `pg` pool. Stateless: any number of processes may open the same database. */
export class PostgresDatabase implements Database {
  readonly engine = 'postgres' as const;
  private closed = false;
  private constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {}

  static async open(url: string, options: OpenDatabaseOptions = {}): Promise<PostgresDatabase> {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema))
      throw new UntpCreditsError('SCHEMA_NAME_INVALID', `schema ${schema} must match ${SCHEMA_NAME}`, {
        path: '/schema',
      });
    const setup = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    try {
      await setup.connect();
      if (schema !== 'public') {
        // Two processes may create the same schema at once; the loser sees unique_violation.
        await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((error: { code?: string }) => {
          if (error.code !== '23505' && error.code !== '42P06') throw error;
        });
      }
    } catch (error) {
      throw new UntpCreditsError(
        'DATABASE_UNAVAILABLE',
        `cannot reach PostgreSQL at ${redact(url)}: ${(error as Error).message}`,
        { cause: error },
      );
    } finally {
      await setup.end().catch(() => undefined);
    }
    // public stays on the path: btree_gist lives there, shared by every schema of the database.
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      options: `-c search_path=${schema},public`,
      connectionTimeoutMillis: 30_000,
    });
    pool.on('error', () => undefined); // an idle client lost; the next query reconnects
    return new PostgresDatabase(pool, `${redact(url)} (schema ${schema})`);
  }

  async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
    refuseWhenClosing(this.closed, this.location);
    const result = await this.pool.query(sql, params as unknown[]);
    return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    refuseWhenClosing(this.closed, this.location);
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    refuseWhenClosing(this.closed, this.location);
    // Deadlocks and serialization failures are retried: the transaction had no effect.
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let released = false;
      // pg-pool drops its idle-error listener while a client is checked out: without ours, a
      // connection that dies under the transaction would be an unhandled 'error' event (a crash).
      // The failing query rejects on its own; the broken client is destroyed below.
      let connectionLost = false;
      const onError = (): void => {
        connectionLost = true;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          query: async <R>(sql: string, params: readonly unknown[] = []) => {
            const result = await client.query(sql, params as unknown[]);
            return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
          },
          exec: async (sql: string) => {
            await client.query(sql);
          },
        };
        const value = await fn(tx);
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          connectionLost = true;
        });
        if (connectionLost) {
          client.release(true);
          released = true;
        }
        const code = (error as { code?: string }).code;
        if ((code === '40001' || code === '40P01') && attempt < 5) continue;
        throw error;
      } finally {
        client.off('error', onError);
        if (!released) client.release();
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end(); // waits for the transactions already running
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}

/**
 * PGlite: PostgreSQL in WebAssembly, in this process. For a single node or a demo: only one process
 * may open a data directory, which a lock file next to it (`<dataDir>.lock`, holding the pid)
 * enforces; a second process gets REGISTRY_LOCKED naming the holder.
 */
export class PgliteDatabase implements Database {
  readonly engine = 'pglite' as const;
  private closed = false;
  /** Statements and transactions admitted and not finished; close() waits for them. */
  private running = 0;
  private readonly drained: Array<() => void> = [];
  private constructor(
    private readonly pg: PGlite,
    readonly location: string,
    private readonly lockFile: string | undefined,
  ) {}

  static async open(options: OpenDatabaseOptions = {}): Promise<PgliteDatabase> {
    const dataDir = options.dataDir;
    let lockFile: string | undefined;
    if (dataDir !== undefined) {
      if (!options.loadDataDir) checkDataDir(dataDir);
      lockFile = acquireLock(dataDir);
    }
    try {
      const db = await PGlite.create({
        ...(dataDir !== undefined ? { dataDir } : {}),
        ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
        extensions: { btree_gist },
      });
      return new PgliteDatabase(db, dataDir ?? 'memory', lockFile);
    } catch (error) {
      if (lockFile) releaseLock(lockFile);
      throw new UntpCreditsError(
        'REGISTRY_DATA_DAMAGED',
        `PGlite could not open ${dataDir ?? 'an in-memory database'}: ${(error as Error).message}. Restore it from a backup (see docs/registry.md).`,
        { cause: error, details: { dataDir } },
      );
    }
  }

  async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
    return this.admitted(async () => pgliteResult(await this.pg.query<T>(sql, params as unknown[])));
  }

  async exec(sql: string): Promise<void> {
    await this.admitted(() => this.pg.exec(sql));
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    // PGlite has one connection and runs one transaction at a time (its own mutex).
    return this.admitted(() =>
      this.pg.transaction(async (tx) =>
        fn({
          query: async <R>(sql: string, params: readonly unknown[] = []) => {
            return pgliteResult(await tx.query<R>(sql, params as unknown[]));
          },
          exec: async (sql: string) => {
            await tx.exec(sql);
          },
        }),
      ),
    );
  }

  /**
   * PGlite answers in microtasks only (WASM in this thread): a caller awaiting one statement after
   * another would never let the event loop run — no signal handler, timer or socket, so not even
   * SIGTERM could close it. Each new statement or transaction first yields one turn of the loop (a
   * few microseconds), then is refused if the database started closing meanwhile. Work admitted
   * before the close finishes before the checkpoint (a transaction is never cut in the middle).
   */
  private async admitted<T>(work: () => Promise<T>): Promise<T> {
    refuseWhenClosing(this.closed, this.location);
    await new Promise<void>((resolve) => setImmediate(resolve));
    refuseWhenClosing(this.closed, this.location);
    this.running++;
    try {
      return await work();
    } finally {
      if (--this.running === 0) for (const wake of this.drained.splice(0)) wake();
    }
  }

  /** A gzip tarball of the whole data directory (PGlite's `dumpDataDir`), for backups. */
  async dump(): Promise<Blob> {
    return this.pg.dumpDataDir('gzip');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.running > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
      // Flush to the data files so the next start needs no recovery.
      await this.pg.query('CHECKPOINT').catch(() => undefined);
      await this.pg.close();
    } finally {
      if (this.lockFile) releaseLock(this.lockFile);
    }
  }
}

/** REGISTRY_CLOSING (503): the database is closing or closed; retry on the next process. */
function refuseWhenClosing(closed: boolean, location: string): void {
  if (closed)
    throw new UntpCreditsError(
      'REGISTRY_CLOSING',
      `the registry database ${location} is closing; no new work is admitted`,
    );
}

/** PGlite reports affectedRows 0 for a SELECT; rowCount means rows returned or rows changed, as in pg. */
function pgliteResult<T>(result: { rows: T[]; fields: unknown[]; affectedRows?: number }): QueryResult<T> {
  return { rows: result.rows, rowCount: result.fields.length > 0 ? result.rows.length : (result.affectedRows ?? 0) };
}

/**
 * Refuses a data directory that exists but is not a PostgreSQL cluster PGlite can start from.
 * An absent or empty directory is fine (a new registry).
 */
export function checkDataDir(dataDir: string): void {
  if (!existsSync(dataDir)) return;
  let entries: string[];
  try {
    entries = readdirSync(dataDir);
  } catch (error) {
    throw new UntpCreditsError(
      'REGISTRY_DATA_DAMAGED',
      `${dataDir} is not a readable directory: ${(error as Error).message}`,
      { details: { dataDir } },
    );
  }
  if (entries.length === 0) return;
  const missing = ['PG_VERSION', 'global/pg_control', 'base'].filter((name) => !existsSync(`${dataDir}/${name}`));
  if (missing.length > 0) {
    throw new UntpCreditsError(
      'REGISTRY_DATA_DAMAGED',
      `${dataDir} is not an intact registry data directory (missing ${missing.join(', ')}); refusing to start. Restore it from a backup (see docs/registry.md).`,
      { details: { dataDir, missing } },
    );
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Takes `<dataDir>.lock` for this process; a stale lock (dead pid) is taken over. The lock file goes
 * next to the data directory, so its parent is created first (a fresh clone has no ./data).
 */
function acquireLock(dataDir: string): string {
  const lockFile = `${dataDir.replace(/[/\\]+$/, '')}.lock`;
  mkdirSync(dirname(resolve(lockFile)), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return lockFile;
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readFileSync(lockFile, 'utf8').trim(), 10);
      if (Number.isInteger(holder) && holder !== process.pid && pidAlive(holder)) {
        throw new UntpCreditsError(
          'REGISTRY_LOCKED',
          `the registry data directory ${dataDir} is in use by process ${holder} (lock ${lockFile}); PGlite serves one process only — stop it, or use PostgreSQL for several processes`,
          { details: { dataDir, pid: holder, lockFile } },
        );
      }
      if (holder === process.pid) {
        throw new UntpCreditsError(
          'REGISTRY_LOCKED',
          `the registry data directory ${dataDir} is already open in this process (pid ${holder})`,
          { details: { dataDir, pid: holder, lockFile } },
        );
      }
      rmSync(lockFile, { force: true }); // stale: its process is gone
    }
  }
  throw new UntpCreditsError('REGISTRY_LOCKED', `could not take the lock ${lockFile}`, {
    details: { dataDir, lockFile },
  });
}

function releaseLock(lockFile: string): void {
  try {
    if (readFileSync(lockFile, 'utf8').trim() === String(process.pid)) rmSync(lockFile, { force: true });
  } catch {
    // already gone
  }
}

/**
 * Closes the database (PGlite: checkpoint, close, release the lock) on SIGTERM or SIGINT, then
 * exits with `exitCode` (0 by default). Returns a function that removes the handlers.
 *
 * @example
 *   const db = await openDatabase({ dataDir }); closeOnSignals(db);
 */
export function closeOnSignals(db: Database, options: { exitCode?: number; onClosed?: () => void } = {}): () => void {
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    void db.close().then(
      () => {
        options.onClosed?.();
        process.exit(options.exitCode ?? 0);
      },
      (error: unknown) => {
        process.stderr.write(`closing the registry on ${signal} failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}
