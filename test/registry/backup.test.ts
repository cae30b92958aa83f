import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupPglite, backupPostgres, restorePglite, restorePostgres } from '../../src/registry/backup.js';
import { PgliteDatabase, openDatabase } from '../../src/registry/db.js';
import { Registry } from '../../src/registry/registry.js';
import { describePostgres } from '../support/postgres.js';
import {
  BASE_URL,
  ISSUER,
  openTestRegistry,
  seed,
  testBuilders,
  testSecurer,
  type TestRegistry,
} from './support/registry.js';

/** Some history: issue, partial transfer, retire, amend, suspend, cancel. */
async function history(registry: Registry) {
  const s = await seed(registry, 'bk', 300);
  await registry.transfer({ key: 'bk-t', from: s.coop, to: s.oem, quantity: 120 });
  await registry.retire({
    key: 'bk-r',
    account: s.oem,
    retirementId: 'RET-BK',
    ranges: [{ prefix: s.prefix, start: 10, end: 59 }],
    details: { beneficiary: 'X' },
  });
  await registry.amendRetirement({
    key: 'bk-am',
    retirementId: 'RET-BK',
    newRetirementId: 'RET-BK-2',
    details: { beneficiary: 'Y' },
    reason: 'typo',
  });
  await registry.suspend({ key: 'bk-s', account: s.coop, quantity: 30, reason: 'dispute' });
  await registry.cancel({
    key: 'bk-c',
    issuanceId: s.issuanceId,
    ranges: [{ prefix: s.prefix, start: 290, end: 300 }],
    reason: 'over-issued',
  });
  return s;
}

async function expectSameLedger(before: Registry, after: Registry, prefix: string) {
  expect((await after.checkInvariants()).violations).toEqual([]);
  for (const serial of [1, 10, 59, 60, 121, 151, 295])
    expect(await after.lookupSerial(prefix, serial)).toEqual(await before.lookupSerial(prefix, serial));
  expect(await after.events()).toEqual(await before.events());
  expect(await after.statusSnapshot()).toEqual(await before.statusSnapshot());
}

describe('backup and restore on PGlite (dumpDataDir / loadDataDir)', () => {
  let t: TestRegistry;
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'untp-backup-'));
    t = await openTestRegistry({ kind: 'pglite' });
  });
  afterAll(async () => {
    await t?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores a dump into a new data directory; the invariant checker passes and the ledger is the same', async () => {
    const s = await history(t.registry);
    const file = join(dir, 'registry.tar.gz');
    await backupPglite(t.db as PgliteDatabase, file);
    const db = await restorePglite(file, join(dir, 'restored'));
    const restored = await Registry.open({
      db,
      baseUrl: BASE_URL,
      issuer: ISSUER,
      secure: testSecurer(),
      builders: testBuilders,
    });
    try {
      await expectSameLedger(t.registry, restored, s.prefix);
      // The restored registry keeps working, and the original's keys are still remembered.
      const again = await restored.transfer({ key: 'bk-t', from: s.coop, to: s.oem, quantity: 120 });
      expect(again.event.seq).toBe(
        (await t.registry.transfer({ key: 'bk-t', from: s.coop, to: s.oem, quantity: 120 })).event.seq,
      );
      await restored.retire({ key: 'bk-after', account: s.oem, quantity: 5, details: {} });
      expect((await restored.checkInvariants()).violations).toEqual([]);
    } finally {
      await restored.close();
    }
  });
});

describePostgres('backup and restore on PostgreSQL (pg_dump / pg_restore)', (url) => {
  let t: TestRegistry;
  let dir = '';
  const database = `untp_restore_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'untp-backup-'));
    t = await openTestRegistry({ kind: 'postgres', url });
    await admin(`CREATE DATABASE ${database}`);
  });
  afterAll(async () => {
    await t?.dispose();
    await admin(`DROP DATABASE IF EXISTS ${database}`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores a pg_dump of the registry schema into a fresh database; the invariant checker passes', async () => {
    const s = await history(t.registry);
    const file = join(dir, 'registry.dump');
    await backupPostgres(url, file, { schema: t.schema! });
    const target = new URL(url);
    target.pathname = `/${database}`;
    await restorePostgres(target.toString(), file);
    const db = await openDatabase({ url: target.toString(), schema: t.schema! });
    const restored = await Registry.open({
      db,
      baseUrl: BASE_URL,
      issuer: ISSUER,
      secure: testSecurer(),
      builders: testBuilders,
    });
    try {
      await expectSameLedger(t.registry, restored, s.prefix);
      await restored.retire({ key: 'bk-after', account: s.oem, quantity: 5, details: {} });
      expect((await restored.checkInvariants()).violations).toEqual([]);
      // The restored schema still enforces the rules (constraints and triggers came back).
      await expect(db.query('DELETE FROM events')).rejects.toThrow(/append-only/);
    } finally {
      await restored.close();
    }
  });
});
