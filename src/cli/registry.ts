import { databaseTarget } from './database-target.js';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { backupPglite, backupPostgres, restorePglite, restorePostgres } from '../registry/backup.js';
import { openDatabase, type Database, PgliteDatabase } from '../registry/db.js';
import { checkInvariants, type InvariantReport } from '../registry/invariants.js';
import { endOnError, EXIT_OK, exitForCheck } from './exit.js';

interface StoreOptions {
  dataDir?: string;
  databaseUrl?: string;
  schema?: string;
  json?: boolean;
}

function storeOf(options: StoreOptions): { url?: string; dataDir?: string; schema?: string } {
  const target = databaseTarget(options);
  return 'url' in target
    ? { url: target.url, ...(options.schema ? { schema: options.schema } : {}) }
    : { dataDir: target.dataDir };
}

/** Formats an invariant report for people. */
export function formatInvariantReport(report: InvariantReport): string {
  const t = report.totals;
  const head = `${report.ok ? '✔' : '✘'} ${report.issuances} issuance(s), ${report.retirements} retirement(s), ${report.credentials} credential(s); issued ${t.issued} = tradable ${t.tradable} + suspended ${t.suspended} + retired ${t.retired} + cancelled ${t.cancelled} + invalidated ${t.invalidated}`;
  return [head, ...report.violations.map((v) => `    error ${v.code}  ${v.message}`)].join('\n');
}

/**
 * `untp-credits registry check`: runs the invariant checker on the registry store (PGlite data
 * directory, or PostgreSQL with --database-url / DATABASE_URL). Exit 0 when every invariant holds,
 * 1 when one is broken, 2 when the store cannot be opened.
 */
export async function runRegistryCheck(
  options: StoreOptions,
  out: (line: string) => void = (l) => process.stdout.write(l + '\n'),
  err: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): Promise<number> {
  let db: Database | undefined;
  try {
    const store = storeOf(options);
    // Opening a missing directory would create an empty registry; say there is none instead.
    if (store.dataDir !== undefined && !existsSync(store.dataDir))
      throw new Error(`no registry data directory at ${store.dataDir}`);
    db = await openDatabase(store);
    await db.query('SELECT version FROM schema_migrations LIMIT 1').catch(() => {
      throw new Error(`${db?.location ?? 'the store'} holds no registry (no schema_migrations table)`);
    });
    const report = await checkInvariants(db);
    out(options.json ? JSON.stringify(report, null, 2) : formatInvariantReport(report));
    return exitForCheck(report.ok);
  } catch (error) {
    return endOnError('registry check', error, err);
  } finally {
    await db?.close().catch(() => undefined);
  }
}

async function runBackup(file: string, options: StoreOptions, restore: boolean): Promise<number> {
  const store = storeOf(options);
  try {
    if (store.url) {
      if (restore) await restorePostgres(store.url, file);
      else await backupPostgres(store.url, file, { schema: store.schema ?? 'public' });
    } else if (restore) {
      const db = await restorePglite(file, store.dataDir);
      const report = await checkInvariants(db);
      await db.close();
      process.stdout.write(formatInvariantReport(report) + '\n');
      return exitForCheck(report.ok);
    } else {
      const db = await openDatabase(store);
      try {
        await backupPglite(db as PgliteDatabase, file);
      } finally {
        await db.close();
      }
    }
    return EXIT_OK;
  } catch (error) {
    return endOnError(`registry ${restore ? 'restore' : 'backup'}`, error);
  }
}

export function registerRegistry(program: Command): void {
  const registry = program
    .command('registry')
    .description('operate the credit registry store (PGlite data directory or PostgreSQL)');
  const store = (command: Command) =>
    command
      .option('--data-dir <dir>', 'PGlite data directory (default ./data/registry)')
      .option('--database-url <url>', 'PostgreSQL connection string (default: DATABASE_URL)')
      .option('--schema <schema>', 'PostgreSQL schema holding the registry (default public)');
  store(
    registry
      .command('check')
      .description('check the ledger invariants: conservation per issuance, no overlap, credentials match the ledger'),
  )
    .option('--json', 'print the report as JSON')
    .action(async (options: StoreOptions) => {
      process.exitCode = await runRegistryCheck(options);
    });
  store(
    registry
      .command('backup')
      .description('back the registry up: PGlite dumpDataDir tarball, or pg_dump --format=custom')
      .argument('<file>'),
  ).action(async (file: string, options: StoreOptions) => {
    process.exitCode = await runBackup(file, options, false);
  });
  store(
    registry
      .command('restore')
      .description('restore a backup into an empty data directory or database, then check it')
      .argument('<file>'),
  ).action(async (file: string, options: StoreOptions) => {
    process.exitCode = await runBackup(file, options, true);
  });
}
