import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cobaltAllocation } from '../../examples/impact/cases.js';
import { runImpactRecord } from '../../src/cli/impact.js';
import { buildAllocationCredential } from '../../src/impact/build.js';
import { readOverview } from '../../src/impact/ledger.js';
import { issue } from '../../src/issue.js';
import { openServerDatabase } from '../../src/server/bootstrap.js';
import { seedDemo } from '../../src/server/demo.js';
import { ensureIdentity, identitySigner } from '../../src/server/identity.js';
import { openLedger } from '../../src/server/ledger.js';
import { exampleSigner } from './support.js';

describe('untp-credits impact record', () => {
  it('records a report signed by the registry in its database (exit 0), refuses another signer (1) and a second copy (1)', async () => {
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
    input.issuer = { id: identity.did, name: identity.name };
    input.validFrom = '2026-01-01T00:00:00Z';
    const credential = buildAllocationCredential(input);
    writeFileSync(
      join(dir, 'ours.json'),
      JSON.stringify(await issue(credential, { format: 'jose', signer: await identitySigner(identity, 'jose') })),
    );
    // The same report signed by another registry (the example key) is not this registry's to record.
    const theirs = buildAllocationCredential({
      ...input,
      issuer: { id: 'did:web:registry.mineral-credits.example', name: 'Another registry' },
    });
    writeFileSync(
      join(dir, 'theirs.json'),
      JSON.stringify(await issue(theirs, { format: 'jose', signer: await exampleSigner() })),
    );

    const run = async (file: string) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runImpactRecord(
        join(dir, file),
        { dataDir },
        (l) => out.push(l),
        (l) => err.push(l),
      );
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const refused = await run('theirs.json');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('not verified');
    const ours = await run('ours.json');
    expect(ours).toMatchObject({
      code: 0,
      out: expect.stringContaining(
        'recorded allocation report PAR-2026-H2-CD-LU-1532: 37500.00 USD received, 34500.00 allocated',
      ),
    });
    expect((await run('ours.json')).err).toContain('ALLOCATION_EXISTS');
    const check = await openServerDatabase({ dataDir });
    expect((await readOverview(check)).premium).toEqual([
      expect.objectContaining({ received: '37500.00', allocated: '34500.00' }),
    ]);
    await check.close();
  }, 60_000);
});
