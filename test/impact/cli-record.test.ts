import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cobaltAllocation } from '../../examples/impact/cases.js';
import { runImpactRecord } from '../../src/cli/impact.js';
import { buildAllocationCredential } from '../../src/impact/build.js';
import { readOverview } from '../../src/impact/ledger.js';
import { jwsOf, jwsPayload } from '../../src/lib/digest.js';
import { openServerDatabase } from '../../src/server/bootstrap.js';
import { seedDemo } from '../../src/server/demo.js';
import { ensureIdentity } from '../../src/server/identity.js';
import { openLedger } from '../../src/server/ledger.js';
import { issue } from '../../src/issue.js';
import { runCobaltStory, startLedgerServer, type TestServer } from '../server/helpers.js';
import { allocationDraft, exampleSigner } from './support.js';

async function record(file: string, options: Parameters<typeof runImpactRecord>[1], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runImpactRecord(
    file,
    options,
    (l) => out.push(l),
    (l) => err.push(l),
    env,
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('untp-credits impact record against a running server (POST /registry/allocations)', () => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startLedgerServer();
    await runCobaltStory(server);
    dir = mkdtempSync(join(tmpdir(), 'impact-record-'));
    writeFileSync(join(dir, 'draft.json'), JSON.stringify(await allocationDraft(server)));
  }, 120_000);
  afterAll(async () => server?.stop());

  it('creates a signed allocation; its replay with the same idempotency key returns the same; another key is refused', async () => {
    const env = { UNTP_CREDITS_API_KEY: await server.keyFor('issuer') };
    const options = { registry: `http://127.0.0.1:${server.port}`, key: 'alloc-1', json: true };
    const first = await record(join(dir, 'draft.json'), options, env);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const result = JSON.parse(first.out) as {
      reportId: string;
      credentialId: string;
      digestMultibase: string;
      credential: unknown;
    };
    expect(result.reportId).toBe('PAR-2026-H2-CD-LU-1532');
    // Signed by the ledger, as the registry DID, and verified by the server.
    const payload = jwsPayload(jwsOf(JSON.stringify(result.credential)));
    expect(payload).toMatchObject({ id: result.credentialId, issuer: { id: server.identity.did } });
    const verified = await server.post('/credentials/verify', { verifiableCredential: result.credential });
    expect(verified.status).toBe(200);

    const replay = await record(join(dir, 'draft.json'), options, env);
    expect(replay.code).toBe(0);
    expect(JSON.parse(replay.out)).toMatchObject({
      credentialId: result.credentialId,
      digestMultibase: result.digestMultibase,
    });
    const again = await record(join(dir, 'draft.json'), { ...options, key: 'alloc-2' }, env);
    expect(again.code).toBe(1);
    expect(again.err).toContain('ALLOCATION_EXISTS');
    const { rows } = await server.db.query<{ n: unknown }>('SELECT count(*) AS n FROM impact_allocations');
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('refuses a signed report (only the ledger signs), and a key without the scope', async () => {
    const signed = await issue(
      buildAllocationCredential(
        cobaltAllocation(
          (await server.db.query<{ jws: string }>('SELECT jws FROM credentials LIMIT 1')).rows[0]!.jws,
        ) as never,
      ),
      { format: 'jose', signer: await exampleSigner() },
    );
    writeFileSync(join(dir, 'signed.json'), JSON.stringify(signed));
    const options = { registry: `http://127.0.0.1:${server.port}` };
    const refused = await record(join(dir, 'signed.json'), options, {
      UNTP_CREDITS_API_KEY: await server.keyFor('issuer'),
    });
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('ALLOCATION_INVALID');
    const holder = await record(join(dir, 'draft.json'), options, {
      UNTP_CREDITS_API_KEY: await server.keyFor('holder:ACC-DE-0042'),
    });
    expect(holder.code).toBe(2);
    expect(holder.err).toContain('FORBIDDEN');
  });
});

describe('untp-credits impact record in database mode', () => {
  it('the ledger signs and records the draft in the database (exit 0); a second copy is refused (1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'impact-record-'));
    const dataDir = join(dir, 'registry');
    const db = await openServerDatabase({ dataDir });
    const identity = await ensureIdentity(db, { publicUrl: 'https://registry.example.test', name: 'Test registry' });
    const { ledger } = await openLedger(db, identity);
    await seedDemo(ledger);
    const { rows } = await db.query<{ jws: string; credential_id: string }>(
      "SELECT c.jws, r.credential_id FROM retirements r JOIN credentials c ON c.id = r.credential_id WHERE r.id = 'RET-2026-0007'",
    );
    await db.close();
    const input = cobaltAllocation(rows[0]!.jws) as any;
    input.premiumReceived[0].retirement.id = rows[0]!.credential_id;
    writeFileSync(join(dir, 'draft.json'), JSON.stringify(buildAllocationCredential(input)));

    const ours = await record(join(dir, 'draft.json'), { dataDir });
    expect(ours).toMatchObject({
      code: 0,
      out: expect.stringContaining(
        'recorded allocation report PAR-2026-H2-CD-LU-1532: 37500.00 USD received, 34500.00 allocated',
      ),
    });
    expect((await record(join(dir, 'draft.json'), { dataDir })).err).toContain('ALLOCATION_EXISTS');
    const check = await openServerDatabase({ dataDir });
    expect((await readOverview(check)).premium).toEqual([
      expect.objectContaining({ received: '37500.00', allocated: '34500.00' }),
    ]);
    const signed = await check.query<{ jws: string }>('SELECT jws FROM impact_allocations');
    expect(jwsPayload(signed.rows[0]!.jws)).toMatchObject({ issuer: { id: identity.did } });
    await check.close();
  }, 120_000);
});
