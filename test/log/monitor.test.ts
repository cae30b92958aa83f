// `log export` and `log monitor` against a running registry with its log, in-process (no dist/).
// Runs on PGlite, or on PostgreSQL when DATABASE_URL is set (the rewrite is then done as the
// PostgreSQL superuser, triggers bypassed).
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCheckpoint, parseSignedNote, signCheckpoint } from '../../src/log/index.js';
import { runLogExport } from '../../src/cli/log-export.js';
import { runLogMonitor } from '../../src/cli/log-monitor.js';
import { ADMIN_KEY, example, runCobaltStory, startLedgerServer, type TestServer } from '../server/helpers.js';
import { lines, logCaughtUp, rewriteHistory, serverLogSigner, staticServer } from './support/log-server.js';

let server: TestServer;
let dir: string;
let vkey: string;
let logUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'untp-log-monitor-'));
  server = await startLedgerServer({}, { log: true });
  await runCobaltStory(server);
  await logCaughtUp(server);
  vkey = (await (await server.get('/registry/log/vkey')).text()).trim();
  logUrl = `http://127.0.0.1:${server.port}/registry/log`;
}, 120_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const monitor = async (log: string, extra: Record<string, unknown> = {}) => {
  const o = lines();
  const e = lines();
  const code = await runLogMonitor({ log, vkey: [vkey], ...extra }, o.out, e.out);
  return { code, out: o.text(), err: e.text() };
};

describe('log export and log monitor', () => {
  it('a mirror made by log export, served by a plain static file server, is monitored OK; an edited mirror file fails naming the entry', async () => {
    const mirror = join(dir, 'mirror');
    const o = lines();
    expect(await runLogExport(mirror, { log: logUrl }, o.out, o.out)).toBe(0);
    expect(o.text()).toMatch(/size \d+/);
    // The files are the server's, byte for byte.
    expect(readFileSync(join(mirror, 'checkpoint'), 'utf8')).toBe(
      await (await server.get('/registry/log/checkpoint')).text(),
    );
    const bundle = readdirSync(join(mirror, 'tile/entries/000.p'))[0]!;
    const served = new Uint8Array(await (await server.get(`/registry/log/tile/entries/000.p/${bundle}`)).arrayBuffer());
    expect(Buffer.from(readFileSync(join(mirror, 'tile/entries/000.p', bundle))).equals(Buffer.from(served))).toBe(
      true,
    );
    const statics = await staticServer(mirror);
    try {
      const state = join(dir, 'mirror-state.json');
      const first = await monitor(statics.url, { state });
      expect(first.code, first.out + first.err).toBe(0);
      expect(first.out).toContain('ledger rules hold');
      // A second run against the same mirror: consistent, nothing new.
      const again = await monitor(statics.url, { state, json: true });
      expect(again.code, again.out + again.err).toBe(0);
      expect(JSON.parse(again.out)).toMatchObject({ ok: true, newEntries: 0 });
    } finally {
      await statics.close();
    }
    // Negative twin: one byte of one entry changed in a copy of the mirror.
    const edited = join(dir, 'edited');
    cpSync(mirror, edited, { recursive: true });
    const path = join(edited, 'tile/entries/000.p', bundle);
    const text = readFileSync(path, 'latin1').replace('"quantity":25', '"quantity":52');
    expect(text).not.toBe(readFileSync(path, 'latin1'));
    writeFileSync(path, text, 'latin1');
    const bad = await monitor(edited, { json: true });
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.out);
    expect(report.failures[0]).toMatchObject({ code: 'LOG_ENTRY_HASH_MISMATCH' });
    expect(report.failures[0].index).toBeTypeOf('number');
  }, 120_000);

  it('equivocation: a second checkpoint of the same size with another root, signed with the log key, exits 1 and prints both notes', async () => {
    const state = join(dir, 'equivocation-state.json');
    expect((await monitor(logUrl, { state })).code).toBe(0);
    const real = await (await server.get('/registry/log/checkpoint')).text();
    const { origin, size } = parseCheckpoint(parseSignedNote(real).text);
    const forged = await signCheckpoint({ origin, size, rootHash: new Uint8Array(32).fill(7), extensions: [] }, [
      (await serverLogSigner(server.db)).signer,
    ]);
    const file = join(dir, 'forged-checkpoint');
    writeFileSync(file, forged);
    const result = await monitor(logUrl, { state, checkpoint: file });
    expect(result.code).toBe(1);
    expect(result.out).toContain('LOG_EQUIVOCATION');
    expect(result.out).toContain(real.trimEnd());
    expect(result.out).toContain(forged.trimEnd());
    // Twin: the genuine checkpoint given the same way passes.
    writeFileSync(file, real);
    expect((await monitor(logUrl, { state, checkpoint: file })).code).toBe(0);
  }, 120_000);

  it('history rewrite (b): an event and its stored log entry edited together (triggers bypassed, tiles rehashed, checkpoint re-signed) — the monitor holding the verified hashes exits 1 naming the entry', async () => {
    const state = join(dir, 'rewrite-state.json');
    const before = await monitor(logUrl, { state });
    expect(before.code, before.out + before.err).toBe(0);
    const { index } = await rewriteHistory(server.db, {
      where: "type = 'retired'",
      set: "payload = jsonb_set(payload, '{quantity}', '24')",
    });
    // The registry goes on logging: one more transfer after the rewrite.
    const response = await server.post(
      '/registry/transfers',
      { ...(await example('transfer')), quantity: 1 },
      { key: ADMIN_KEY },
    );
    expect(response.status, await response.clone().text()).toBe(201);
    await logCaughtUp(server);
    const after = await monitor(logUrl, { state, json: true });
    expect(after.code, after.out + after.err).toBe(1);
    const report = JSON.parse(after.out);
    expect(report.failures).toContainEqual(expect.objectContaining({ code: 'LOG_EQUIVOCATION' }));
    expect(report.failures).toContainEqual(expect.objectContaining({ code: 'LOG_ENTRY_REWRITTEN', index }));
    expect(report.equivocation.notes).toHaveLength(2);
    // The state was not advanced: the next run reports it again.
    expect((await monitor(logUrl, { state })).code).toBe(1);
    // Twin: a monitor starting fresh (no hashes from before) sees a consistent log.
    expect((await monitor(logUrl, {})).code).toBe(0);
  }, 120_000);
});
