import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/registry/db.js';
import { migrate } from '../../src/registry/migrations/index.js';
import { openServerDatabase } from '../../src/server/bootstrap.js';

describe('PGlite data directory on a fresh clone', () => {
  it('the ledger creates the missing parent of the data directory before writing its lock file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'untp-fresh-'));
    const dataDir = join(root, 'data', 'nested', 'registry');
    expect(existsSync(join(root, 'data'))).toBe(false);
    const db = await openDatabase({ dataDir });
    try {
      expect(readFileSync(`${dataDir}.lock`, 'utf8').trim()).toBe(String(process.pid));
      await migrate(db);
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      expect(rows[0]?.n).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    expect(existsSync(dataDir)).toBe(true);
  }, 60_000);

  it('so does the server bootstrap, which no longer creates it itself', async () => {
    const root = mkdtempSync(join(tmpdir(), 'untp-fresh-'));
    const dataDir = join(root, 'data', 'registry');
    const db = await openServerDatabase({ dataDir });
    try {
      expect(existsSync(`${dataDir}.lock`)).toBe(true);
    } finally {
      await db.close();
    }
  }, 60_000);
});
