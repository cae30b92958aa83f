import { server002 } from '../registry/migrations/002_server.js';
import { serverLease005 } from '../registry/migrations/005_idempotency_lease.js';
import type { SqlDatabase } from './db.js';

/**
 * The server's own tables: the registry identity (DID, public URL, signing keys) and API keys
 * (hashed), plus idempotent replies. Kept apart from the ledger's tables (prefix `server_`).
 * Statements are idempotent (IF NOT EXISTS), so every process sharing one PostgreSQL may run them.
 */
export const SERVER_SCHEMA_SQL = server002 + serverLease005;

// The same in every process sharing the database (distinct from the ledger's migration lock).
const SERVER_MIGRATION_LOCK = 7_2026_0008;

/**
 * Creates the server's tables when missing. Concurrent `CREATE TABLE IF NOT EXISTS` can still
 * collide in PostgreSQL, so with a transactional database it runs under an advisory lock.
 */
export async function migrateServerTables(
  db: SqlDatabase | (SqlDatabase & { transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> }),
): Promise<void> {
  if ('transaction' in db) {
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [SERVER_MIGRATION_LOCK]);
      await tx.exec(SERVER_SCHEMA_SQL);
    });
    return;
  }
  await db.exec(SERVER_SCHEMA_SQL);
}
