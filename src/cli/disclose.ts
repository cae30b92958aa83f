import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { jwsOf, jwsPayload } from '../lib/digest.js';
import type { RetirementInput } from '../credits/types.js';
import { commitBeneficiary, WITHHELD_BENEFICIARY_POINTER } from '../credits/beneficiary.js';
import { checkFieldDisclosure } from '../disclosure/commitment.js';
import { fieldNameOf, releaseDisclosure } from '../disclosure/release.js';
import { valueAt } from '../lib/json-pointer.js';
import { signerFromKeyFile } from '../keys/key-file.js';
import { endOnError, endWith, EXIT_OK } from './exit.js';

type Out = (line: string) => void;
const stdout: Out = (l) => process.stdout.write(l + '\n');
const stderr: Out = (l) => process.stderr.write(l + '\n');

function readText(source: string): string {
  return readFileSync(source === '-' ? 0 : source, 'utf8');
}

/** A disclosure given inline or as a file holding it (or holding `{ disclosure }` JSON). */
function disclosureOf(value: string): string {
  if (!existsSync(value)) return value.trim();
  const text = readText(value).trim();
  if (text.startsWith('{')) return String((JSON.parse(text) as { disclosure?: unknown }).disclosure ?? '');
  return text;
}

// A refusal (DISCLOSURE_NOT_DUE, DISCLOSURE_MISMATCH, …) exits 1, input that cannot be read 2: the catalogue says which.
const fail = (verb: string, error: unknown, err: Out): number => endOnError(`disclose ${verb}`, error, err);

/**
 * `untp-credits disclose commit BENEFICIARY.json --date D`: prints `{ withheldBeneficiary, disclosure }`.
 * Put `withheldBeneficiary` in the retirement request; keep `disclosure` private until D.
 */
export function runDiscloseCommit(
  file: string,
  options: { date: string },
  out: Out = stdout,
  err: Out = stderr,
): number {
  try {
    const beneficiary = JSON.parse(readText(file)) as NonNullable<RetirementInput['beneficiary']>;
    const { commitment, disclosure } = commitBeneficiary(beneficiary, options.date);
    out(JSON.stringify({ withheldBeneficiary: commitment, disclosure: disclosure.disclosure }, null, 2));
    return EXIT_OK;
  } catch (error) {
    return fail('commit', error, err);
  }
}

/**
 * `untp-credits disclose release CREDENTIAL --disclosure D --key K [--now ISO] [--early]`: the
 * registry signs a disclosure release (refused before the disclosure date: exit 1).
 */
export async function runDiscloseRelease(
  file: string,
  options: { disclosure: string; key: string; now?: string; early?: boolean; commitment?: string },
  out: Out = stdout,
  err: Out = stderr,
): Promise<number> {
  try {
    const now = options.now === undefined ? new Date() : new Date(options.now);
    if (Number.isNaN(now.getTime()))
      return endWith('disclose release', 'REQUEST_INVALID', '--now must be an ISO date-time', err);
    const release = await releaseDisclosure(
      {
        credentialJws: jwsOf(readText(file)),
        disclosure: disclosureOf(options.disclosure),
        now,
        ...(options.commitment ? { commitment: options.commitment } : {}),
        ...(options.early ? { early: true } : {}),
      },
      signerFromKeyFile(options.key, 'jose'),
    );
    out(release);
    return EXIT_OK;
  } catch (error) {
    return fail('release', error, err);
  }
}

/**
 * `untp-credits disclose check CREDENTIAL --disclosure D`: checks a disclosure (salt and value) against
 * the credential's commitment, offline and without signatures (use `verify` for the signed release).
 * Exit 0 and the value on a match, 1 on a mismatch.
 */
export function runDiscloseCheck(
  file: string,
  options: { disclosure: string; commitment?: string },
  out: Out = stdout,
  err: Out = stderr,
): number {
  try {
    const pointer = options.commitment ?? WITHHELD_BENEFICIARY_POINTER;
    const credential = jwsPayload(jwsOf(readText(file)));
    const opened = checkFieldDisclosure(
      valueAt(credential, pointer),
      disclosureOf(options.disclosure),
      fieldNameOf(pointer),
    );
    out(`✔ the disclosure opens ${pointer}`);
    out(JSON.stringify(opened.value, null, 2));
    return EXIT_OK;
  } catch (error) {
    return fail('check', error, err);
  }
}

export function registerDisclose(program: Command): void {
  const disclose = program
    .command('disclose')
    .description(
      'withheld fields: commit to a beneficiary, release it (registry), check a disclosure (docs/privacy.md)',
    );
  disclose
    .command('commit')
    .description(
      'commit to a beneficiary (JSON) to be disclosed from a date; prints the commitment and the disclosure to keep',
    )
    .argument('<beneficiary>', 'the beneficiary JSON { id, name, jurisdiction, onBehalfOf, … }, or - for stdin')
    .requiredOption('--date <date>', 'the disclosure date (YYYY-MM-DD)')
    .action((file: string, options: { date: string }) => {
      process.exitCode = runDiscloseCommit(file, options);
    });
  disclose
    .command('release')
    .description('sign a disclosure release for a credential this key issued (refused before the disclosure date)')
    .argument('<credential>', 'the signed credential (compact JWS or enveloped JSON)')
    .requiredOption('--disclosure <disclosure>', 'the kept disclosure string, or a file holding it')
    .requiredOption('--key <file>', "the registry's private JWK file")
    .option('--commitment <pointer>', 'JSON pointer of the commitment', WITHHELD_BENEFICIARY_POINTER)
    .option('--now <date-time>', 'the release time (default: now)')
    .option('--early', 'release before the date (the beneficiary agreed)')
    .action(
      async (
        file: string,
        options: { disclosure: string; key: string; now?: string; early?: boolean; commitment?: string },
      ) => {
        process.exitCode = await runDiscloseRelease(file, options);
      },
    );
  disclose
    .command('check')
    .description("check a disclosure against the credential's commitment (offline, no signatures)")
    .argument('<credential>', 'the signed credential (compact JWS or enveloped JSON)')
    .requiredOption('--disclosure <disclosure>', 'the disclosure string, or a file holding it')
    .option('--commitment <pointer>', 'JSON pointer of the commitment', WITHHELD_BENEFICIARY_POINTER)
    .action((file: string, options: { disclosure: string; commitment?: string }) => {
      process.exitCode = runDiscloseCheck(file, options);
    });
}
