import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { UntpCreditsError } from '../errors.js';
import { PgliteDatabase } from './database/pglite.js';

const run = promisify(execFile);

/**
 * Writes a PGlite registry's whole data directory as a gzip tarball (`dumpDataDir`). Consistent:
 * PGlite runs one query at a time, so the dump sees no half-done command.
 *
 * @example
 *   await backupPglite(db, 'registry-2026-11-23.tar.gz');
 */
export async function backupPglite(db: PgliteDatabase, file: string): Promise<void> {
  const blob = await db.dump();
  writeFileSync(file, new Uint8Array(await blob.arrayBuffer()));
}

/**
 * Restores a PGlite backup into `dataDir` (absent or empty), or into memory when no dataDir is
 * given, and returns the open database (run `checkInvariants` on it before serving).
 *
 * @example
 *   const db = await restorePglite('registry-2026-11-23.tar.gz', './data/registry');
 */
export async function restorePglite(file: string, dataDir?: string): Promise<PgliteDatabase> {
  if (dataDir !== undefined && existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new UntpCreditsError('RESTORE_TARGET_NOT_EMPTY', `${dataDir} is not empty; restore into a new directory`, {
      details: { dataDir },
    });
  }
  const bytes = readFileSync(file);
  return PgliteDatabase.open({
    ...(dataDir !== undefined ? { dataDir } : {}),
    loadDataDir: new Blob([new Uint8Array(bytes)], { type: 'application/x-gzip' }),
  });
}

/**
 * Backs a PostgreSQL registry schema up with `pg_dump --format=custom` (a consistent snapshot
 * while the registry keeps serving). Needs pg_dump of the server's major version on PATH.
 *
 * @example
 *   await backupPostgres(process.env.DATABASE_URL!, 'registry.dump', { schema: 'public' });
 */
export async function backupPostgres(
  url: string,
  file: string,
  options: { schema?: string; pgDump?: string } = {},
): Promise<void> {
  try {
    await run(options.pgDump ?? 'pg_dump', [
      '--format=custom',
      `--schema=${options.schema ?? 'public'}`,
      `--file=${file}`,
      `--dbname=${url}`,
    ]);
  } catch (error) {
    throw new UntpCreditsError(
      'BACKUP_FAILED',
      `pg_dump failed: ${(error as { stderr?: string }).stderr ?? (error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Restores a `backupPostgres` dump into the database at `url` (which must not hold the schema
 * yet): creates btree_gist first (extensions live outside the dumped schema), then `pg_restore`.
 *
 * @example
 *   await restorePostgres('postgres://registry@new-db/registry', 'registry.dump');
 */
export async function restorePostgres(url: string, file: string, options: { pgRestore?: string } = {}): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public');
  } finally {
    await client.end();
  }
  try {
    await run(options.pgRestore ?? 'pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${url}`, file]);
  } catch (error) {
    throw new UntpCreditsError(
      'RESTORE_FAILED',
      `pg_restore failed: ${(error as { stderr?: string }).stderr ?? (error as Error).message}`,
      { cause: error },
    );
  }
}
