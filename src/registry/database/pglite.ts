import { existsSync, readdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { UntpCreditsError } from '../../errors.js';
import { acquireLock, releaseLock } from './data-dir-lock.js';
import {
  refuseWhenClosing,
  type Database,
  type OpenDatabaseOptions,
  type Queryable,
  type QueryResult,
} from './types.js';

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
