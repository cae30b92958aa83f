import type { Command } from 'commander';
import type { Issue, ValidationReport } from '../validate/report.js';
import { validate } from '../validate/validate.js';
import { expandInputs, readJsonInput, UnreadableInputError } from './io.js';
import { batchSummary, summaryLine } from './summary.js';

import { endWith, EXIT_OK, EXIT_USAGE, worstExit, exitForCheck } from './exit.js';

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

/**
 * `untp-credits validate <file|dir|->...`: exit 0 all valid, 1 any invalid, 2 usage or unreadable input.
 * Several files end with one summary line (`3 files: 2 valid, 1 invalid in 0.4 s`); `--json` prints
 * `{ summary, results }`.
 */
export async function runValidate(
  inputs: string[],
  options: { json?: boolean; strict?: boolean },
  out: (line: string) => void = (l) => process.stdout.write(l + '\n'),
  err: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): Promise<number> {
  const files = expandInputs(inputs);
  if (files.length === 0)
    return endWith('validate', 'REQUEST_INVALID', `no JSON files found in ${inputs.join(' ')}`, err);
  const startedAt = performance.now();
  let exit: number = EXIT_OK;
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
    exit = worstExit(exit, exitForCheck(report.valid));
    results.push({ file, report });
    if (!options.json) out(formatReport(file, report));
  }
  const summary = batchSummary(
    {
      valid: results.filter((r) => r.report?.valid).length,
      invalid: results.filter((r) => r.report && !r.report.valid).length,
      unreadable: results.filter((r) => r.error !== undefined).length,
    },
    startedAt,
  );
  if (options.json) out(JSON.stringify({ summary, results }, null, 2));
  else if (results.length > 1) out(summaryLine(summary));
  return exit;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('validate credentials offline: VCDM 2.0, W3C and UNTP schemas, extension schemas, JSON-LD safe mode')
    .argument('<inputs...>', 'files, directories or - for stdin')
    .option('--json', 'print { summary, results } as JSON')
    .option('--strict', 'treat terms caught only by a @vocab as errors')
    .action(async (inputs: string[], options: { json?: boolean; strict?: boolean }) => {
      process.exitCode = await runValidate(inputs, options);
    });
}
