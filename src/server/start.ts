import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import { UntpCreditsError } from '../errors.js';
import { createApp } from './app.js';
import { problemOf } from './problem.js';
import { createServerContext, type ServerContext } from './context.js';
import type { Database } from '../registry/db.js';
import { migrate } from '../registry/migrations/index.js';
import { ensureIdentity, type EnsureIdentityOptions, type RegistryIdentity } from './identity.js';
import type { FailedAuthLimitOptions } from './failed-auth-limit.js';
import { ensureVcApiIdentity } from './vc-api-identity.js';
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
  /** A URL that reaches the server from this machine (http://localhost:port when bound to all interfaces). */
  url: string;
  /** The address actually bound (http://0.0.0.0:8080 when bound to all interfaces), for messages. */
  listenUrl: string;
  /** The registry's public URL (demo: http://localhost:<port>). */
  publicUrl: string;
  port: number;
  identity: RegistryIdentity;
  context: ServerContext;
  /** The Express app that answers once the server is ready (its routes, for checks over every route). */
  app: Express;
  server: Server;
  close(): Promise<void>;
}

/** Seconds a client is told to wait (Retry-After) while the server prepares. */
const STARTING_RETRY_AFTER_S = 2;

/**
 * The answer to every request that arrives between listen and the app being ready: 503 with
 * Retry-After, so a health check or a readiness poll gets an answer instead of a hung connection.
 */
function answerStarting(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(503, {
    'Content-Type': 'application/problem+json',
    'Retry-After': String(STARTING_RETRY_AFTER_S),
    Connection: 'close',
  });
  res.end(
    JSON.stringify(
      problemOf(
        new UntpCreditsError('SERVER_STARTING', `the server is starting; retry in ${STARTING_RETRY_AFTER_S} s`),
      ),
    ),
  );
}

/** The message for a port that cannot be bound, naming the address and what to do. */
function listenFailure(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE')
    return new UntpCreditsError(
      'PORT_IN_USE',
      `port ${port} on ${host} is already in use (another server, perhaps another untp-credits, listens there): stop it, or choose another port with --port N or PORT=N`,
    );
  if (error.code === 'EACCES')
    return new UntpCreditsError(
      'PORT_NOT_PERMITTED',
      `this user may not listen on port ${port} on ${host}: choose a port above 1023 with --port N or PORT=N`,
    );
  if (error.code === 'EADDRNOTAVAIL')
    return new UntpCreditsError('HOST_NOT_AVAILABLE', `${host} is not an address of this machine (--host / HOST)`);
  return error;
}

export async function startServer(options: StartServerOptions): Promise<StartedServer> {
  const demo = options.demo ?? false;
  const host = options.host ?? (demo ? '127.0.0.1' : '0.0.0.0');
  let handler: (req: IncomingMessage, res: ServerResponse) => void = answerStarting;
  // Attached before listen: from the first accepted connection on, every request gets an answer.
  const server = createServer((req, res) => handler(req, res));
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  const wantedPort = options.port ?? 8080;
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(listenFailure(error, host, wantedPort));
    server.once('error', failed);
    server.listen(wantedPort, host, () => {
      server.off('error', failed);
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
    await migrate(options.db);
    const publicUrl = options.publicUrl ?? (demo ? `http://localhost:${port}` : undefined);
    const identity = await ensureIdentity(options.db, {
      ...options.identity,
      demo,
      ...(publicUrl ? { publicUrl } : {}),
    });
    const vcApi = await ensureVcApiIdentity(options.db, identity);
    const services = (await options.services?.(identity, options.clock ? { clock: options.clock } : {})) ?? {};
    const context = createServerContext({
      db: options.db,
      identity,
      vcApi,
      ...(options.adminKey ? { adminKey: options.adminKey } : {}),
      ...(services.ledger ? { ledger: services.ledger } : {}),
      ...(services.statusLists ? { statusLists: services.statusLists } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.failedAuthLimit !== undefined ? { failedAuthLimit: options.failedAuthLimit } : {}),
      ...(options.idempotencyLeaseMs !== undefined ? { idempotencyLeaseMs: options.idempotencyLeaseMs } : {}),
    });
    const app = createApp(context);
    if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);
    handler = app;
    const anyAddress = host === '0.0.0.0' || host === '::';
    const bracket = (h: string) => (h.includes(':') ? `[${h}]` : h);
    return {
      url: `http://${anyAddress ? 'localhost' : bracket(host)}:${port}`,
      listenUrl: `http://${bracket(host)}:${port}`,
      publicUrl: identity.publicUrl,
      port,
      identity,
      context,
      app,
      server,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
