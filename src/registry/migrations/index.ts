import { UntpCreditsError } from '../../errors.js';
import type { Database } from '../db.js';
import { ledger001 } from './001_ledger.js';
import { server002 } from './002_server.js';
import { impact003 } from './003_impact.js';
import { disclosures004 } from './004_disclosures.js';
import { serverLease005 } from './005_idempotency_lease.js';
import { log006 } from './006_log.js';
import { logWrites007 } from './007_log_writes.js';
import { vcApi008 } from './008_vc_api.js';
import { logCosignatures009 } from './009_log_cosignatures.js';
import { search010 } from './010_search.js';

/** A versioned migration: applied once, in order, never edited after release (add a new one instead). */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'ledger', sql: ledger001 },
  // The HTTP server's tables (identity, API keys, HTTP idempotency), owned by src/server.
  { version: 2, name: 'server', sql: server002 },
  { version: 3, name: 'impact', sql: impact003 }, // premium allocations, owned by src/impact
  { version: 4, name: 'disclosures', sql: disclosures004 }, // disclosure releases of withheld fields, owned by src/server
  { version: 5, name: 'idempotency-lease', sql: serverLease005 }, // leases on in-progress HTTP writes, owned by src/server
  { version: 6, name: 'log', sql: log006 }, // the transparency log's outbox, entries, tiles and checkpoints
  { version: 7, name: 'log-writes', sql: logWrites007 }, // pending outbox rows, issued-total counter
  { version: 8, name: 'vc-api', sql: vcApi008 }, // the VC-API issuer's own status lists (src/server); allocation credentials
  { version: 9, name: 'log-cosignatures', sql: logCosignatures009 }, // witness cosignatures of checkpoints
  { version: 10, name: 'search', sql: search010 }, // public search indexes, released beneficiaries
];

// Any constant works; it only has to be the same in every process sharing the database.
const MIGRATION_LOCK = 7_2026_0007;

/**
 * Brings the schema up to date, every pending migration in one transaction (all or none), under an
 * advisory lock so that several processes starting together apply each migration once. Refuses a database migrated by a
 * newer release (REGISTRY_SCHEMA_TOO_NEW).
 *
 * @example
 *   await migrate(await openDatabase({ dataDir }));
 */
export async function migrate(db: Database): Promise<{ applied: number[]; version: number }> {
  const applied: number[] = [];
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    const done = new Set(rows.map((row) => Number(row.version)));
    const latest = Math.max(0, ...MIGRATIONS.map((m) => m.version));
    const newest = Math.max(0, ...done);
    if (newest > latest) {
      throw new UntpCreditsError(
        'REGISTRY_SCHEMA_TOO_NEW',
        `the database is at schema version ${newest}; this release knows up to ${latest}`,
      );
    }
    // By version, whatever order the list was written in (migrations land from several branches).
    for (const migration of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
  });
  return { applied, version: Math.max(0, ...MIGRATIONS.map((m) => m.version)) };
}
