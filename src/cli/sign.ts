import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { isUntpCreditsError } from '../errors.js';
import { CredentialInvalidError, issue, type IssueFormat } from '../issue.js';
import { signerFromKeyFile } from '../keys/key-file.js';
import { SECURING_FORMATS } from '../lib/envelope.js';
import { readJsonInput, UnreadableInputError } from './io.js';
import { endOnError, endWith, EXIT_OK, exitCodeOf } from './exit.js';

type Out = (line: string) => void;
const stdout: Out = (l) => process.stdout.write(l + '\n');
const stderr: Out = (l) => process.stderr.write(l + '\n');

/**
 * `untp-credits sign --key K --format F [--out OUT] FILE`: validates FILE and secures it with the key
 * file K; prints (or writes) the signed credential. Exit 0 signed, 1 the credential is invalid
 * (errors listed), 2 usage, unreadable input or key.
 */
const SIGN_FORMATS: readonly IssueFormat[] = [...SECURING_FORMATS, 'sd-jwt'];

export async function runSign(
  file: string,
  options: { key: string; format: string; out?: string; disclosable?: string[] },
  out: Out = stdout,
  err: Out = stderr,
): Promise<number> {
  if (!SIGN_FORMATS.includes(options.format as IssueFormat))
    return endWith('sign', 'FORMAT_UNSUPPORTED', `--format must be one of ${SIGN_FORMATS.join(', ')}`, err);
  if ((options.disclosable ?? []).length > 0 && options.format !== 'sd-jwt')
    return endWith('sign', 'REQUEST_INVALID', '--disclosable is for --format sd-jwt', err);
  const format = options.format as IssueFormat;
  let credential: unknown;
  try {
    credential = readJsonInput(file);
  } catch (error) {
    if (error instanceof UnreadableInputError) return endOnError('sign', error, err);
    throw error;
  }
  try {
    const signer = signerFromKeyFile(options.key, format === 'jose' || format === 'sd-jwt' ? 'jose' : 'data-integrity');
    const signed = await issue(credential, {
      format,
      signer,
      ...(format === 'sd-jwt' ? { disclosable: options.disclosable ?? [] } : {}),
    });
    const text = JSON.stringify(signed, null, 2);
    if (options.out) writeFileSync(options.out, `${text}\n`);
    else out(text);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CredentialInvalidError) {
      err(`sign: ${file}: refused, the credential is not valid:`);
      for (const issue of error.report.errors) err(`    error ${issue.code} ${issue.path || '/'}  ${issue.message}`);
      return exitCodeOf(error);
    }
    if (isUntpCreditsError(error)) return endOnError(`sign: ${file}`, error, err);
    throw error;
  }
}

export function registerSign(program: Command): void {
  program
    .command('sign')
    .description('validate a credential, then secure it (VC-JOSE-COSE envelope, SD-JWT or Data Integrity proof)')
    .argument('<file>', 'the unsigned credential (JSON), or - for stdin')
    .requiredOption('--key <file>', 'private JWK file written by `keys generate`')
    .requiredOption('--format <format>', SIGN_FORMATS.join(' | '))
    .option(
      '--disclosable <pointer>',
      'sd-jwt: a JSON pointer the holder may choose to disclose (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--out <file>', 'write the signed credential here instead of stdout')
    .action(async (file: string, options: { key: string; format: string; out?: string; disclosable?: string[] }) => {
      process.exitCode = await runSign(file, options);
    });
}
