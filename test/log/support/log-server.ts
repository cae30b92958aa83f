import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import {
  CompactRange,
  MemoryTree,
  decodeEntryBundle,
  encodeEntryBundle,
  hashTileData,
  parseCheckpoint,
  parseSignedNote,
  signCheckpoint,
  tilePath,
  tilesForSize,
} from '../../../src/log/index.js';
import { eventLogEntries } from '../../../src/registry/log/entries.js';
import { identityLogKey, loadIdentity } from '../../../src/server/identity.js';
import type { Database } from '../../../src/registry/db.js';
import type { TestServer } from '../../server/helpers.js';

/** A static file server over `dir` (what any web server does with a `log export` directory). */
export async function staticServer(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '');
    if (path.startsWith('..')) {
      res.writeHead(403).end();
      return;
    }
    readFile(join(dir, path)).then(
      (data) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(data),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function lines(): { out: (l: string) => void; text: () => string; all: string[] } {
  const all: string[] = [];
  return { out: (l) => all.push(l), text: () => all.join('\n'), all };
}

/** Waits until the log's checkpoint covers every event. */
export async function logCaughtUp(server: TestServer): Promise<string> {
  const { rows } = await server.db.query<{ n: unknown }>('SELECT count(*) AS n FROM log_outbox');
  const want = Number(rows[0]!.n);
  for (let i = 0; i < 200; i++) {
    const response = await server.get('/registry/log/checkpoint');
    if (response.status === 200) {
      const note = await response.text();
      if (parseCheckpoint(parseSignedNote(note).text).size >= want) return note;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the log did not catch up');
}

/** The log key of the server's identity (as the registry itself holds it). */
export async function serverLogSigner(db: Database) {
  return identityLogKey((await loadIdentity(db))!);
}

/**
 * History rewrite (b), as a registry covering its tracks would do it, directly in the database with
 * the append-only triggers bypassed (a superuser's replica mode): an event is edited AND its stored
 * log entry, the tiles' hashes are recomputed and the checkpoint re-signed with the log key, so the
 * registry itself finds nothing wrong at its next start. Returns the log index of the edited entry.
 */
export async function rewriteHistory(
  db: Database,
  edit: { where: string; set: string },
): Promise<{ index: number; seq: number }> {
  const signer = (await serverLogSigner(db)).signer;
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL session_replication_role = replica');
    const { rows } = await tx.query<{ seq: unknown }>(
      `UPDATE events SET ${edit.set} WHERE ${edit.where} RETURNING seq`,
    );
    const seq = Number(rows[0]!.seq);
    const entry = (await eventLogEntries(tx, [seq])).get(seq)![0]!;
    await tx.query('UPDATE log_outbox SET entry = $2 WHERE event_seq = $1 AND part = 0', [seq, Buffer.from(entry)]);
    const { rows: logged } = await tx.query<{ idx: unknown }>(
      'UPDATE log_entries SET entry = $2 WHERE event_seq = $1 AND part = 0 RETURNING idx',
      [seq, Buffer.from(entry)],
    );
    const { rows: all } = await tx.query<{ entry: Uint8Array }>('SELECT entry FROM log_entries ORDER BY idx');
    const tree = new MemoryTree();
    const range = new CompactRange();
    for (const row of all) {
      tree.append(new Uint8Array(row.entry));
      range.appendEntry(new Uint8Array(row.entry));
    }
    const { rows: hashes } = await tx.query<{ level: number; idx: unknown }>('SELECT level, idx FROM log_hashes');
    for (const h of hashes) {
      await tx.query('UPDATE log_hashes SET hash = $3 WHERE level = $1 AND idx = $2', [
        h.level,
        h.idx,
        Buffer.from(tree.hashAt(h.level, Number(h.idx))),
      ]);
    }
    const { rows: cp } = await tx.query<{ note: string }>(
      'SELECT note FROM log_checkpoints ORDER BY size DESC LIMIT 1',
    );
    const origin = parseCheckpoint(parseSignedNote(cp[0]!.note).text).origin;
    const note = await signCheckpoint({ origin, size: tree.size, rootHash: tree.root(), extensions: [] }, [signer]);
    await tx.query('DELETE FROM log_checkpoints');
    await tx.query('INSERT INTO log_checkpoints (size, root, edge, note) VALUES ($1, $2, $3, $4)', [
      tree.size,
      Buffer.from(tree.root()),
      Buffer.concat(range.edge()),
      note,
    ]);
    return { index: Number(logged[0]!.idx), seq };
  });
}

/** Writes a log of `entries` as `log export` lays it out (checkpoint signed by `signer`). */
export async function writeLogDir(
  dir: string,
  entries: readonly Uint8Array[],
  origin: string,
  signer: Parameters<typeof signCheckpoint>[1][number],
  vkey: string,
): Promise<string> {
  const tree = new MemoryTree();
  for (const entry of entries) tree.append(entry);
  for (const tile of tilesForSize(tree.size)) {
    const path = join(dir, tilePath(tile));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(
      path,
      tile.level === 'entries'
        ? encodeEntryBundle(entries.slice(tile.index * 256, tile.index * 256 + tile.width))
        : hashTileData(tree, tile),
    );
  }
  const note = await signCheckpoint({ origin, size: tree.size, rootHash: tree.root(), extensions: [] }, [signer]);
  writeFileSync(join(dir, 'checkpoint'), note);
  writeFileSync(join(dir, 'vkey'), `${vkey}\n`);
  return note;
}

/** Every entry of the log served at `logUrl`, read from its bundles. */
export async function allEntries(logUrl: string, size: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const tile of tilesForSize(size).filter((t) => t.level === 'entries')) {
    const data = new Uint8Array(await (await fetch(`${logUrl}/${tilePath(tile)}`)).arrayBuffer());
    out.push(...decodeEntryBundle(data, tile.width));
  }
  return out;
}
