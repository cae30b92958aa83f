import type * as Crypto from 'node:crypto';
import type * as Dns from 'node:dns';
import type * as Fs from 'node:fs';
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type * as Module from 'node:module';
import type * as Net from 'node:net';
import type * as Zlib from 'node:zlib';
import { UntpCreditsError } from '../errors.js';

/**
 * Node's built-in modules when the runtime has them, without a static `node:` import: the root
 * entry is bundled for browsers (docs/api.md), where these are undefined and the callers fall back
 * to portable code (@noble, fflate, WebCrypto). On Node the native modules keep the fast path.
 * `process.getBuiltinModule` exists from Node 20.16 (package.json engines: >= 20.19).
 */
interface BuiltinLoader {
  getBuiltinModule?: (id: string) => unknown;
}

// Tests set this to run the portable code paths on Node (test/lib/platform.test.ts).
let portableOnly = false;

/** Makes every `nodeBuiltin` call answer undefined (true) or look again (false): for tests only. */
export function usePortableCodeOnly(portable: boolean): void {
  portableOnly = portable;
}

function builtin<T>(id: string, portable = portableOnly): T | undefined {
  if (portable) return undefined;
  const loader = (globalThis as { process?: BuiltinLoader }).process;
  return typeof loader?.getBuiltinModule === 'function' ? (loader.getBuiltinModule(id) as T) : undefined;
}

export const nodeCrypto = (): typeof Crypto | undefined => builtin('node:crypto');
export const nodeZlib = (): typeof Zlib | undefined => builtin('node:zlib');
export const nodeFs = (): typeof Fs | undefined => builtin('node:fs');
/** node:fs for the package's own bundled files: a browser bundle inlines those instead (artefacts/files.ts). */
export const packageFs = (): typeof Fs | undefined => builtin('node:fs', false);
/** node:module for the package's own build output (generated validators, artefacts/precompiled-schemas.ts). */
export const packageModule = (): typeof Module | undefined => builtin('node:module', false);
export const nodeNet = (): typeof Net | undefined => builtin('node:net');
export const nodeDns = (): typeof Dns | undefined => builtin('node:dns');
export const nodeHttp = (): typeof Http | undefined => builtin('node:http');
export const nodeHttps = (): typeof Https | undefined => builtin('node:https');

/** The Node built-in, or a clear error for a runtime without it (a browser): `what` names the feature. */
export function requireNodeBuiltin<T>(get: () => T | undefined, what: string): T {
  const module = get();
  if (module === undefined)
    throw new UntpCreditsError('RUNTIME_UNSUPPORTED', `${what} needs Node.js (this runtime has no node: built-ins)`);
  return module;
}
