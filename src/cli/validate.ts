import type { Command } from 'commander';
import type { Issue, ValidationReport } from '../validate/report.js';
import { validate } from '../validate/validate.js';
import { expandInputs, readJsonInput, UnreadableInputError } from './io.js';

export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

function formatIssue(mark: string, issue: Issue): string {
  return `    ${mark} ${issue.code} ${issue.path || '/'}  ${issue.message}`;
}

/** One line per file, then its errors and warnings, each with its pointer. */
export function formatReport(file: string, report: ValidationReport): string {
  const head = [
    report.valid ? '✔' : '✘',
    file,
    report.credentialType ?? '(no type)',
    report.untpVersion ? `UNTP ${report.untpVersion}` : '',
  ]
    .filter(Boolean)
    .join('  ');
  return [
    head,
    ...report.errors.map((e) => formatIssue('error', e)),
    ...report.warnings.map((w) => formatIssue('warning', w)),
  ].join('\n');
}

/** `untp-credits validate <file|dir|->...`: exit 0 all valid, 1 any invalid, 2 usage or unreadable input. */
export async function runValidate(
  inputs: string[],
  options: { json?: boolean; strict?: boolean },
  out: (line: string) => void = (l) => process.stdout.write(l + '\n'),
  err: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): Promise<number> {
  const files = expandInputs(inputs);
  if (files.length === 0) {
    err('validate: no JSON files found in ' + inputs.join(' '));
    return EXIT_USAGE;
  }
  let exit = EXIT_OK;
  const results: Array<{ file: string; report?: ValidationReport; error?: string }> = [];
  for (const file of files) {
    let input: unknown;
    try {
      input = readJsonInput(file);
    } catch (error) {
      if (!(error instanceof UnreadableInputError)) throw error;
      exit = EXIT_USAGE;
      results.push({ file, error: error.message });
      if (!options.json) err(`✘  ${error.message}`);
      continue;
    }
    const report = await validate(input, { strict: options.strict ?? false });
    if (!report.valid && exit === EXIT_OK) exit = EXIT_INVALID;
    results.push({ file, report });
    if (!options.json) out(formatReport(file, report));
  }
  if (options.json) out(JSON.stringify(results, null, 2));
  return exit;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('validate credentials offline: VCDM 2.0, W3C and UNTP schemas, extension schemas, JSON-LD safe mode')
    .argument('<inputs...>', 'files, directories or - for stdin')
    .option('--json', 'print the reports as JSON')
    .option('--strict', 'treat terms caught only by a @vocab as errors')
    .action(async (inputs: string[], options: { json?: boolean; strict?: boolean }) => {
      process.exitCode = await runValidate(inputs, options);
    });
}
