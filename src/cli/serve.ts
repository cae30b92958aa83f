import { databaseTarget } from './database-target.js';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { issuanceCap } from '../registry/commands/issue.js';
import { DEFAULT_DATA_DIR, describeDatabase, openServerDatabase } from '../server/bootstrap.js';
import { openLedger } from '../server/ledger.js';
import { parseWitnesses, type WitnessConfig } from '../registry/log/witness-push.js';
import type { Registry } from '../registry/registry.js';
import { startServer } from '../server/start.js';
import { seedDemo, seedDemoAllocation, warmDemoSchemas } from '../server/demo.js';
import { endOnError, endWith, EXIT_OK } from './exit.js';

export interface ServeOptions {
  demo?: boolean;
  port?: string;
  host?: string;
  dataDir?: string;
  publicUrl?: string;
  issuerDid?: string;
  name?: string;
  /** Demo mode: false = do not run the example commands on an empty ledger (`--no-seed`). */
  seed?: boolean;
  /** Failed authentications per client address per minute before 429; 0 turns the limit off. */
  failedAuthLimit?: string;
  /** Express `trust proxy`: hops to trust (a number), or addresses/`loopback`, when behind a reverse proxy. */
  trustProxy?: string;
  /** The most credits one issuance may carry (default MAX_ISSUANCE_QUANTITY or 1 000 000). */
  maxIssuance?: string;
  /** Witnesses to push each checkpoint to, `URL,VKEY` (default UNTP_CREDITS_WITNESSES, `;`-separated). */
  witness?: string[];
}

/**
 * `untp-credits serve`: the issuer/verifier server on the embedded database (./data/registry) or
 * PostgreSQL (DATABASE_URL). Outside demo mode PUBLIC_URL (or ISSUER_DID) is required. Runs until
 * SIGINT/SIGTERM, then closes the database cleanly.
 */
export async function runServe(
  options: ServeOptions,
  env: NodeJS.ProcessEnv = process.env,
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
  const port = Number(options.port ?? env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return endWith('serve', 'OPTION_INVALID', `PORT ${options.port ?? env.PORT} is not a port number`);
  // An empty FAILED_AUTH_LIMIT means the default, not 0 (which turns the limit off).
  const failedAuthLimit = options.failedAuthLimit ?? (env.FAILED_AUTH_LIMIT || undefined);
  if (failedAuthLimit !== undefined && !/^\d{1,9}$/.test(failedAuthLimit))
    return endWith(
      'serve',
      'OPTION_INVALID',
      `--failed-auth-limit ${failedAuthLimit} is not a whole number of attempts per minute (0 turns the limit off)`,
    );
  const perMinute = failedAuthLimit === undefined ? 20 : Number(failedAuthLimit);
  const maxIssuance = options.maxIssuance ?? (env.MAX_ISSUANCE_QUANTITY || undefined);
  if (maxIssuance !== undefined && !(/^\d{1,16}$/.test(maxIssuance) && capIsValid(Number(maxIssuance))))
    return endWith(
      'serve',
      'OPTION_INVALID',
      `--max-issuance ${maxIssuance} is not a whole number of credits from 1 to 2^53−1`,
    );
  const maxIssuanceQuantity = maxIssuance === undefined ? undefined : Number(maxIssuance);
  let witnesses: WitnessConfig[];
  try {
    witnesses = parseWitnesses(options.witness ?? (env.UNTP_CREDITS_WITNESSES ? [env.UNTP_CREDITS_WITNESSES] : []));
  } catch (error) {
    return endOnError('serve', error);
  }
  const trustProxy = options.trustProxy ?? (env.TRUST_PROXY || undefined);
  const demo = options.demo ?? false;
  const publicUrl = options.publicUrl ?? env.PUBLIC_URL;
  const issuerDid = options.issuerDid ?? env.ISSUER_DID;
  // Demo mode without a bootstrap key gets a throwaway one, printed once, so the API can be tried at once.
  let adminKey = env.UNTP_CREDITS_ADMIN_KEY || undefined;
  const generatedKey = demo && !adminKey ? `demo_${randomBytes(24).toString('base64url')}` : undefined;
  adminKey ??= generatedKey;

  // A new embedded registry with no public URL can only fail: say so before creating anything.
  const dataDir = options.dataDir ?? env.DATA_DIR ?? DEFAULT_DATA_DIR;
  if (!demo && !publicUrl && !issuerDid && !env.DATABASE_URL && !existsSync(dataDir))
    return endWith(
      'serve',
      'PUBLIC_URL_REQUIRED',
      'set PUBLIC_URL (or ISSUER_DID, or run untp-credits init): credential ids, status-list URLs and the DID are permanent once signed; use --demo to try the server on localhost',
    );
  let db;
  try {
    db = await openServerDatabase(databaseTarget({ dataDir: options.dataDir }, env, DEFAULT_DATA_DIR));
  } catch (error) {
    return endOnError('serve', error);
  }
  const database = db;
  let seeded: string | undefined;
  let registry: Registry | undefined;
  let closed = false;
  try {
    // The seeding validates credentials: compile their schemas now, while the port is still closed.
    if (demo && options.seed !== false) await warmDemoSchemas();
    const host = options.host ?? env.HOST;
    const started = await startServer({
      db: database,
      port,
      ...(host ? { host } : {}),
      demo,
      ...(publicUrl ? { publicUrl } : {}),
      identity: { ...(issuerDid ? { issuerDid } : {}), ...(options.name ? { name: options.name } : {}) },
      ...(adminKey ? { adminKey } : {}),
      failedAuthLimit: perMinute === 0 ? false : { maxFailures: perMinute, windowMs: 60_000 },
      ...(trustProxy ? { trustProxy: /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy } : {}),
      services: async (identity) => {
        const services = await openLedger(
          database,
          identity,
          maxIssuanceQuantity === undefined ? { log: true, witnesses } : { maxIssuanceQuantity, log: true, witnesses },
        );
        registry = services.registry;
        if (demo && options.seed !== false) {
          seeded = await seedDemo(services.ledger);
          if (seeded) await seedDemoAllocation(database, identity, services.ledger, seeded);
        }
        return services;
      },
    });
    out(
      `untp-credits serving ${started.publicUrl}${demo ? '  (DEMO: a demo issuer on localhost; its credentials attest nothing)' : ''}`,
    );
    out(
      `  listening on ${started.listenUrl}${started.listenUrl === started.url ? '' : ` (all interfaces; here: ${started.url})`}; issuer ${started.identity.did}; database ${describeDatabase(database)}`,
    );
    out(
      `  verifier ${started.publicUrl}/verify · API ${started.publicUrl}/openapi.json · DID ${started.publicUrl}/.well-known/did.json`,
    );
    if (seeded)
      out(`  demo retirement statement ${started.publicUrl}/registry/retirements/${encodeURIComponent(seeded)}`);
    if (generatedKey) out(`  demo admin key (this run only): ${generatedKey}`);
    out('untp-credits ready (Ctrl-C stops)');
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    out(`untp-credits stopping (${signal}): closing connections and the database`);
    await started.close();
    await registry?.stopLog();
    await database.close();
    closed = true;
    out('untp-credits stopped');
    return EXIT_OK;
  } catch (error) {
    return endOnError('serve', error);
  } finally {
    if (!closed) await database.close();
  }
}

function capIsValid(maxIssuanceQuantity: number): boolean {
  try {
    issuanceCap({ maxIssuanceQuantity });
    return true;
  } catch {
    return false;
  }
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'run the issuer/verifier server: VC-API, registry API, did:web, status lists, retirement statements, web verifier',
    )
    .option('--demo', 'demo mode: localhost, a demo issuer, every page and credential says so')
    .option('--port <port>', 'port to listen on (default PORT or 8080)')
    .option('--host <host>', 'address to bind (default 127.0.0.1 in demo mode, else 0.0.0.0)')
    .option('--data-dir <dir>', 'PGlite data directory when DATABASE_URL is not set (default ./data/registry)')
    .option(
      '--public-url <url>',
      'where the registry is reachable (default PUBLIC_URL); permanent once credentials are signed',
    )
    .option('--issuer-did <did>', 'the registry DID (default ISSUER_DID, else did:web of the public URL)')
    .option('--name <name>', 'the registry name used as issuer name (first start only)')
    .option(
      '--failed-auth-limit <n>',
      'failed authentications per client address per minute before 429 TOO_MANY_FAILED_ATTEMPTS (default FAILED_AUTH_LIMIT or 20; 0 = off)',
    )
    .option(
      '--trust-proxy <value>',
      'behind a reverse proxy: hops to trust or its addresses (default TRUST_PROXY), so the limit counts real clients',
    )
    .option(
      '--max-issuance <credits>',
      'the most credits one issuance may carry; larger ones are refused with ISSUANCE_EXCEEDS_CAP (default MAX_ISSUANCE_QUANTITY or 1000000)',
    )
    .option('--no-seed', 'demo mode: start with an empty ledger instead of the examples/api commands')
    .option(
      '--witness <url,vkey>',
      'push each log checkpoint to this tlog-witness and serve its cosignatures (repeatable; default UNTP_CREDITS_WITNESSES, ;-separated)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(async (options: ServeOptions) => {
      process.exitCode = await runServe(options);
    });
}
