import { Router, type Response } from 'express';
import { TILE_WIDTH, parseTilePath, type Tile } from '../../log/index.js';
import type { ServerContext } from '../context.js';
import { identityLogVkey } from '../identity.js';
import { HttpProblem } from '../problem.js';

/** Checkpoints change with every write: cached for a second at most. */
const CHECKPOINT_CACHE = 'public, max-age=1';
/** A full tile never changes. */
const FULL_TILE_CACHE = 'public, max-age=31536000, immutable';
/** A partial tile of width W never changes either, but it may not exist yet at the next checkpoint. */
const PARTIAL_TILE_CACHE = 'public, max-age=60';

function text(res: Response, body: string, cache: string): void {
  res.setHeader('Cache-Control', cache);
  res.type('text/plain; charset=utf-8').send(body);
}

/**
 * The transparency log (C2SP tlog-tiles): GET /registry/log/checkpoint (the latest signed
 * checkpoint), /registry/log/vkey (the log key as a C2SP verifier key) and /registry/log/tile/…
 * (hash tiles and entry bundles, partial ones as `.p/<W>`), the same files `untp-credits log
 * export` writes, so a static file server can mirror the log.
 */
export function logRoutes(context: ServerContext): Router {
  const router = Router();
  router.get('/registry/log/checkpoint', async (_req, res) => {
    const refusal = context.ledger?.logRefusal?.();
    if (refusal) throw refusal;
    const note = await context.ledger?.logCheckpoint?.();
    if (!note) throw new HttpProblem('NOT_FOUND', 'the log has no signed checkpoint yet');
    text(res, note, CHECKPOINT_CACHE);
  });
  router.get('/registry/log/vkey', async (_req, res) => {
    const vkey = identityLogVkey(await context.identity());
    if (!vkey) throw new HttpProblem('NOT_FOUND', 'this registry has no log key yet');
    text(res, `${vkey}\n`, 'public, max-age=300');
  });
  router.get(/^\/registry\/log\/tile\//, async (req, res) => {
    let tile: Tile;
    try {
      tile = parseTilePath(req.path.slice('/registry/log/'.length));
    } catch {
      throw new HttpProblem('NOT_FOUND', `no tile ${req.path}`);
    }
    const data = await context.ledger?.logTile?.(tile);
    if (!data) throw new HttpProblem('NOT_FOUND', `the log has no tile ${req.path} (yet)`);
    res.setHeader('Cache-Control', tile.width === TILE_WIDTH ? FULL_TILE_CACHE : PARTIAL_TILE_CACHE);
    res.type('application/octet-stream').send(Buffer.from(data));
  });
  return router;
}
