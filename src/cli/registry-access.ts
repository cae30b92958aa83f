import { parseErrorCode, type ErrorCode } from '../errors/catalogue.js';
import { databaseTarget } from './database-target.js';
import { endOnError, EXIT_OK } from './exit.js';
import { readJsonInput } from './io.js';
import type { Command } from 'commander';
import { UntpCreditsError } from '../errors.js';
import { guardedFetch } from '../net/guarded-fetch.js';
import type { Database } from '../registry/db.js';
import type { Principal } from '../server/auth.js';
import { DEFAULT_DATA_DIR, openServerDatabase } from '../server/bootstrap.js';
import { loadIdentity, type RegistryIdentity } from '../server/identity.js';
import type { CommandResults } from '../app/commands.js';
import type { LedgerCommand } from '../app/schemas.js';
import type { HoldingsRecord, RegistryService } from '../app/service.js';
import type { InvariantReport } from '../registry/invariants.js';
import type { SerialLookup } from '../registry/lookup.js';
import type { IssuanceRecord, RetirementRecord } from '../registry/records.js';
import { openLedger } from '../server/ledger.js';
import { LEDGER_COMMANDS } from '../server/ports.js';

/**
 * How registry verbs reach the ledger: a running server (`--registry URL`, API key from
 * UNTP_CREDITS_API_KEY), or the database directly (`--data-dir`, `--database-url` / DATABASE_URL)
 * when no server holds it. Both speak the same request bodies (the registry API's), so a verb is
 * one body builder plus this.
 */
export interface RegistryAccessOptions {
  registry?: string;
  dataDir?: string;
  databaseUrl?: string;
  json?: boolean;
}

/**
 * The registry as a verb sees it: the application layer's commands and reads (src/app), run on the
 * database or asked of a server over its API. Reads resolve to undefined when there is no record.
 */
export interface RegistryAccess {
  readonly mode: 'api' | 'database';
  run<C extends LedgerCommand>(
    command: C,
    body: Record<string, unknown>,
    idempotencyKey?: string,
  ): Promise<CommandResults[C]>;
  issuance(issuanceId: string): Promise<IssuanceRecord | undefined>;
  retirement(retirementId: string): Promise<RetirementRecord | undefined>;
  serial(serial: string): Promise<SerialLookup | undefined>;
  holdings(accountId: string): Promise<HoldingsRecord | undefined>;
  invariants(): Promise<InvariantReport>;
  /** API mode only: the server's signed verification bundle of a retirement. */
  bundle?(retirementId: string): Promise<Record<string, unknown> | undefined>;
  /** Database mode only: the store and identity (bundles are signed with the registry's key). */
  store?: { db: Database; identity: RegistryIdentity; ledger: RegistryService };
  close(): Promise<void>;
}

/** One HTTP exchange with a registry server. Injectable: tests and future transports plug in here. */
export type RegistryTransport = (request: {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}) => Promise<{ status: number; body: string }>;

/**
 * The default transport: the guarded fetcher (HTTPS to public addresses, no redirects, bounded),
 * GET and POST. The registry URL is one a person gave on the command line (`--registry`), so plain
 * HTTP is allowed for a loopback registry (`http://127.0.0.1:8080`, `http://localhost:8080`) — an
 * explicit opt-in on this call only; every other fetch of the toolkit stays HTTPS-only.
 */
export const guardedTransport: RegistryTransport = async ({ method, url, headers, body }) => {
  const response = await guardedFetch(url, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
    accept: headers.accept ?? 'application/json',
    maxBytes: 16 * 1024 * 1024,
    timeoutMs: 30_000,
    anyStatus: true,
    allowLoopbackHttp: true,
  });
  return { status: response.status, body: new TextDecoder().decode(response.body) };
};

const CLI_PRINCIPAL: Principal = { keyId: 'cli-direct', scopes: ['*'] };

function apiAccess(base: string, apiKey: string | undefined, transport: RegistryTransport): RegistryAccess {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new UntpCreditsError('REGISTRY_URL_INVALID', `--registry ${base} is not a URL`);
  }
  const root = url.href.replace(/\/+$/, '');
  const call = async (method: 'GET' | 'POST', path: string, body?: Record<string, unknown>, key?: string) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    if (key) headers['idempotency-key'] = key;
    let response: { status: number; body: string };
    try {
      response = await transport({
        method,
        url: `${root}${path}`,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      if (error instanceof UntpCreditsError && error.code !== 'FETCH_FAILED') throw error;
      throw new UntpCreditsError('REGISTRY_UNREACHABLE', `${root}: ${(error as Error).message}`);
    }
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(response.body) as Record<string, unknown>;
    } catch {
      parsed = {};
    }
    if (response.status === 404 && method === 'GET') return undefined;
    if (response.status >= 400) {
      const known = parseErrorCode(parsed.code);
      const code: ErrorCode =
        known ??
        (response.status === 401 ? 'UNAUTHENTICATED' : response.status === 403 ? 'FORBIDDEN' : 'REGISTRY_ERROR');
      const detail =
        typeof parsed.detail === 'string' ? parsed.detail : `${method} ${path} answered ${response.status}`;
      // A code this release does not know (a newer server) is kept in the message.
      throw new UntpCreditsError(
        code,
        known === undefined && typeof parsed.code === 'string' ? `${parsed.code}: ${detail}` : detail,
      );
    }
    return parsed;
  };
  // The server answers the application layer's results as JSON: the same shapes, typed here.
  const read = async <T>(path: string) => (await call('GET', path)) as T | undefined;
  const segment = encodeURIComponent;
  return {
    mode: 'api',
    run: async <C extends LedgerCommand>(command: C, body: Record<string, unknown>, key?: string) => {
      if (!apiKey)
        throw new UntpCreditsError(
          'API_KEY_MISSING',
          'set UNTP_CREDITS_API_KEY to an API key with the scope this command needs (untp-credits apikey create)',
        );
      return ((await call('POST', LEDGER_COMMANDS[command], body, key)) ?? {}) as unknown as CommandResults[C];
    },
    issuance: (id) => read<IssuanceRecord>(`/registry/issuances/${segment(id)}`),
    retirement: (id) => read<RetirementRecord>(`/registry/retirements/${segment(id)}`),
    serial: (serial) => read<SerialLookup>(`/registry/serials/${segment(serial)}`),
    holdings: (account) => read<HoldingsRecord>(`/registry/accounts/${segment(account)}/holdings`),
    invariants: async () => (await read<InvariantReport>('/registry/invariants')) as InvariantReport,
    bundle: (id) => read<Record<string, unknown>>(`/registry/retirements/${segment(id)}/bundle`),
    close: async () => undefined,
  };
}

/**
 * Opens the registry for a verb: the server at `--registry`, else the database (a PGlite data
 * directory — refused with REGISTRY_LOCKED while a server holds it — or PostgreSQL).
 *
 * @example
 *   const access = await openRegistryAccess({ dataDir: './data/registry' });
 *   await access.run('transfer', { from: 'ACC-CD-0001', to: 'ACC-DE-0042', issuanceId, quantity: 40 });
 */
export async function openRegistryAccess(
  options: RegistryAccessOptions,
  env: NodeJS.ProcessEnv = process.env,
  transport: RegistryTransport = guardedTransport,
): Promise<RegistryAccess> {
  if (options.registry !== undefined)
    return apiAccess(options.registry, env.UNTP_CREDITS_API_KEY || undefined, transport);
  const db = await openServerDatabase(databaseTarget(options, env, DEFAULT_DATA_DIR));
  try {
    const identity = await loadIdentity(db);
    if (!identity)
      throw new UntpCreditsError(
        'IDENTITY_MISSING',
        'this database holds no registry identity yet: run untp-credits init first',
      );
    // The same application functions the HTTP routes call, without HTTP.
    const { ledger } = await openLedger(db, identity);
    return {
      mode: 'database',
      store: { db, identity, ledger },
      run: (command, body, key) =>
        ledger.run(command, body, { principal: CLI_PRINCIPAL, ...(key ? { idempotencyKey: key } : {}) }),
      issuance: (id) => ledger.getIssuance(id),
      retirement: (id) => ledger.getRetirement(id),
      serial: (serial) => ledger.lookupSerial(serial),
      holdings: (account) => ledger.holdings(account),
      invariants: () => ledger.invariants(),
      close: () => db.close(),
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

/** The options every registry verb takes. */
export function registryOptions(command: Command): Command {
  return command
    .option('--registry <url>', 'a running registry server (API key from UNTP_CREDITS_API_KEY)')
    .option(
      '--data-dir <dir>',
      `open the PGlite data directory directly when no server holds it (default ${DEFAULT_DATA_DIR})`,
    )
    .option('--database-url <url>', 'open PostgreSQL directly (default: DATABASE_URL)')
    .option('--json', 'print the result as JSON');
}

/** A registry command verb: its flags and how they become the API body. */
export interface LedgerVerbSpec {
  name: string;
  command: LedgerCommand;
  description: string;
  /** Flags specific to the verb: [flags, description]. */
  flags: Array<[string, string]>;
  /** Builds the body from `--body FILE` (parsed) and the flags. */
  body(base: Record<string, unknown>, options: Record<string, unknown>): Record<string, unknown>;
  /** One line for people. */
  summary(result: Record<string, unknown>): string;
  examples: string[];
}

/** `PREFIX:START-END` → { prefix, start, end } (the prefix may contain dashes and colons). */
export function parseRange(text: string): { prefix: string; start: number; end: number } {
  const match = /^(.+):(\d{1,16})-(\d{1,16})$/.exec(text);
  if (!match) throw new UntpCreditsError('REQUEST_INVALID', `--range ${text} is not PREFIX:START-END`);
  return { prefix: match[1] as string, start: Number(match[2]), end: Number(match[3]) };
}

/** A positive whole number flag. */
export function count(value: unknown, flag: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new UntpCreditsError('REQUEST_INVALID', `${flag} ${String(value)} is not a positive whole number`);
  return n;
}

/** Drops undefined members. */
export function defined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** Where a registry verb reports errors, its environment, and an access the caller keeps open (tests, `demo`). */
export interface RegistryVerbIo {
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  opened?: RegistryAccess | undefined;
}

/**
 * The frame of every registry verb: `run` opens the registry when it needs it (`open()`, after the
 * checks that need none), the access is closed afterwards unless the caller passed it in, and any
 * error becomes one `<verb>: CODE: message` line and its exit code.
 */
export async function runRegistryVerb(
  verb: string,
  options: RegistryAccessOptions,
  io: RegistryVerbIo,
  run: (open: () => Promise<RegistryAccess>) => Promise<number>,
): Promise<number> {
  let access: RegistryAccess | undefined;
  try {
    return await run(async () => (access ??= io.opened ?? (await openRegistryAccess(options, io.env))));
  } catch (error) {
    return endOnError(verb, error, io.err);
  } finally {
    if (!io.opened) await access?.close().catch(() => undefined);
  }
}

/**
 * Runs one ledger verb: reads `--body`, applies the flags, sends it to the server or runs it on the
 * database, prints a summary (or the JSON result). Exit 0 done, 1 refused by the ledger, 2 could not run.
 */
export async function runLedgerVerb(
  spec: LedgerVerbSpec,
  options: Record<string, unknown> & RegistryAccessOptions,
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  err: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  env: NodeJS.ProcessEnv = process.env,
  opened?: RegistryAccess,
): Promise<number> {
  return runRegistryVerb(spec.name, options, { err, env, opened }, async (open) => {
    let base: Record<string, unknown> = {};
    if (typeof options.body === 'string') {
      const parsed = readJsonInput(options.body);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new UntpCreditsError('REQUEST_INVALID', `${options.body} is not a JSON object`);
      base = parsed as Record<string, unknown>;
    }
    const body = spec.body(base, options);
    const result: Record<string, unknown> = {
      ...(await (await open()).run(spec.command, body, typeof options.key === 'string' ? options.key : undefined)),
    };
    out(options.json ? JSON.stringify(result, null, 2) : `✔ ${spec.name}  ${spec.summary(result)}`);
    return EXIT_OK;
  });
}

/** Registers a ledger verb on the program, with `--body`, `--key`, the access options and examples in `--help`. */
export function registerLedgerVerb(program: Command, spec: LedgerVerbSpec): void {
  const command = program
    .command(spec.name)
    .description(spec.description)
    .option('--body <file>', 'the request body as JSON (the registry API body); flags override its members')
    .option('--key <key>', 'idempotency key: the same key with the same body runs once');
  for (const [flags, description] of spec.flags) command.option(flags, description);
  registryOptions(command)
    .addHelpText(
      'after',
      `\nExamples:\n${spec.examples.map((e) => `  ${e}`).join('\n')}\nExit: 0 done, 1 refused by the registry (the code says why), 2 could not run (usage, unreachable, locked).`,
    )
    .action(async (options: Record<string, unknown>) => {
      process.exitCode = await runLedgerVerb(spec, options);
    });
}

/**
 * The body's unit selection overridden by flags: `--range` replaces any quantity, ranges or blocks
 * of the body (and its issuance, unless `keepIssuance`), `--quantity` replaces its ranges and blocks.
 */
export function withSelection(
  base: Record<string, unknown>,
  o: Record<string, unknown>,
  keepIssuance = false,
): Record<string, unknown> {
  const drop =
    o.range !== undefined
      ? ['quantity', 'ranges', 'serialBlock', 'blocks', ...(keepIssuance ? [] : ['issuanceId', 'issuanceIds'])]
      : o.quantity !== undefined
        ? ['ranges', 'serialBlock', 'blocks']
        : [];
  return Object.fromEntries(Object.entries(base).filter(([k]) => !drop.includes(k)));
}
