// `untp-credits log export DIR`: writes the log's `checkpoint`, `vkey` and every C2SP tlog-tiles file
// of its latest tree exactly as GET /registry/log/… serves them, so that any static file server
// serving DIR is a mirror (`log monitor --log https://mirror.example/`). From the registry's
// database, or from a running registry (or another mirror) by URL. Full tiles never change, so a
// re-export skips those already written; the checkpoint is written last, after its tiles.
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  TILE_WIDTH,
  ed25519NoteVerifier,
  openCheckpoint,
  parseCheckpoint,
  parseSignedNote,
  parseVerifierKey,
  tilePath,
  tilesForSize,
  type Tile,
} from '../log/index.js';
import { UntpCreditsError } from '../errors.js';
import { openDatabase, type Database } from '../registry/db.js';
import { latestCheckpoint, readStoredTile } from '../registry/log/store.js';
import { identityLogVkey, loadIdentity } from '../server/identity.js';
import { databaseTarget } from './database-target.js';
import { endOnError, EXIT_OK } from './exit.js';
import { logSource } from './log-source.js';
import { progressBar } from './progress.js';

type Out = (line: string) => void;

export interface LogExportOptions {
  /** A running registry (its log is under /registry/log) … */
  registry?: string;
  /** … or any log URL prefix or directory … */
  log?: string;
  /** … or the registry's database. */
  dataDir?: string;
  databaseUrl?: string;
  schema?: string;
  json?: boolean;
}

interface Snapshot {
  checkpoint: string;
  vkey: string;
  tile(tile: Tile): Promise<Uint8Array | undefined>;
  close(): Promise<void>;
}

async function fromDatabase(options: LogExportOptions): Promise<Snapshot> {
  const target = databaseTarget(options);
  if ('dataDir' in target && !existsSync(target.dataDir))
    throw new UntpCreditsError('REQUEST_INVALID', `no registry data directory at ${target.dataDir}`);
  const db: Database = await openDatabase({ ...target, ...(options.schema ? { schema: options.schema } : {}) });
  try {
    const identity = await loadIdentity(db);
    const vkey = identity ? identityLogVkey(identity) : undefined;
    if (!vkey) throw new UntpCreditsError('LOG_KEY_UNAVAILABLE', 'this registry has no log key yet');
    const stored = await latestCheckpoint(db);
    if (!stored) throw new UntpCreditsError('LOG_TILE_MISSING', 'the log has no signed checkpoint yet');
    return {
      checkpoint: stored.note,
      vkey,
      tile: (tile) => readStoredTile(db, tile, stored.size),
      close: () => db.close(),
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

async function fromUrl(location: string): Promise<Snapshot> {
  const source = logSource(location);
  const checkpoint = await source.checkpoint();
  const vkey = Buffer.from((await source.read('vkey')) ?? new Uint8Array())
    .toString('utf8')
    .trim();
  if (!vkey) throw new UntpCreditsError('LOG_TILE_MISSING', `${source.location} serves no vkey`);
  return { checkpoint, vkey, tile: (tile) => source.read(tilePath(tile)), close: async () => undefined };
}

async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

export async function runLogExport(
  dir: string,
  options: LogExportOptions,
  out: Out = (l) => process.stdout.write(`${l}\n`),
  err: Out = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  let snapshot: Snapshot | undefined;
  try {
    const remote = options.registry ? `${options.registry.replace(/\/+$/, '')}/registry/log` : options.log;
    snapshot = remote ? await fromUrl(remote) : await fromDatabase(options);
    // What is exported is checked like any reader would: the checkpoint opens with the vkey.
    const vkey = parseVerifierKey(snapshot.vkey);
    openCheckpoint(snapshot.checkpoint, vkey.name, [ed25519NoteVerifier(snapshot.vkey)]);
    const { size } = parseCheckpoint(parseSignedNote(snapshot.checkpoint).text);
    const tiles = tilesForSize(size);
    const progress = progressBar(tiles.length, 'log export');
    let written = 0;
    let kept = 0;
    for (const [i, tile] of tiles.entries()) {
      const path = join(dir, tilePath(tile));
      if (tile.width === TILE_WIDTH && existsSync(path)) {
        kept++;
      } else {
        const data = await snapshot.tile(tile);
        if (!data) throw new UntpCreditsError('LOG_TILE_MISSING', `the log does not serve ${tilePath(tile)}`);
        await writeAtomic(path, data);
        written++;
      }
      progress.tick(i + 1);
    }
    progress.done();
    await writeAtomic(join(dir, 'vkey'), `${snapshot.vkey}\n`);
    await writeAtomic(join(dir, 'checkpoint'), snapshot.checkpoint);
    const report = { dir, origin: vkey.name, size, tilesWritten: written, tilesKept: kept };
    out(
      options.json
        ? JSON.stringify(report, null, 2)
        : `log export: ${vkey.name} at size ${size} → ${dir} (${written} tiles written, ${kept} full tiles already there)`,
    );
    return EXIT_OK;
  } catch (error) {
    return endOnError('log export', error, err);
  } finally {
    await snapshot?.close().catch(() => undefined);
  }
}
