// `log export` and `log monitor` against a running registry with its log, in-process (no dist/).
// Runs on PGlite, or on PostgreSQL when DATABASE_URL is set (the rewrite is then done as the
// PostgreSQL superuser, triggers bypassed).
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  consistencyProof,
  cosignatureVerifier,
  cosigner,
  ed25519NoteVerifier,
  formatVerifierKey,
  MemoryTree,
  openNote,
  parseCheckpoint,
  parseSignedNote,
  signCheckpoint,
} from '../../src/log/index.js';
import { startWitness, type StartedWitness } from '../../src/cli/log-witness.js';
import { formatAddCheckpointRequest } from '../../src/log/replay-witness.js';
import { freePort } from '../support/child.js';
import { runLogExport } from '../../src/cli/log-export.js';
import { runLogMonitor } from '../../src/cli/log-monitor.js';
import { ADMIN_KEY, example, runCobaltStory, startLedgerServer, type TestServer } from '../server/helpers.js';
import {
  allEntries,
  lines,
  logCaughtUp,
  rewriteHistory,
  serverLogSigner,
  staticServer,
  writeLogDir,
} from './support/log-server.js';

let server: TestServer;
let dir: string;
let vkey: string;
let logUrl: string;
let witness: StartedWitness;
const witnessErr = lines();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'untp-log-monitor-'));
  // The witness's key and port first: the registry is configured with them at start.
  const witnessKey = join(dir, 'witness.key');
  const seed = randomBytes(32);
  writeFileSync(witnessKey, seed.toString('base64'));
  const witnessVkey = formatVerifierKey('witness.test/w1', cosigner('witness.test/w1', seed).publicKey, 4);
  const witnessPort = await freePort();
  server = await startLedgerServer(
    {},
    { log: true, witnesses: [{ url: `http://127.0.0.1:${witnessPort}`, vkey: witnessVkey }] },
  );
  vkey = (await (await server.get('/registry/log/vkey')).text()).trim();
  logUrl = `http://127.0.0.1:${server.port}/registry/log`;
  witness = await startWitness(
    {
      key: witnessKey,
      name: 'witness.test/w1',
      state: join(dir, 'witness-state'),
      port: String(witnessPort),
      log: logUrl,
      vkey: [vkey],
    },
    witnessErr.out,
  );
  expect(witness.vkey).toBe(witnessVkey);
  await runCobaltStory(server);
  await logCaughtUp(server);
}, 120_000);
afterAll(async () => {
  await witness?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The served checkpoint once it carries a cosignature by the witness (pushed after each checkpoint). */
async function cosignedCheckpoint(): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const note = await (await server.get('/registry/log/checkpoint')).text();
    if (note.includes('— witness.test/w1 ')) return note;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no cosignature; witness said: ${witnessErr.text()}`);
}

const monitor = async (log: string, extra: Record<string, unknown> = {}) => {
  const o = lines();
  const e = lines();
  const code = await runLogMonitor({ log, vkey: [vkey], ...extra }, o.out, e.out);
  return { code, out: o.text(), err: e.text() };
};

describe('log export and log monitor', () => {
  it('a mirror made by log export, served by a plain static file server, is monitored OK; an edited mirror file fails naming the entry', async () => {
    // Once the witness has cosigned, the served checkpoint stops changing (no further writes).
    await cosignedCheckpoint();
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

  it('the witness cosigns each checkpoint the registry pushes; the served checkpoint and a retirement record carry its tlog-cosignature line', async () => {
    const note = await cosignedCheckpoint();
    const opened = openNote(note, [ed25519NoteVerifier(vkey), cosignatureVerifier(witness.vkey)]);
    expect(opened.verified.map((v) => v.name)).toEqual(expect.arrayContaining(['witness.test/w1']));
    const record = (await (await server.get('/registry/retirements/RET-2026-0007')).json()) as {
      log: { checkpoint: string };
    };
    expect(record.log.checkpoint).toContain('— witness.test/w1 ');
    // Twin: the same line with one signature byte changed does not verify.
    const line = note.split('\n').find((l) => l.startsWith('— witness.test/w1 '))!;
    const sig = Buffer.from(line.split(' ')[2]!, 'base64');
    sig[sig.length - 1]! ^= 1;
    const tampered = note.replace(line, `— witness.test/w1 ${sig.toString('base64')}`);
    expect(() => openNote(tampered, [ed25519NoteVerifier(vkey), cosignatureVerifier(witness.vkey)])).toThrow(
      expect.objectContaining({ code: 'LOG_NOTE_SIGNATURE_INVALID' }),
    );
  }, 120_000);

  it('a witness refuses a checkpoint whose entries break a rule (a replayed double retirement), naming the entry; it cosigned the log before it', async () => {
    const served = await (await server.get('/registry/log/checkpoint')).text();
    const { origin, size } = parseCheckpoint(parseSignedNote(served).text);
    const entries = await allEntries(logUrl, size);
    const json = entries.map((e) => JSON.parse(Buffer.from(e).toString()) as Record<string, unknown>);
    const retirement = json.find((e) => e.type === 'retired')!;
    const lastSeq = Math.max(...json.map((e) => Number(e.seq)));
    // The registry's own key signs a log whose next entry retires the same serials again.
    const { logEntry } = await import('../../src/log/index.js');
    const forged = logEntry({
      ...retirement,
      seq: lastSeq + 1,
      credentialId: `${String(retirement.credentialId)}-again`,
      credentialDigest: 'zForgedDigest',
    });
    const { signer } = await serverLogSigner(server.db);
    const logDir = join(dir, 'rogue-log');
    await writeLogDir(logDir, entries, origin, signer, vkey);
    const errB = lines();
    const b = await startWitness(
      {
        key: join(dir, 'witness-b.key'),
        name: 'witness.test/b',
        state: join(dir, 'witness-b-state'),
        log: logDir,
        vkey: [vkey],
      },
      errB.out,
    );
    try {
      const post = (body: string) => fetch(`${b.url}/add-checkpoint`, { method: 'POST', body });
      const genuine = await post(
        formatAddCheckpointRequest({
          oldSize: 0,
          proof: [],
          checkpoint: (await import('node:fs')).readFileSync(join(logDir, 'checkpoint'), 'utf8'),
        }),
      );
      expect(genuine.status, await genuine.clone().text()).toBe(200);
      expect(await genuine.text()).toMatch(/^— witness\.test\/b [A-Za-z0-9+/=]+\n$/);
      const note = await writeLogDir(logDir, [...entries, forged], origin, signer, vkey);
      const tree = new MemoryTree();
      for (const e of [...entries, forged]) tree.append(e);
      const refused = await post(
        formatAddCheckpointRequest({ oldSize: size, proof: consistencyProof(size, size + 1, tree), checkpoint: note }),
      );
      expect(refused.status).toBe(422);
      expect(await refused.text()).toContain('LOG_REPLAY_RETIRED_TWICE');
      expect(errB.text()).toContain(`entry ${size}`);
      expect(errB.text()).toContain('LOG_REPLAY_RETIRED_TWICE');
      // It still knows the size it cosigned: a retry from there is a conflict-free refusal again, not a cosignature.
      const again = await post(
        formatAddCheckpointRequest({ oldSize: size, proof: consistencyProof(size, size + 1, tree), checkpoint: note }),
      );
      expect(again.status).toBe(422);
    } finally {
      await b.close();
    }
  }, 120_000);

  it('equivocation: the witness refuses a second checkpoint of the size it cosigned with another root (409, its size) and prints both notes', async () => {
    const real = await cosignedCheckpoint();
    const { origin, size } = parseCheckpoint(parseSignedNote(real).text);
    const forged = await signCheckpoint({ origin, size, rootHash: new Uint8Array(32).fill(9), extensions: [] }, [
      (await serverLogSigner(server.db)).signer,
    ]);
    const before = witnessErr.all.length;
    const response = await fetch(`${witness.url}/add-checkpoint`, {
      method: 'POST',
      body: formatAddCheckpointRequest({ oldSize: size, proof: [], checkpoint: forged }),
    });
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toBe('text/x.tlog.size');
    expect(await response.text()).toBe(`${size}\n`);
    const said = witnessErr.all.slice(before).join('\n');
    expect(said).toContain('LOG_EQUIVOCATION');
    expect(said).toContain(forged.trimEnd());
    expect(said).toContain(parseSignedNote(real).text.trimEnd());
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
    // The witness, pushed the new checkpoint by the registry, refuses it and names the entry.
    for (let i = 0; i < 100 && !witnessErr.text().includes('LOG_ENTRY_REWRITTEN'); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(witnessErr.text()).toContain(`entry ${index}`);
    expect(witnessErr.text()).toMatch(/LOG_ENTRY_REWRITTEN/);
    expect(await (await server.get('/registry/log/checkpoint')).text()).not.toContain('— witness.test/w1 ');
  }, 120_000);
});
