import { databaseTarget } from './database-target.js';
import type { Command } from 'commander';
import { DEFAULT_DATA_DIR, describeDatabase, openServerDatabase } from '../server/bootstrap.js';
import { didDocumentPath, ensureIdentity, identityDidDocument, rotateSigningKey } from '../server/identity.js';
import { endOnError, EXIT_OK } from './exit.js';

export interface InitOptions {
  publicUrl?: string;
  issuerDid?: string;
  name?: string;
  keyFile?: string;
  dataDir?: string;
  rotateKey?: boolean;
  printDidDocument?: boolean;
}

/**
 * `untp-credits init`: creates the registry identity once (did:web, signing key, public URL) in the
 * database, so every server process sharing it signs as the same issuer. `--rotate-key` adds a new
 * signing key; old keys stay in the DID document.
 */
export async function runInit(
  options: InitOptions,
  env: NodeJS.ProcessEnv = process.env,
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
  let db;
  try {
    db = await openServerDatabase(databaseTarget({ dataDir: options.dataDir }, env, DEFAULT_DATA_DIR));
  } catch (error) {
    return endOnError('init', error);
  }
  try {
    const publicUrl = options.publicUrl ?? env.PUBLIC_URL;
    const issuerDid = options.issuerDid ?? env.ISSUER_DID;
    let identity = await ensureIdentity(db, {
      ...(publicUrl ? { publicUrl } : {}),
      ...(issuerDid ? { issuerDid } : {}),
      ...(options.name ? { name: options.name } : {}),
      ...(options.keyFile ? { keyFile: options.keyFile } : {}),
    });
    if (options.rotateKey) identity = await rotateSigningKey(db, options.keyFile ? { keyFile: options.keyFile } : {});
    const document = await identityDidDocument(identity);
    if (options.printDidDocument) {
      out(JSON.stringify(document, null, 2));
      return EXIT_OK;
    }
    out(`registry ${identity.name}`);
    out(`  DID         ${identity.did}`);
    out(`  public URL  ${identity.publicUrl}`);
    out(
      `  signing key ${identity.keys.find((k) => k.active)?.kid ?? '(none)'} (${identity.keys.length} key(s) in the DID document)`,
    );
    out(`  database    ${describeDatabase(db)}`);
    // did:web resolves at the host's root (or the DID's path), wherever the registry itself is mounted.
    const didDocumentUrl = `${new URL(identity.publicUrl).origin}${didDocumentPath(identity.did)}`;
    out(`  DID document ${didDocumentUrl} (resolvers fetch it there: serve it at that path, over HTTPS)`);
    return EXIT_OK;
  } catch (error) {
    return endOnError('init', error);
  } finally {
    await db.close();
  }
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('create the registry identity (did:web, signing key, public URL) in the database, once')
    .option('--public-url <url>', 'where the registry is reachable (default PUBLIC_URL)')
    .option('--issuer-did <did>', 'the registry DID (default ISSUER_DID, else did:web of the public URL)')
    .option('--name <name>', 'the registry name used as issuer name')
    .option(
      '--key-file <path>',
      'sign with this private JWK file (kid = <did>#<thumbprint>) instead of a key kept in the database',
    )
    .option('--data-dir <dir>', 'PGlite data directory when DATABASE_URL is not set (default ./data/registry)')
    .option('--rotate-key', 'add a new signing key (old keys stay in the DID document)')
    .option('--print-did-document', 'print the DID document as JSON')
    .action(async (options: InitOptions) => {
      process.exitCode = await runInit(options);
    });
}
