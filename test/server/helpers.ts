import { expect } from 'vitest';
import type { Database } from '../../src/registry/db.js';
import { openTestDatabase } from '../support/database.js';
import { startServer, type StartedServer, type StartServerOptions } from '../../src/server/start.js';
import type { StatusListsPort } from '../../src/server/ports.js';
import { createApiKey } from '../../src/server/auth.js';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';

export interface TestServer extends StartedServer {
  db: Database;
  stop(): Promise<void>;
  /** fetch relative to the server. */
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  post(path: string, body: unknown, options?: { key?: string; headers?: Record<string, string> }): Promise<Response>;
  keyFor(...scopes: string[]): Promise<string>;
}

/** A server on 127.0.0.1:<ephemeral> over a fresh registry database (PGlite in memory, or PostgreSQL with DATABASE_URL). */
export async function startTestServer(options: Partial<StartServerOptions> = {}): Promise<TestServer> {
  return serve(await openTestDatabase(), options);
}

/** Starts a server on 127.0.0.1:<ephemeral> over `db` (closed by `stop`), with the admin key and, outside demo mode, a public URL. */
async function serve(db: Database, options: Partial<StartServerOptions>): Promise<TestServer> {
  const started = await startServer({
    db,
    port: 0,
    host: '127.0.0.1',
    adminKey: ADMIN_KEY,
    ...(options.demo ? {} : { publicUrl: 'https://registry.example.test' }),
    ...options,
  });
  const base = `http://127.0.0.1:${started.port}`;
  return {
    ...started,
    db,
    async stop() {
      await started.close();
      await db.close();
    },
    get: (path, headers = {}) => fetch(`${base}${path}`, { headers }),
    post: (path, body, opts = {}) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
          ...(opts.headers ?? {}),
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    keyFor: async (...scopes) => (await createApiKey(db, scopes)).key,
  };
}

/** A small valid credential without issuer (the server fills it in). */
export function plainCredential(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: 'urn:uuid:6a1ba5c2-2d4e-4f1a-9c39-0c3e2f4b9d11',
    type: ['VerifiableCredential'],
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:subject', name: 'Copper cathode lot 42' },
    ...extra,
  };
}

/** A status-list service double: credentials listed in `revoked` are revoked. */
export function fakeStatusLists(): StatusListsPort & { revoked: Set<string> } {
  const revoked = new Set<string>();
  return {
    revoked,
    getList: async (id) =>
      id === '1'
        ? {
            '@context': ['https://www.w3.org/ns/credentials/v2'],
            type: 'EnvelopedVerifiableCredential',
            id: 'data:application/vc+jwt,eyJ.eyJ.sig',
          }
        : undefined,
    update: async ({ credentialId, statusPurpose, status }) => {
      if (statusPurpose !== 'revocation')
        throw Object.assign(
          new (await import('../../src/errors.js')).UntpCreditsError('STATUS_PURPOSE_UNSUPPORTED', 'only revocation'),
        );
      if (status) revoked.add(credentialId);
      return { credentialId, statusPurpose, status };
    },
    allocate: async (credentialId) => ({
      id: `${credentialId}#status`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '7',
      statusListCredential: 'https://registry.example.test/status-lists/1',
    }),
    resolver: {
      check: async (_entry, credential) => ({ status: revoked.has(String(credential.id)) ? 'revoked' : 'valid' }),
    },
  };
}

/** A server with the real ledger over a fresh registry database (as `startTestServer`). */
export async function startLedgerServer(
  options: Partial<StartServerOptions> = {},
  ledger: {
    maxIssuanceQuantity?: number;
    log?: boolean;
    witnesses?: readonly { url: string; vkey: string }[];
  } = {},
): Promise<TestServer> {
  const { openLedger } = await import('../../src/server/ledger.js');
  const db = await openTestDatabase();
  return serve(db, {
    services: async (identity, context) => openLedger(db, identity, { ...context, ...ledger }),
    ...options,
  });
}

/**
 * The cobalt story of examples/api through the registry API: open both accounts, issue 120, transfer,
 * and retire 25 as the buyer (RET-2026-0007, unless `retire: false`); every step must answer 201.
 */
export async function runCobaltStory(server: TestServer, options: { retire?: boolean } = {}): Promise<void> {
  const buyer = await server.keyFor('holder:ACC-DE-0042');
  const steps = [
    ['/registry/accounts', 'account-coop', ADMIN_KEY],
    ['/registry/accounts', 'account-buyer', ADMIN_KEY],
    ['/registry/issuances', 'issuance', ADMIN_KEY],
    ['/registry/transfers', 'transfer', ADMIN_KEY],
    ['/registry/retirements', 'retirement', buyer],
  ] as const;
  for (const [path, name, key] of options.retire === false ? steps.slice(0, -1) : steps) {
    const response = await server.post(path, await example(name), { key });
    expect(response.status, `${path} ${await response.clone().text()}`).toBe(201);
  }
}

/** A request body from examples/api. */
export async function example(name: string): Promise<Record<string, unknown>> {
  const { readFileSync } = await import('node:fs');
  return JSON.parse(readFileSync(new URL(`../../examples/api/${name}.json`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}
