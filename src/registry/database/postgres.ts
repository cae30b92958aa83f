import pg from 'pg';
import { UntpCreditsError } from '../../errors.js';
import {
  refuseWhenClosing,
  type Database,
  type OpenDatabaseOptions,
  type Queryable,
  type QueryResult,
} from './types.js';

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
