import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRegistryCheck } from '../../src/cli/registry.js';
import { backupPglite, restorePglite } from '../../src/registry/backup.js';
import type { PgliteDatabase } from '../../src/registry/db.js';
import { openTestRegistry, seed } from './support/registry.js';

describe('untp-credits registry check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'untp-registry-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exit 0 with the conservation line on a sound registry, 1 naming the broken invariant, 2 on a damaged store', async () => {
    const t = await openTestRegistry({ kind: 'pglite' });
    const s = await seed(t.registry, 'cli', 80);
    await t.registry.retire({ key: 'cli-r', account: s.coop, quantity: 30, details: {} });
    await t.registry.cancel({ key: 'cli-c', issuanceId: s.issuanceId, quantity: 5, reason: 'error' });
    await backupPglite(t.db as PgliteDatabase, join(dir, 'r.tar.gz'));
    await t.dispose();
    const dataDir = join(dir, 'registry');
    await (await restorePglite(join(dir, 'r.tar.gz'), dataDir)).close();

    const out: string[] = [];
    const err: string[] = [];
    expect(
      await runRegistryCheck(
        { dataDir, databaseUrl: '' },
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(0);
    expect(out[0]).toBe(
      '✔ 1 issuance(s), 1 retirement(s), 2 credential(s); issued 80 = tradable 45 + suspended 0 + retired 30 + cancelled 5 + invalidated 0',
    );

    // Break what the triggers still allow an operator to touch: the status list bits.
    const db = await restorePglite(join(dir, 'r.tar.gz'));
    await db.query("UPDATE status_lists SET bits = decode(repeat('ff', octet_length(bits)), 'hex')");
    await backupPglite(db, join(dir, 'broken.tar.gz'));
    await db.close();
    const brokenDir = join(dir, 'broken');
    await (await restorePglite(join(dir, 'broken.tar.gz'), brokenDir)).close();
    out.length = 0;
    expect(
      await runRegistryCheck(
        { dataDir: brokenDir, databaseUrl: '', json: true },
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(1);
    const report = JSON.parse(out.join('\n')) as { ok: boolean; violations: { code: string }[] };
    expect(report.ok).toBe(false);
    expect(report.violations.map((v) => v.code)).toContain('REVOCATION_MISMATCH');

    const damaged = join(dir, 'damaged');
    mkdirSync(damaged);
    writeFileSync(join(damaged, 'junk'), 'x');
    expect(
      await runRegistryCheck(
        { dataDir: damaged, databaseUrl: '' },
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(2);
    expect(err.at(-1)).toMatch(/^registry check: REGISTRY_DATA_DAMAGED: /);
    expect(
      await runRegistryCheck(
        { dataDir: join(dir, 'absent'), databaseUrl: '' },
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(2);
    expect(err.at(-1)).toBe(`registry check: no registry data directory at ${join(dir, 'absent')}`);
    expect(existsSync(join(dir, 'absent'))).toBe(false);
    await expect(restorePglite(join(dir, 'r.tar.gz'), dataDir)).rejects.toMatchObject({
      code: 'RESTORE_TARGET_NOT_EMPTY',
    });
  });
});
