import { databaseTarget } from './database-target.js';
import type { Command } from 'commander';
import { createApiKey, listApiKeys, revokeApiKey } from '../server/auth.js';
import { DEFAULT_DATA_DIR, openServerDatabase } from '../server/bootstrap.js';
import { endOnError, endWith, EXIT_OK } from './exit.js';

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
    return endOnError('apikey', error);
  }
  try {
    return await fn(db);
  } catch (error) {
    return endOnError('apikey', error);
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
    return EXIT_OK;
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
        return EXIT_OK;
      });
    });
  apikey
    .command('revoke')
    .description('revoke a key by id')
    .argument('<id>')
    .option('--data-dir <dir>', 'PGlite data directory')
    .action(async (id: string, options: { dataDir?: string }) => {
      process.exitCode = await withDatabase(options.dataDir, process.env, async (db) => {
        if (!(await revokeApiKey(db, id))) return endWith('apikey', 'API_KEY_NOT_FOUND', `no active key ${id}`);
        process.stdout.write(`revoked ${id}\n`);
        return EXIT_OK;
      });
    });
}
