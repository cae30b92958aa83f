// C2SP tlog-tiles resource paths: hash tiles `tile/<L>/<N>[.p/<W>]` and entry bundles
// `tile/entries/<N>[.p/<W>]`, with <N> in zero-padded 3-digit groups, all but the last prefixed `x`
// (1234067 → x001/x234/067). Parsing accepts only the one canonical spelling of each tile.
import { logError } from './lib/errors.js';

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;

export interface Tile {
  /** 0…63 for hash tiles; 'entries' for an entry bundle. */
  readonly level: number | 'entries';
  /** The tile's index within its level. */
  readonly index: number;
  /** 1…256; 256 is a full tile, anything less a partial one. */
  readonly width: number;
}

export function tilePath(tile: Tile): string {
  assertTile(tile);
  const level = tile.level === 'entries' ? 'entries' : String(tile.level);
  const partial = tile.width === TILE_WIDTH ? '' : `.p/${tile.width}`;
  return `tile/${level}/${encodeIndex(tile.index)}${partial}`;
}

export function parseTilePath(path: string): Tile {
  const fail = (why: string) =>
    logError('LOG_TILE_PATH_INVALID', `${JSON.stringify(path)} is not a tile path: ${why}`, { path });
  const match = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/.exec(path);
  if (match === null) throw fail('expected tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]');
  const level = match[1] === 'entries' ? 'entries' : Number(match[1]);
  if (level !== 'entries' && level > 63) throw fail('the level is above 63');
  const groups = match[2]!.split('/');
  if (groups.length > 1 && groups[0] === 'x000') throw fail('the index has a leading zero group');
  const index = Number(groups.map((g) => g.replace('x', '')).join(''));
  if (!Number.isSafeInteger(index)) throw fail('the index is too large');
  const width = match[3] === undefined ? TILE_WIDTH : Number(match[3]);
  if (match[3] !== undefined && width >= TILE_WIDTH) throw fail('a partial tile is 1…255 wide');
  return { level, index, width };
}

function encodeIndex(index: number): string {
  let digits = String(index);
  digits = digits.padStart(Math.ceil(digits.length / 3) * 3, '0');
  const groups = digits.match(/.{3}/g)!;
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

function assertTile(tile: Tile): void {
  const levelOk = tile.level === 'entries' || (Number.isInteger(tile.level) && tile.level >= 0 && tile.level <= 63);
  if (!levelOk || !Number.isSafeInteger(tile.index) || tile.index < 0) {
    throw logError('LOG_TILE_INVALID', `not a tile: level ${String(tile.level)}, index ${String(tile.index)}`);
  }
  if (!Number.isInteger(tile.width) || tile.width < 1 || tile.width > TILE_WIDTH) {
    throw logError('LOG_TILE_INVALID', `a tile is 1…${TILE_WIDTH} wide, got ${String(tile.width)}`);
  }
}
