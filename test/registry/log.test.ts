import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MemoryTree,
  decodeEntryBundle,
  ed25519NoteSigner,
  ed25519NoteVerifier,
  encodeEntryBundle,
  formatVerifierKey,
  hashTileData,
  leafHash,
  openCheckpoint,
  tilesForSize,
  verifyConsistency,
  verifyInclusion,
  consistencyProofFromTiles,
  mapTileReader,
  tilePath,
  type Tile,
} from '../../src/log/index.js';
import type { Registry } from '../../src/registry/registry.js';
import { databaseTileReader } from '../../src/registry/log/store.js';
import { eventLogEntries } from '../../src/registry/log/entries.js';
import { checkHistory } from '../../src/registry/log/sequencer.js';
import { describePostgres } from '../support/postgres.js';
import { freshSchema, openTestRegistry, seed, dropSchema, type Engine, type TestRegistry } from './support/registry.js';

const ORIGIN = 'registry.example/registry/log';

function logKey() {
  const signer = ed25519NoteSigner(ORIGIN, randomBytes(32));
  return { signer, vkey: formatVerifierKey(ORIGIN, signer.publicKey) };
}

const fromBase64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/** Every entry of the log, read from its entry bundles. */
async function allEntries(registry: Registry, size: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const tile of tilesForSize(size).filter((t) => t.level === 'entries'))
    out.push(...decodeEntryBundle((await registry.logTile(tile))!, tile.width));
  return out;
}

/** The log's inclusion of a credential verifies with the core alone against the signed checkpoint. */
async function checkInclusion(registry: Registry, vkey: string, credentialId: string, digest: string) {
  const log = (await registry.logInclusion(credentialId))!;
  expect(log).toBeDefined();
  const opened = openCheckpoint(log.checkpoint, ORIGIN, [ed25519NoteVerifier(vkey)]);
  expect(opened.checkpoint.size).toBe(log.treeSize);
  const entries = await allEntries(registry, log.treeSize);
  const entry = entries[log.index]!;
  const json = JSON.parse(Buffer.from(entry).toString('utf8'));
  expect(json).toMatchObject({ credentialId, credentialDigest: digest });
  expect(
    verifyInclusion(leafHash(entry), log.index, log.treeSize, log.proof.map(fromBase64), opened.checkpoint.rootHash),
  ).toBe(true);
  return { log, json };
}

function logSuite(name: string, engine: () => Engine) {
  describe(name, () => {
    let t: TestRegistry;
    const key = logKey();
    beforeAll(async () => {
      t = await openTestRegistry(engine(), { log: { origin: ORIGIN, signer: key.signer } });
    }, 120_000);
    afterAll(async () => {
      await t?.dispose();
    });

    it('logs every command; a record gets an inclusion proof against the signed checkpoint; tiles equal the tree of the entries', async () => {
      const s = await seed(t.registry, 'log', 100);
      const retired = await t.registry.retire({
        key: 'log-r1',
        account: s.coop,
        quantity: 5,
        details: { beneficiary: { name: 'A Person' } },
      });
      await t.registry.sequenceLog();
      const issuance = await checkInclusion(t.registry, key.vkey, s.issued.credentialId, s.issued.digestMultibase);
      expect(issuance.json).toMatchObject({ type: 'issued', issuanceId: s.issuanceId, seq: s.issued.event.seq });
      const { json } = await checkInclusion(t.registry, key.vkey, retired.credentialId, retired.digestMultibase);
      expect(json).toMatchObject({ type: 'retired', account: s.coop, quantity: 5 });
      expect(json.blocks).toContainEqual(
        expect.objectContaining({ issuanceId: s.issuanceId, start: 1, end: 5, state: 'retired' }),
      );
      // No personal data: holder names and credential details are not in any entry.
      const checkpoint = (await t.registry.logCheckpoint())!;
      const entries = await allEntries(t.registry, checkpoint.size);
      const text = entries.map((e) => Buffer.from(e).toString('utf8')).join('\n');
      expect(text).not.toContain('A Person');
      expect(text).not.toContain('Coop log');
      expect(text).toContain('holderDigest');
      // Tiles served = tiles computed from the entries by the in-memory tree.
      const tree = new MemoryTree();
      for (const entry of entries) tree.append(entry);
      expect(Buffer.from(tree.root()).equals(Buffer.from(checkpoint.rootHash))).toBe(true);
      for (const tile of tilesForSize(checkpoint.size)) {
        const served = await t.registry.logTile(tile);
        const expected =
          tile.level === 'entries'
            ? encodeEntryBundle(entries.slice(tile.index * 256, tile.index * 256 + tile.width))
            : hashTileData(tree, tile);
        expect(Buffer.from(served!).equals(Buffer.from(expected)), tilePath(tile)).toBe(true);
      }
      // A tile wider than the tree is not served.
      const wider: Tile = { level: 0, index: 0, width: checkpoint.size + 1 };
      expect(await t.registry.logTile(wider)).toBeUndefined();
    }, 120_000);

    it('concurrent commands each get one entry, in one log whose checkpoints only extend each other', async () => {
      const s = await seed(t.registry, 'conc', 100);
      await t.registry.sequenceLog();
      const before = (await t.registry.logCheckpoint())!;
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          t.registry.retire({ key: `conc-r${i}`, account: s.coop, quantity: 1, details: {} }),
        ),
      );
      await t.registry.sequenceLog();
      const after = (await t.registry.logCheckpoint())!;
      const entries = await allEntries(t.registry, after.size);
      const seqs = entries.map((e) => JSON.parse(Buffer.from(e).toString('utf8')).seq as number);
      expect(new Set(seqs).size).toBe(seqs.length);
      for (const r of results) expect(seqs).toContain(r.event.seq);
      const { rows } = await t.db.query<{ n: unknown }>('SELECT count(*) AS n FROM events');
      expect(entries.length).toBe(Number(rows[0]!.n));
      const proof = await consistencyProofFromTiles(databaseTileReader(t.db, after.size), before, after);
      expect(verifyConsistency(before.size, after.size, before.rootHash, after.rootHash, proof)).toBe(true);
      // The stored log is append-only, like the events.
      await expect(t.db.query('UPDATE log_entries SET part = 1')).rejects.toThrow(/append-only/);
      await expect(t.db.query('DELETE FROM log_checkpoints')).rejects.toThrow(/append-only/);
      await expect(t.db.query('DELETE FROM log_outbox')).rejects.toThrow(/append-only/);
      expect(mapTileReader).toBeTypeOf('function');
    }, 120_000);

    // Commands write their entries from what they hold (no read-back); the history check at start
    // recomputes them from the stored rows. Every kind of event must give the same bytes both ways.
    it('every command writes the entry that recomputing it from the stored rows gives (and the history check passes)', async () => {
      const s = await seed(t.registry, 'kinds', 60);
      const ledger = t.registry;
      await ledger.transfer({ key: 'kinds-t', from: s.coop, to: s.oem, quantity: 10 });
      await ledger.transfer({
        key: 'kinds-t2',
        from: s.coop,
        to: s.oem,
        ranges: [{ prefix: s.prefix, start: 30, end: 31 }],
      });
      await ledger.retire({
        key: 'kinds-r',
        account: s.coop,
        retirementId: 'K-RET',
        quantity: 6,
        details: { beneficiary: 'B' },
      });
      await ledger.amendRetirement({
        key: 'kinds-am',
        retirementId: 'K-RET',
        newRetirementId: 'K-RET-2',
        details: { beneficiary: 'B2' },
        reason: 'typo',
      });
      await ledger.retire({ key: 'kinds-r2', account: s.oem, retirementId: 'K-INV', quantity: 3, details: {} });
      await ledger.invalidateRetirement({ key: 'kinds-inv', retirementId: 'K-INV', reason: 'withdrawn' });
      await ledger.suspend({ key: 'kinds-su', account: s.coop, reason: 'dispute' });
      await ledger.unsuspend({
        key: 'kinds-un',
        account: s.coop,
        ranges: [{ prefix: s.prefix, start: 40, end: 45 }],
        reason: 'resolved',
      });
      await ledger.cancel({
        key: 'kinds-ca',
        issuanceId: s.issuanceId,
        ranges: [{ prefix: s.prefix, start: 41, end: 42 }],
        reason: 'over-issued',
      });
      const c = await seed(ledger, 'kinds2', 20);
      await ledger.correct({
        key: 'kinds-co',
        issuanceId: c.issuanceId,
        newIssuanceId: 'kinds2-ISS2',
        details: { site: 'Likasi' },
        reason: 'wrong site',
      });
      const { rows } = await t.db.query<{ event_seq: unknown; part: number; entry: Uint8Array }>(
        'SELECT event_seq, part, entry FROM log_outbox ORDER BY event_seq, part',
      );
      const seqs = [...new Set(rows.map((r) => Number(r.event_seq)))];
      const recomputed = await eventLogEntries(t.db, seqs);
      const types = new Set<string>();
      for (const row of rows) {
        const again = recomputed.get(Number(row.event_seq))?.[row.part];
        expect(again && Buffer.from(again).toString('utf8')).toBe(Buffer.from(row.entry).toString('utf8'));
        types.add(JSON.parse(Buffer.from(row.entry).toString('utf8')).type as string);
      }
      for (const type of [
        'account.opened',
        'issued',
        'transferred',
        'retired',
        'retirement.amended',
        'retirement.invalidated',
        'suspended',
        'unsuspended',
        'cancelled',
        'corrected',
      ])
        expect(types).toContain(type);
      await expect(checkHistory(t.db)).resolves.toBeUndefined();
      await ledger.sequenceLog();
      const { rows: pending } = await t.db.query('SELECT 1 FROM log_outbox WHERE pending');
      expect(pending).toHaveLength(0);
      // Negative twin: only the logged mark may change, once; the entry itself never.
      await expect(t.db.query('UPDATE log_outbox SET pending = true')).rejects.toThrow(/append-only/);
      await expect(t.db.query("UPDATE log_outbox SET entry = '\\x00'::bytea WHERE pending = false")).rejects.toThrow(
        /append-only/,
      );
    }, 240_000);
  });
}

logSuite('transparency log in the ledger (PGlite)', () => ({ kind: 'pglite' }));

describe('history rewritten under the log (PGlite, a data directory restarted)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'untp-log-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an event edited with triggers bypassed: after a restart the sequencer signs nothing more (LOG_HISTORY_REWRITTEN)', async () => {
    const key = logKey();
    const engine: Engine = { kind: 'pglite', dataDir: join(dir, 'db') };
    let t = await openTestRegistry(engine, { log: { origin: ORIGIN, signer: key.signer } });
    const s = await seed(t.registry, 'hist', 10);
    await t.registry.retire({ key: 'hist-r', account: s.coop, quantity: 3, details: {} });
    await t.registry.sequenceLog();
    const signed = (await t.registry.logCheckpoint())!.size;
    // PGlite runs as a superuser: replica mode skips the append-only triggers.
    await t.db.exec(
      `SET session_replication_role = replica; UPDATE events SET payload = jsonb_set(payload, '{quantity}', '2') WHERE type = 'retired'; SET session_replication_role = origin;`,
    );
    await t.dispose();
    t = await openTestRegistry(engine, { log: { origin: ORIGIN, signer: key.signer } });
    try {
      expect(t.registry.logStatus().refused?.code).toBe('LOG_HISTORY_REWRITTEN');
      await t.registry.retire({ key: 'hist-r2', account: s.coop, quantity: 1, details: {} });
      await t.registry.sequenceLog();
      expect((await t.registry.logCheckpoint())!.size).toBe(signed);
    } finally {
      await t.dispose();
    }
  }, 120_000);
});

describePostgres('transparency log in the ledger (PostgreSQL)', (url) => {
  logSuite('one process', () => ({ kind: 'postgres', url }));

  it('two registries (two pools, as two processes) on one database make one consistent log, one sequencer at a time', async () => {
    const schema = freshSchema();
    const key = logKey();
    const a = await openTestRegistry(
      { kind: 'postgres', url },
      { schema, dropOnDispose: false, log: { origin: ORIGIN, signer: key.signer } },
    );
    const b = await openTestRegistry(
      { kind: 'postgres', url },
      { schema, dropOnDispose: false, log: { origin: ORIGIN, signer: key.signer } },
    );
    try {
      const s = await seed(a.registry, 'two', 100);
      const checkpoints: { size: number; rootHash: Uint8Array }[] = [];
      const writes = Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? a : b).registry.retire({ key: `two-r${i}`, account: s.coop, quantity: 1, details: {} }),
      );
      const sampler = (async () => {
        for (let i = 0; i < 20; i++) {
          const c = await a.registry.logCheckpoint();
          if (c) checkpoints.push(c);
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      await Promise.all([...writes, sampler]);
      await Promise.all([a.registry.sequenceLog(), b.registry.sequenceLog()]);
      await a.registry.sequenceLog();
      const last = (await a.registry.logCheckpoint())!;
      const { rows } = await a.db.query<{ n: unknown }>('SELECT count(*) AS n FROM events');
      expect(last.size).toBe(Number(rows[0]!.n));
      const entries = await allEntries(a.registry, last.size);
      const seqs = entries.map((e) => JSON.parse(Buffer.from(e).toString('utf8')).seq as number);
      expect(new Set(seqs).size).toBe(seqs.length);
      // Every checkpoint either process signed is a prefix of the last one.
      const { rows: all } = await a.db.query<{ size: unknown; root: Uint8Array }>(
        'SELECT size, root FROM log_checkpoints ORDER BY size',
      );
      for (const c of [
        ...all.map((r) => ({ size: Number(r.size), rootHash: new Uint8Array(r.root) })),
        ...checkpoints,
      ]) {
        if (c.size === 0 || c.size === last.size) continue;
        const proof = await consistencyProofFromTiles(databaseTileReader(a.db, last.size), c, last);
        expect(verifyConsistency(c.size, last.size, c.rootHash, last.rootHash, proof)).toBe(true);
      }
    } finally {
      await a.registry.close();
      await b.registry.close();
      await dropSchema(url, schema);
    }
  }, 120_000);

  it('an event edited as a superuser with triggers bypassed: after a restart the sequencer signs nothing more (LOG_HISTORY_REWRITTEN)', async () => {
    const schema = freshSchema();
    const key = logKey();
    const open = () =>
      openTestRegistry(
        { kind: 'postgres', url },
        { schema, dropOnDispose: false, log: { origin: ORIGIN, signer: key.signer } },
      );
    let t = await open();
    try {
      const s = await seed(t.registry, 'histpg', 10);
      await t.registry.retire({ key: 'histpg-r', account: s.coop, quantity: 3, details: {} });
      await t.registry.sequenceLog();
      const signed = (await t.registry.logCheckpoint())!.size;
      await t.registry.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`SET search_path = ${schema}, public`);
        await expect(
          client.query("UPDATE events SET at = at + interval '1 second' WHERE type = 'retired'"),
        ).rejects.toThrow(/append-only/);
        await client.query('SET session_replication_role = replica');
        await client.query("UPDATE events SET at = at + interval '1 second' WHERE type = 'retired'");
      } finally {
        await client.end();
      }
      t = await open();
      expect(t.registry.logStatus().refused?.code).toBe('LOG_HISTORY_REWRITTEN');
      await t.registry.retire({ key: 'histpg-r2', account: s.coop, quantity: 1, details: {} });
      await t.registry.sequenceLog();
      expect((await t.registry.logCheckpoint())!.size).toBe(signed);
    } finally {
      await t.registry.close();
      await dropSchema(url, schema);
    }
  }, 120_000);
});
