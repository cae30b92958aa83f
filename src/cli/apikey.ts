import { databaseTarget } from './database-target.js';
import type { Command } from 'commander';
import { isUntpCreditsError } from '../errors.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../server/auth.js';
import { DEFAULT_DATA_DIR, openServerDatabase } from '../server/bootstrap.js';

type Out = (line: string) => void;

async function withDatabase(
  dataDir: string | undefined,
  env: NodeJS.ProcessEnv,
  fn: (db: Awaited<ReturnType<typeof openServerDatabase>>) => Promise<number>,
): Promise<number> {
  let db;
  try {
    db = await openServerDatabase(databaseTarget({ dataDir: dataDir }, env, DEFAULT_DATA_DIR));
  } catch (error) {
    process.stderr.write(`apikey: ${isUntpCreditsError(error) ? `${error.code}: ` : ''}${(error as Error).message}\n`);
    return 1;
  }
  try {
    return await fn(db);
  } catch (error) {
    process.stderr.write(`apikey: ${isUntpCreditsError(error) ? `${error.code}: ` : ''}${(error as Error).message}\n`);
    return isUntpCreditsError(error) ? 2 : 1;
  } finally {
    await db.close();
  }
}

/** `untp-credits apikey create --scope S…`: prints the new key once (only its hash is stored). */
export function runApiKeyCreate(
  options: { scope: string[]; label?: string; dataDir?: string },
  env: NodeJS.ProcessEnv = process.env,
  out: Out = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
  return withDatabase(options.dataDir, env, async (db) => {
    const created = await createApiKey(db, options.scope, options.label);
    out(created.key);
    process.stderr.write(`apikey ${created.id} with scope ${created.scopes.join(', ')}: shown once, keep it safe\n`);
    return 0;
  });
}

export function registerApiKey(program: Command): void {
  const apikey = program
    .command('apikey')
    .description('API keys for the server (scopes: issuer, admin, holder:<accountId>)');
  apikey
    .command('create')
    .description('create a key and print it once')
    .requiredOption(
      '--scope <scope>',
      'issuer | admin | holder:<accountId> (repeat for several)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--label <label>', 'a note on whose key it is')
    .option('--data-dir <dir>', 'PGlite data directory when DATABASE_URL is not set (default ./data/registry)')
    .action(async (options: { scope: string[]; label?: string; dataDir?: string }) => {
      process.exitCode = await runApiKeyCreate(options);
    });
  apikey
    .command('list')
    .description('list keys (ids and scopes, never the keys)')
    .option('--data-dir <dir>', 'PGlite data directory')
    .action(async (options: { dataDir?: string }) => {
      process.exitCode = await withDatabase(options.dataDir, process.env, async (db) => {
        for (const key of await listApiKeys(db))
          process.stdout.write(
            `${key.id}  ${key.scopes.join(',')}  ${key.revoked ? 'revoked' : 'active'}  ${key.createdAt}  ${key.label ?? ''}\n`,
          );
        return 0;
      });
    });
  apikey
    .command('revoke')
    .description('revoke a key by id')
    .argument('<id>')
    .option('--data-dir <dir>', 'PGlite data directory')
    .action(async (id: string, options: { dataDir?: string }) => {
      process.exitCode = await withDatabase(options.dataDir, process.env, async (db) => {
        if (!(await revokeApiKey(db, id))) {
          process.stderr.write(`apikey: no active key ${id}\n`);
          return 1;
        }
        process.stdout.write(`revoked ${id}\n`);
        return 0;
      });
    });
}
