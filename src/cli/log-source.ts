// Where `log monitor`, `log witness` and `log export` read a log from: a URL prefix (the registry's
// /registry/log, or any static mirror) or a directory written by `log export`. Both lay out the same
// files: `checkpoint`, `vkey` and the C2SP tlog-tiles `tile/…` paths.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ed25519NoteVerifier, parseVerifierKey, type NoteVerifier, type TileReader } from '../log/index.js';
import { UntpCreditsError } from '../errors.js';

export interface LogSource extends TileReader {
  /** What the user named (URL or directory), for reports. */
  readonly location: string;
  /** The latest checkpoint as served. */
  checkpoint(): Promise<string>;
}

const isUrl = (value: string) => /^https?:\/\//i.test(value);

/** A log at a URL prefix or in a directory. */
export function logSource(location: string, fetchImpl: typeof fetch = fetch): LogSource {
  if (isUrl(location)) {
    const prefix = location.replace(/\/+$/, '');
    const get = async (path: string): Promise<Uint8Array | undefined> => {
      let response: Response;
      try {
        response = await fetchImpl(`${prefix}/${path}`, { headers: { 'cache-control': 'no-cache' } });
      } catch (error) {
        throw new UntpCreditsError('FETCH_FAILED', `${prefix}/${path}: ${(error as Error).message}`);
      }
      if (response.status === 404) return undefined;
      if (!response.ok) throw new UntpCreditsError('FETCH_FAILED', `${prefix}/${path} answered ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    };
    return {
      location: prefix,
      read: get,
      checkpoint: async () => {
        const data = await get('checkpoint');
        if (!data) throw new UntpCreditsError('LOG_TILE_MISSING', `${prefix}/checkpoint: the log has no checkpoint`);
        return Buffer.from(data).toString('utf8');
      },
    };
  }
  if (!existsSync(location))
    throw new UntpCreditsError('REQUEST_INVALID', `--log ${location} is neither an http(s) URL nor a directory`);
  const read = async (path: string): Promise<Uint8Array | undefined> => {
    if (path.split('/').some((part) => part === '..' || part === '')) return undefined;
    try {
      return new Uint8Array(await readFile(join(location, path)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
  return {
    location,
    read,
    checkpoint: async () => {
      const data = await read('checkpoint');
      if (!data) throw new UntpCreditsError('LOG_TILE_MISSING', `${location} holds no checkpoint`);
      return Buffer.from(data).toString('utf8');
    },
  };
}

/** The log's verifier keys from --vkey values: each a vkey, or a file holding one per line. */
export function logVerifiers(values: readonly string[]): {
  origin: string;
  verifiers: NoteVerifier[];
  vkeys: string[];
} {
  const vkeys: string[] = [];
  for (const value of values) {
    let parsed = false;
    try {
      parseVerifierKey(value.trim());
      vkeys.push(value.trim());
      parsed = true;
    } catch {
      /* a file */
    }
    if (parsed) continue;
    if (!existsSync(value))
      throw new UntpCreditsError('REQUEST_INVALID', `--vkey ${value} is neither a verifier key nor a file`);
    for (const line of readFileSync(value, 'utf8').split('\n')) if (line.trim()) vkeys.push(line.trim());
  }
  if (vkeys.length === 0)
    throw new UntpCreditsError('REQUEST_INVALID', '--vkey is required: the log key (vkey or file)');
  const names = new Set(vkeys.map((v) => parseVerifierKey(v).name));
  if (names.size !== 1)
    throw new UntpCreditsError('REQUEST_INVALID', `the --vkey keys name ${names.size} logs; give the keys of one log`);
  return { origin: [...names][0]!, verifiers: vkeys.map((v) => ed25519NoteVerifier(v)), vkeys };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
