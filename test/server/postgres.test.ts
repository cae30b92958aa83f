import { afterAll, expect, it } from 'vitest';
import { openServerDatabase } from '../../src/server/bootstrap.js';
import { openLedger } from '../../src/server/ledger.js';
import { startServer, type StartedServer } from '../../src/server/start.js';
import { dropSchema, freshSchema } from '../registry/support/registry.js';
import { describePostgres } from '../support/postgres.js';
import { ADMIN_KEY, plainCredential } from './helpers.js';

describePostgres('server processes sharing one PostgreSQL', (url) => {
  const schema = freshSchema();
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await dropSchema(url, schema);
  });

  async function start(): Promise<StartedServer> {
    const db = await openServerDatabase({ url, schema });
    const started = await startServer({
      db,
      port: 0,
      host: '127.0.0.1',
      publicUrl: 'https://shared.example.test',
      adminKey: ADMIN_KEY,
      services: (identity) => openLedger(db, identity),
    });
    closers.push(async () => {
      await started.close();
      await db.close();
    });
    return started;
  }

  it('sign as one issuer: same DID and key; one issues, the other verifies and serves the record', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    expect(a.identity.did).toBe(b.identity.did);
    expect(a.identity.keys.map((k) => k.kid)).toEqual(b.identity.keys.map((k) => k.kid));
    const post = (server: StartedServer, path: string, body: unknown) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
        body: JSON.stringify(body),
      });
    const issued = await post(a, '/credentials/issue', { credential: plainCredential() });
    expect(issued.status).toBe(201);
    const { verifiableCredential } = (await issued.json()) as { verifiableCredential: unknown };
    const verified = await post(b, '/credentials/verify', { verifiableCredential });
    expect(verified.status).toBe(200);
    expect(
      (await post(a, '/registry/accounts', { accountId: 'PG-1', holder: { id: 'did:web:coop.example', name: 'Coop' } }))
        .status,
    ).toBe(201);
    const holdings = await fetch(`${b.url}/registry/accounts/PG-1/holdings`);
    expect(holdings.status).toBe(200);
  });
});
