import type { Command } from 'commander';
import { isUntpCreditsError } from '../errors.js';
import { createDidResolver, LocalDidStore } from '../keys/resolver.js';
import type { VerificationReport } from '../verify/report.js';
import { VerifyPool } from '../verify/pool.js';
import { verify } from '../verify/verify.js';
import { expandInputs, readJsonInput, UnreadableInputError } from './io.js';

type Out = (line: string) => void;
const stdout: Out = (l) => process.stdout.write(l + '\n');
const stderr: Out = (l) => process.stderr.write(l + '\n');

export interface VerifyCliOptions {
  didDoc?: string[];
  didDir?: string[];
  allowHttps?: boolean;
  json?: boolean;
  requireStatus?: boolean;
  challenge?: string;
  domain?: string;
  now?: string;
  /** Verify on this many worker threads; reports still come out in input order. */
  workers?: string;
}

/** Human-readable report: a head line, one line per step, then warnings (inner credentials indented). */
export function formatVerificationReport(label: string, report: VerificationReport, indent = ''): string {
  const failed = report.steps.find((s) => !s.ok);
  const head = `${indent}${report.verified ? '✔' : '✘'} ${label}  ${report.verified ? 'verified' : `NOT verified (${failed?.name}: ${failed?.code})`}  ${report.kind} ${report.format ?? '(unknown format)'}  ${report.kind === 'presentation' ? 'holder' : 'issuer'} ${report.issuer ?? '(none)'}`;
  const lines = [head];
  for (const step of report.steps) {
    lines.push(`${indent}    ${step.ok ? '✔' : '✘'} ${step.name}${step.code ? ` ${step.code}` : ''}${step.message && !step.ok ? `  ${step.message}` : ''}`);
    if (step.validation && !step.validation.valid) {
      for (const e of step.validation.errors) lines.push(`${indent}        error ${e.code} ${e.path || '/'}  ${e.message}`);
    }
  }
  for (const w of report.warnings) lines.push(`${indent}    warning ${w.code} ${w.path || '/'}  ${w.message}`);
  (report.credentials ?? []).forEach((inner, i) => lines.push(formatVerificationReport(`verifiableCredential[${i}]`, inner, `${indent}    `)));
  return lines.join('\n');
}

/**
 * `untp-credits verify [--did-doc FILE]... [--did-dir DIR]... [--allow-https] [--json] FILE...`:
 * exit 0 all verified, 1 any not verified, 2 usage or unreadable input (the file is named).
 */
export async function runVerify(inputs: string[], options: VerifyCliOptions, out: Out = stdout, err: Out = stderr): Promise<number> {
  const store = new LocalDidStore();
  try {
    store.addFiles(options.didDoc ?? []);
    for (const dir of options.didDir ?? []) store.addDirectory(dir);
  } catch (error) {
    err(`verify: ${isUntpCreditsError(error) ? `${error.code}: ` : ''}${(error as Error).message}`);
    return 2;
  }
  let clock: (() => Date) | undefined;
  if (options.now !== undefined) {
    const time = new Date(options.now);
    if (Number.isNaN(time.getTime())) {
      err(`verify: --now ${options.now} is not a date-time`);
      return 2;
    }
    clock = () => time;
  }
  const files = expandInputs(inputs);
  if (files.length === 0) {
    err(`verify: no files found in ${inputs.join(' ')}`);
    return 2;
  }
  const workers = options.workers === undefined ? 0 : Number(options.workers);
  if (!Number.isInteger(workers) || workers < 0) {
    err(`verify: --workers ${options.workers} is not a whole number`);
    return 2;
  }
  const resolver = createDidResolver({ store, ...(options.allowHttps ? { https: true } : {}) });
  const pool = workers > 0 ? new VerifyPool({
    workers,
    verify: {
      didDocumentFiles: options.didDoc ?? [], didDirectories: options.didDir ?? [], requireStatus: options.requireStatus ?? false,
      ...(options.allowHttps ? { allowHttps: true } : {}), ...(options.now !== undefined ? { now: options.now } : {}),
      ...(options.challenge !== undefined ? { challenge: options.challenge } : {}), ...(options.domain !== undefined ? { domain: options.domain } : {}),
    },
  }) : undefined;
  const verifyOne = (input: unknown): Promise<VerificationReport> => pool ? pool.verifyAll([input]).then((r) => r[0]!) : verify(input, {
    resolver,
    requireStatus: options.requireStatus ?? false,
    ...(clock ? { clock } : {}),
    ...(options.challenge !== undefined ? { challenge: options.challenge } : {}),
    ...(options.domain !== undefined ? { domain: options.domain } : {}),
  });
  let exit = 0;
  const results: Array<{ file: string; report?: VerificationReport; error?: string }> = [];
  // Files are read in order and printed in order; with --workers a bounded window of them is in flight.
  const window: Array<{ file: string; report?: Promise<VerificationReport>; error?: string }> = [];
  const flush = async (keep: number) => {
    while (window.length > keep) {
      const item = window.shift()!;
      if (item.report === undefined) {
        results.push({ file: item.file, error: item.error! });
        if (!options.json) err(`✘ ${item.error!}`);
        continue;
      }
      const report = await item.report;
      if (!report.verified && exit === 0) exit = 1;
      results.push({ file: item.file, report });
      if (!options.json) out(formatVerificationReport(item.file, report));
    }
  };
  try {
    for (const file of files) {
      try {
        window.push({ file, report: verifyOne(readJsonInput(file)) });
      } catch (error) {
        if (!(error instanceof UnreadableInputError)) throw error;
        exit = 2;
        window.push({ file, error: error.message });
      }
      await flush(pool ? pool.size * 8 : 0);
    }
    await flush(0);
  } finally {
    await pool?.close();
  }
  if (options.json) out(JSON.stringify(results, null, 2));
  return exit;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('verify signed credentials and presentations offline (VC-JOSE-COSE or Data Integrity)')
    .argument('<inputs...>', 'files, directories or - for stdin')
    .option('--did-doc <file>', 'a DID document to resolve issuers with (repeatable)', collect, [])
    .option('--did-dir <dir>', 'a directory of DID documents (repeatable)', collect, [])
    .option('--allow-https', 'resolve did:web over HTTPS when no local DID document is given (timeout, size cap, no redirects, public addresses only)')
    .option('--require-status', 'fail when a credentialStatus cannot be checked')
    .option('--challenge <challenge>', 'presentations: the expected challenge (JOSE nonce)')
    .option('--domain <domain>', 'presentations: the expected domain (JOSE aud)')
    .option('--now <datetime>', 'check the validity window at this time instead of now')
    .option('--json', 'print the reports as JSON')
    .option('--workers <n>', 'verify on n worker threads (large batches); reports stay in input order')
    .action(async (inputs: string[], options: VerifyCliOptions) => {
      process.exitCode = await runVerify(inputs, options);
    });
}
