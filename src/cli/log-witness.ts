// `untp-credits log witness`: a C2SP tlog-witness over HTTP (POST /add-checkpoint, under any
// prefix) for one log, which cosigns a checkpoint only after following the log from its tiles and
// replaying the ledger's rules over the new entries (src/log/replay-witness.ts). Its state (the
// last cosigned checkpoint and the hashes of every entry it verified) is a file in --state DIR; its
// key is an Ed25519 seed in --key FILE (made on first start). Refusals are printed on stderr with
// the entries named, and equivocation with both signed notes.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { SIGNATURE_TYPE_COSIGNATURE_V1, cosigner, formatVerifierKey } from '../log/index.js';
import { checkFollowState, type FollowState } from '../log/replay-follow.js';
import { ReplayingWitness } from '../log/replay-witness.js';
import { UntpCreditsError } from '../errors.js';
import { endOnError, EXIT_OK } from './exit.js';
import { logSource, logVerifiers } from './log-source.js';
import { formatFollowReport } from './log-monitor.js';

type Out = (line: string) => void;

export interface LogWitnessOptions {
  key: string;
  name?: string;
  state: string;
  port?: string;
  host?: string;
  log: string;
  vkey: string[];
}

export interface StartedWitness {
  url: string;
  port: number;
  /** The witness's verifier key (cosignature/v1, type 0x04). */
  vkey: string;
  close(): Promise<void>;
}

/** The witness seed: base64 of 32 bytes in `path`, made (mode 0600) when the file does not exist. */
function witnessSeed(path: string): Uint8Array {
  if (!existsSync(path)) writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  const seed = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (seed.length !== 32)
    throw new UntpCreditsError('LOG_KEY_INVALID', `${path} does not hold a base64 32-byte Ed25519 seed`);
  return new Uint8Array(seed);
}

export async function startWitness(
  options: LogWitnessOptions,
  err: Out = (l) => process.stderr.write(`${l}\n`),
): Promise<StartedWitness> {
  const { origin, verifiers } = logVerifiers(options.vkey);
  const name = options.name ?? 'untp-credits-witness';
  const signer = cosigner(name, witnessSeed(options.key));
  const vkey = formatVerifierKey(name, signer.publicKey, SIGNATURE_TYPE_COSIGNATURE_V1);
  mkdirSync(options.state, { recursive: true });
  const stateFile = join(options.state, `${encodeURIComponent(origin)}.json`);
  const witness = new ReplayingWitness({
    origin,
    verifiers,
    cosigner: signer,
    reader: logSource(options.log),
    loadState: async () =>
      existsSync(stateFile)
        ? checkFollowState(JSON.parse(await readFile(stateFile, 'utf8')), origin, verifiers)
        : undefined,
    saveState: async (state: FollowState) => {
      const temporary = `${stateFile}.tmp-${process.pid}`;
      await writeFile(temporary, JSON.stringify(state));
      await rename(temporary, stateFile);
    },
  });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://witness').pathname;
    if (req.method !== 'POST' || !path.endsWith('/add-checkpoint')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('POST <prefix>/add-checkpoint\n');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 1 << 20) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      witness.addCheckpoint(Buffer.concat(chunks).toString('utf8')).then(
        (answer) => {
          if (answer.status !== 200 && answer.report)
            err(`log witness: refused (${answer.status})\n${formatFollowReport('log witness', answer.report)}`);
          else if (answer.status !== 200) err(`log witness: ${answer.status} ${answer.body.trimEnd()}`);
          res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
        },
        (error: unknown) => {
          err(`log witness: ${(error as Error).message}`);
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('internal error\n');
        },
      );
    });
  });
  const port = options.port === undefined ? 0 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UntpCreditsError('REQUEST_INVALID', `--port ${options.port} is not a port number`);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const bound = (server.address() as { port: number }).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    port: bound,
    vkey,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function runLogWitness(
  options: LogWitnessOptions,
  out: Out = (l) => process.stdout.write(`${l}\n`),
  err: Out = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  let started: StartedWitness;
  try {
    started = await startWitness(options, err);
  } catch (error) {
    return endOnError('log witness', error, err);
  }
  out(`untp-credits log witness listening on ${started.url} (POST /add-checkpoint)`);
  out(`  witness key ${started.vkey}`);
  out('untp-credits log witness ready (Ctrl-C stops)');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await started.close();
  return EXIT_OK;
}
