import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { createServerContext, type ServerContext } from './context.js';
import type { Database } from '../registry/db.js';
import { migrate } from '../registry/migrations/index.js';
import { ensureIdentity, type EnsureIdentityOptions, type RegistryIdentity } from './identity.js';
import type { FailedAuthLimitOptions } from './failed-auth-limit.js';
import type { LedgerPort, StatusListsPort } from './ports.js';

export interface StartServerOptions {
  /** The registry database; its schema is brought up to date (`migrate`) before serving. */
  db: Database;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1 in demo mode, else 0.0.0.0. */
  host?: string;
  demo?: boolean;
  /** Required outside demo mode (or `identity.issuerDid`). */
  publicUrl?: string;
  identity?: Omit<EnsureIdentityOptions, 'demo' | 'publicUrl'>;
  adminKey?: string;
  /** Failed authentications per client address before 429 (default 20 a minute); `false` turns it off. */
  failedAuthLimit?: FailedAuthLimitOptions | false;
  /** How long a crashed process's in-progress idempotent write blocks retries (default 15 000 ms). */
  idempotencyLeaseMs?: number;
  /**
   * Express's `trust proxy` (e.g. 1 or 'loopback') when a reverse proxy sits in front: the client
   * address then comes from X-Forwarded-For, so one client's failed attempts do not lock out all.
   */
  trustProxy?: boolean | number | string;
  /** Plugs the ledger and its status lists in, once the identity is known. */
  services?: (
    identity: RegistryIdentity,
    context: { clock?: () => Date },
  ) =>
    | Promise<{ ledger?: LedgerPort; statusLists?: StatusListsPort }>
    | { ledger?: LedgerPort; statusLists?: StatusListsPort };
  clock?: () => Date;
}

export interface StartedServer {
  /** Where it listens (http://host:port). */
  url: string;
  /** The registry's public URL (demo: http://localhost:<port>). */
  publicUrl: string;
  port: number;
  identity: RegistryIdentity;
  context: ServerContext;
  server: Server;
  close(): Promise<void>;
}

/**
 * Binds first (so a demo on port 0 knows its port), then loads or creates the registry identity,
 * then serves. The database stays the caller's to close.
 *
 * @example
 *   const started = await startServer({ db, demo: true, port: 0 });
 *   console.log(started.publicUrl);
 */
export async function startServer(options: StartServerOptions): Promise<StartedServer> {
  await migrate(options.db);
  const demo = options.demo ?? false;
  const host = options.host ?? (demo ? '127.0.0.1' : '0.0.0.0');
  const server = createServer();
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  try {
    const publicUrl = options.publicUrl ?? (demo ? `http://localhost:${port}` : undefined);
    const identity = await ensureIdentity(options.db, {
      ...options.identity,
      demo,
      ...(publicUrl ? { publicUrl } : {}),
    });
    const services = (await options.services?.(identity, options.clock ? { clock: options.clock } : {})) ?? {};
    const context = createServerContext({
      db: options.db,
      identity,
      ...(options.adminKey ? { adminKey: options.adminKey } : {}),
      ...(services.ledger ? { ledger: services.ledger } : {}),
      ...(services.statusLists ? { statusLists: services.statusLists } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.failedAuthLimit !== undefined ? { failedAuthLimit: options.failedAuthLimit } : {}),
      ...(options.idempotencyLeaseMs !== undefined ? { idempotencyLeaseMs: options.idempotencyLeaseMs } : {}),
    });
    const app = createApp(context);
    if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);
    server.on('request', app);
    const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
    return { url: `http://${shown}:${port}`, publicUrl: identity.publicUrl, port, identity, context, server, close };
  } catch (error) {
    await close();
    throw error;
  }
}
