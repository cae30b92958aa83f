import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { checkDigest, digestMultibase, jwsOf } from '../lib/digest.js';
import { isUntpCreditsError } from '../errors.js';
import { endOnError, EXIT_OK, exitForCheck } from './exit.js';

/**
 * `untp-credits digest FILE [--check DIGEST]`: prints the digestMultibase of the compact JWS in
 * FILE (a bare JWS, or an enveloped credential whose id is data:application/vc+jwt,<JWS>).
 * With --check: exit 0 when DIGEST (z… or u…) matches, 1 when it does not, 2 on unreadable input
 * or a malformed digest. With --bytes: the digest of the file's exact bytes (a confidential document
 * — offtake terms, price schedule, audit report — cited by digest in a public credential).
 */
export function runDigest(
  file: string,
  options: { check?: string; bytes?: boolean },
  out: (line: string) => void = (l) => process.stdout.write(l + '\n'),
  err: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): number {
  let text: string;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file === '-' ? 0 : file));
    text = new TextDecoder().decode(bytes);
  } catch (error) {
    // Not an UntpCreditsError: exit 2, the input could not be read.
    return endOnError(
      'digest',
      new Error(
        `${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      ),
      err,
    );
  }
  try {
    const jws = options.bytes ? bytes : jwsOf(text);
    const digest = digestMultibase(jws);
    if (options.check === undefined) {
      out(digest);
      return EXIT_OK;
    }
    const matches = checkDigest(jws, options.check);
    out(
      matches
        ? `✔ ${file} matches ${options.check}`
        : `✘ ${file} does not match ${options.check} (its digest is ${digest})`,
    );
    return exitForCheck(matches);
  } catch (error) {
    if (!isUntpCreditsError(error)) throw error;
    return endOnError(`digest: ${file}`, error, err);
  }
}

export function registerDigest(program: Command): void {
  program
    .command('digest')
    .description("digestMultibase (sha2-256, base58btc) of a signed credential's compact JWS bytes, or check one")
    .argument('<file>', 'a compact JWS, an enveloped credential JSON, or - for stdin')
    .option('--check <digest>', 'exit 0 when the file matches this digest (z… or u…), 1 when not')
    .option('--bytes', "digest the file's exact bytes (a confidential document cited by digest), not a JWS inside it")
    .action((file: string, options: { check?: string; bytes?: boolean }) => {
      process.exitCode = runDigest(file, options);
    });
}
