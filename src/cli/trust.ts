import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UntpCreditsError } from '../errors.js';
import type { DidDocument } from '../keys/types.js';
import { guardedFetch } from '../net/guarded-fetch.js';
import { pinRegistry } from '../trust/pin-registry.js';
import { readTrustFile } from '../trust/trust-file.js';
import { endOnError, endWith, EXIT_OK } from './exit.js';
import { readJsonInput } from './io.js';

type Out = (line: string) => void;

export interface TrustAddOptions {
  registry?: string;
  didDoc?: string;
  trust?: string;
  witness?: string[];
  witnessThreshold?: string;
  logOrigin?: string;
  name?: string;
  json?: boolean;
}

/** GET a registry URL (HTTPS, or plain HTTP to a loopback registry a person typed). */
async function get(url: string, accept: string): Promise<string> {
  const response = await guardedFetch(url, { accept, allowLoopbackHttp: true, timeoutMs: 30_000 });
  return new TextDecoder().decode(response.body);
}

/**
 * `untp-credits trust add --registry URL | --did-doc FILE [--trust FILE] [--witness VKEY]...
 * [--witness-threshold k]`: writes or extends a trust file (default trust.json) with the registry's
 * issuer keys (its DID document's assertionMethod keys), its log key (GET /registry/log/vkey, or
 * the DID document's `#log-…` key) and witness keys with the threshold k. Exit 0 written, 2 could
 * not run.
 */
export async function runTrustAdd(
  options: TrustAddOptions,
  out: Out = (l) => process.stdout.write(`${l}\n`),
  err: Out = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  if ((options.registry === undefined) === (options.didDoc === undefined))
    return endWith('trust add', 'REQUEST_INVALID', 'give exactly one of --registry URL or --did-doc FILE', err);
  const file = options.trust ?? 'trust.json';
  let threshold: number | undefined;
  if (options.witnessThreshold !== undefined) {
    threshold = Number(options.witnessThreshold);
    if (!Number.isSafeInteger(threshold) || threshold < 0)
      return endWith(
        'trust add',
        'REQUEST_INVALID',
        `--witness-threshold ${options.witnessThreshold} is not a whole number`,
        err,
      );
  }
  try {
    const existing = existsSync(file) ? readTrustFile(file) : undefined;
    let didDocument: DidDocument;
    let logVkey: string | undefined;
    if (options.registry !== undefined) {
      let base: URL;
      try {
        base = new URL(options.registry);
      } catch {
        throw new UntpCreditsError('REGISTRY_URL_INVALID', `--registry ${options.registry} is not a URL`);
      }
      const root = base.href.replace(/\/+$/, '');
      try {
        didDocument = JSON.parse(
          await get(`${root}/.well-known/did.json`, 'application/did+json, application/json'),
        ) as DidDocument;
      } catch (error) {
        if (error instanceof SyntaxError)
          throw new UntpCreditsError('DID_DOCUMENT_INVALID', `${root}/.well-known/did.json is not JSON`);
        throw error;
      }
      try {
        logVkey = (await get(`${root}/registry/log/vkey`, 'text/plain')).trim();
      } catch (error) {
        // A registry without a log answers 404: its keys are still pinned, without a log key.
        if (!(error instanceof UntpCreditsError) || error.code !== 'FETCH_FAILED') throw error;
        err(`trust add: ⚠ ${root}/registry/log/vkey: ${error.message} — no log key pinned`);
      }
    } else {
      didDocument = readJsonInput(options.didDoc as string) as DidDocument;
    }
    const trust = await pinRegistry(existing, {
      didDocument,
      ...(logVkey ? { logVkey } : {}),
      ...(options.logOrigin ? { logOrigin: options.logOrigin } : {}),
      ...(options.witness && options.witness.length > 0 ? { witnesses: options.witness } : {}),
      ...(threshold !== undefined ? { witnessThreshold: threshold } : {}),
      ...(options.name ? { name: options.name } : {}),
    });
    writeFileSync(file, `${JSON.stringify(trust, null, 2)}\n`);
    const pinned = trust.issuers.find((p) => p.did === didDocument.id);
    const summary = {
      file,
      did: didDocument.id,
      keys: pinned?.keys ?? [],
      logKeys: pinned?.log?.keys ?? [],
      witnesses: pinned?.log?.witnesses ?? [],
      witnessThreshold: pinned?.log?.witnessThreshold ?? 0,
    };
    out(
      options.json
        ? JSON.stringify(summary, null, 2)
        : `✔ ${existing ? 'updated' : 'wrote'} ${file}: ${summary.did} — ${summary.keys.length} issuer key(s), ${summary.logKeys.length > 0 ? `log key ${summary.logKeys.join(', ')}` : 'no log key'}, ${summary.witnesses.length} witness(es), threshold ${summary.witnessThreshold}`,
    );
    return EXIT_OK;
  } catch (error) {
    return endOnError('trust add', error, err);
  }
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerTrust(program: Command): void {
  const trust = program.command('trust').description('write and extend trust files (docs/bundles.md)');
  trust
    .command('add')
    .description('pin a registry in a trust file: its issuer keys, its log key and the witnesses you rely on')
    .option('--registry <url>', "the registry's URL: reads /.well-known/did.json and /registry/log/vkey")
    .option('--did-doc <file>', "the registry's DID document (the log key from its #log-… verification method)")
    .option('--trust <file>', 'the trust file to write or extend (default trust.json)')
    .option('--witness <vkey>', 'a witness verifier key (C2SP cosigner, type 0x04) (repeatable)', collect, [])
    .option('--witness-threshold <k>', 'how many of the witnesses must have cosigned (default 1 with witnesses)')
    .option('--log-origin <origin>', "with --did-doc: the log's origin when it is not <host>/registry/log")
    .option('--name <name>', 'a name for the registry in the trust file')
    .option('--json', 'print what was pinned as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  untp-credits trust add --registry https://registry.example --trust trust.json\n  untp-credits trust add --did-doc registry.did.json --witness witness.example+1a2b3c4d+BA… --witness-threshold 1\nExit: 0 written, 2 could not run.',
    )
    .action(async (options: TrustAddOptions) => {
      process.exitCode = await runTrustAdd(options);
    });
}
