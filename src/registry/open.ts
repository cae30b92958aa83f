import { UntpCreditsError } from '../errors.js';
import type { Signer } from '../keys/types.js';
import { creditBuilders } from './credit-builders.js';
import { openDatabase, type Database, type OpenDatabaseOptions } from './db.js';
import { Registry } from './registry.js';
import { joseSecurer } from './signing.js';
import type { CredentialBuilders, RegistryOptions, SecureCredential } from './types.js';

export interface OpenRegistryOptions extends Omit<RegistryOptions, 'db' | 'secure' | 'builders'> {
  /** An open database; otherwise one is opened from `database` (PGlite by default, PostgreSQL with a url). */
  db?: Database;
  database?: OpenDatabaseOptions;
  /** Signs as JOSE through `issue()` (validated first). Give this or `secure`. */
  signer?: Signer;
  secure?: SecureCredential;
  /** Default: the credit builders. */
  builders?: CredentialBuilders;
}

/**
 * Opens a registry with the defaults: the credit builders, JOSE signing with `signer` through
 * `issue()`, PGlite unless a PostgreSQL url is given, migrations applied.
 *
 * @example
 *   const registry = await openRegistry({ database: { dataDir: './data/registry' }, baseUrl: 'https://registry.example',
 *     issuer: { id: 'did:web:registry.example', name: 'Example Registry' }, signer });
 */
export async function openRegistry(options: OpenRegistryOptions): Promise<Registry> {
  const secure = options.secure ?? (options.signer ? joseSecurer(options.signer) : undefined);
  if (!secure)
    throw new UntpCreditsError('SIGNER_REQUIRED', 'a registry needs a signer (or a signing step) for its credentials', {
      path: '/signer',
    });
  const db = options.db ?? (await openDatabase(options.database ?? {}));
  try {
    const { db: _db, database: _database, signer: _signer, secure: _secure, builders, ...rest } = options;
    const registry = await Registry.open({ ...rest, db, secure, builders: builders ?? creditBuilders });
    return registry;
  } catch (error) {
    if (!options.db) await db.close().catch(() => undefined);
    throw error;
  }
}
