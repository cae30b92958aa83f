import type { Command } from 'commander';
import { UntpCreditsError } from '../errors.js';
import { createDidResolver, LocalDidStore } from '../keys/resolver.js';
import type { VerificationReport } from '../verify/report.js';
import { VerifyPool } from '../verify/pool.js';
import { verify } from '../verify/verify.js';
import { credentialVerdict, verdictLines } from '../verify/verdict.js';
import { expandInputs, readJsonInput, UnreadableInputError } from './io.js';
import { readFileSync } from 'node:fs';
import { isBundle } from '../bundle/format.js';
import { formatBundleReport } from '../bundle/text.js';
import { verifyBundle, type BundleReport } from '../bundle/verify.js';
import { ClaimsBatch, type ClaimFinding } from '../claims/batch.js';
import { formatBatchClaims } from '../claims/text.js';
import { readTrustFile, trustedLogs, type TrustFile } from '../trust/trust-file.js';
import { parseLogEvidence, type LogEvidence } from '../verify/log.js';
import { progressBar } from './progress.js';
import { batchSummary, summaryLine } from './summary.js';
import { endOnError, endWith, EXIT_OK, EXIT_USAGE, exitCodeOf, exitForCheck, worstExit } from './exit.js';

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
  /** Bundles: the trust file pinning keys, roots and anchors. */
  trust?: string;
  /** Bundles: kept for earlier scripts; failing on a key only carried in the bundle is the default now. */
  requireTrust?: boolean;
  /** Bundles: accept keys only carried in the bundle as a loud warning instead of failing (TRUST_NOT_PINNED). */
  allowUntrusted?: boolean;
  /** Fail a credit credential whose inclusion in the registry's log (a log key the trust file pins) is not shown. */
  requireLog?: boolean;
  /** Credentials: a file with the credential's log evidence (a registry record with `log`, or that member). */
  logProof?: string;
  /** Bundles: the oldest status snapshot to use (`3600`, `90m`, `24h`, `7d`; default each list's ttl). */
  maxStatusAge?: string;
  /** Passports: the market they are used in, checked against the claim boundary. */
  market?: string;
  /** Files holding disclosure releases of withheld fields (docs/privacy.md), passed to verify as `disclosures`. */
  disclosure?: string[];
}

/**
 * A disclosure release from a file: the compact JWS as text, a JSON string, or a JSON object with
 * `release` (what `POST /registry/retirements/:id/disclosures` answers). Unreadable: DISCLOSURE_FILE_UNREADABLE.
 */
export function readDisclosureFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new UntpCreditsError('DISCLOSURE_FILE_UNREADABLE', `--disclosure ${file}: ${(error as Error).message}`);
  }
  if (text.startsWith('{') || text.startsWith('"')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      const value = typeof parsed === 'string' ? parsed : (parsed as { release?: unknown }).release;
      if (typeof value === 'string') return value.trim();
    } catch {
      // fall through
    }
    throw new UntpCreditsError(
      'DISCLOSURE_FILE_UNREADABLE',
      `--disclosure ${file}: not a disclosure release (a compact JWS, or JSON with "release")`,
    );
  }
  return text;
}

/**
 * The inputs a file holds: one JSON document (or compact JWS) — or, for stdin, a stream of them,
 * one per line (NDJSON), each labelled `stdin:<line>`.
 */
function readInputs(file: string): Array<{ label: string; input: unknown }> {
  if (file !== '-') return [{ label: file, input: readJsonInput(file) }];
  let text: string;
  try {
    text = readFileSync(0, 'utf8');
  } catch (error) {
    throw new UnreadableInputError('stdin', `cannot read (${(error as Error).message})`);
  }
  const trimmed = text.trim();
  try {
    return [
      {
        label: 'stdin',
        input: /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/.test(trimmed)
          ? trimmed
          : (JSON.parse(text) as unknown),
      },
    ];
  } catch {
    // Not one JSON document: a stream, one document or compact JWS per line.
  }
  return text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), i }))
    .filter(({ line }) => line !== '')
    .map(({ line, i }) => {
      if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/.test(line))
        return { label: `stdin:${i + 1}`, input: line };
      try {
        return { label: `stdin:${i + 1}`, input: JSON.parse(line) as unknown };
      } catch (error) {
        throw new UnreadableInputError(`stdin:${i + 1}`, `not JSON (${(error as Error).message})`);
      }
    });
}

/**
 * A report for people (the one verdict renderer, src/verify/verdict.ts): the headline, the checks,
 * what warns or failed, then the issuer — marked as unverified content when verification failed.
 */
export function formatVerificationReport(label: string, report: VerificationReport, indent = ''): string {
  return verdictLines(label, credentialVerdict(report), indent).join('\n');
}

/**
 * `untp-credits verify [--did-doc FILE]... [--did-dir DIR]... [--allow-https] [--json] FILE...`:
 * exit 0 all verified, 1 any not verified, 2 usage or unreadable input (the file is named). A batch
 * ends with one summary line (`1000 files: 998 verified, 2 failed in 3.2 s`); `--json` prints
 * `{ summary, results }`.
 */
export async function runVerify(
  inputs: string[],
  options: VerifyCliOptions,
  out: Out = stdout,
  err: Out = stderr,
): Promise<number> {
  const store = new LocalDidStore();
  try {
    store.addFiles(options.didDoc ?? []);
    for (const dir of options.didDir ?? []) store.addDirectory(dir);
  } catch (error) {
    return endOnError('verify', error, err);
  }
  let clock: (() => Date) | undefined;
  if (options.now !== undefined) {
    const time = new Date(options.now);
    if (Number.isNaN(time.getTime()))
      return endWith('verify', 'REQUEST_INVALID', `--now ${options.now} is not a date-time`, err);
    clock = () => time;
  }
  const files = expandInputs(inputs);
  if (files.length === 0) return endWith('verify', 'REQUEST_INVALID', `no files found in ${inputs.join(' ')}`, err);
  const workers = options.workers === undefined ? 0 : Number(options.workers);
  if (!Number.isInteger(workers) || workers < 0)
    return endWith('verify', 'POOL_OPTIONS_INVALID', `--workers ${options.workers} is not a whole number`, err);
  let trust: TrustFile | undefined;
  if (options.trust !== undefined) {
    try {
      trust = readTrustFile(options.trust);
    } catch (error) {
      return endOnError('verify', error, err);
    }
  }
  let disclosures: string[] = [];
  try {
    disclosures = (options.disclosure ?? []).map(readDisclosureFile);
  } catch (error) {
    return endOnError('verify', error, err);
  }
  let maxStatusAgeMs: number | undefined;
  if (options.maxStatusAge !== undefined) {
    const match = /^(\d+)(s|m|h|d)?$/.exec(options.maxStatusAge.trim());
    if (!match)
      return endWith(
        'verify',
        'REQUEST_INVALID',
        `--max-status-age ${options.maxStatusAge} is not a duration (3600, 90m, 24h, 7d)`,
        err,
      );
    maxStatusAgeMs =
      Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[(match[2] ?? 's') as 's' | 'm' | 'h' | 'd'] * 1000;
  }
  const logs = trustedLogs(trust);
  let logEvidence: LogEvidence | undefined;
  if (options.logProof !== undefined) {
    try {
      const value = readJsonInput(options.logProof) as Record<string, unknown> | null;
      logEvidence = parseLogEvidence(value !== null && typeof value === 'object' && 'log' in value ? value.log : value);
    } catch (error) {
      return endWith(
        'verify',
        'LOG_EVIDENCE_INVALID',
        `--log-proof ${options.logProof}: ${(error as Error).message}`,
        err,
      );
    }
  }
  const logOptions = {
    ...(logs.length > 0 ? { logs } : {}),
    ...(options.requireLog ? { requireLog: true } : {}),
    ...(logEvidence ? { logEvidence } : {}),
  };
  const resolver = createDidResolver({ store, ...(options.allowHttps ? { https: true } : {}) });
  // Releases are checked in this thread (the pool's options carry none).
  const pool =
    workers > 0 && disclosures.length === 0 && Object.keys(logOptions).length === 0
      ? new VerifyPool({
          workers,
          verify: {
            didDocumentFiles: options.didDoc ?? [],
            didDirectories: options.didDir ?? [],
            requireStatus: options.requireStatus ?? false,
            ...(options.allowHttps ? { allowHttps: true } : {}),
            ...(options.now !== undefined ? { now: options.now } : {}),
            ...(options.challenge !== undefined ? { challenge: options.challenge } : {}),
            ...(options.domain !== undefined ? { domain: options.domain } : {}),
          },
        })
      : undefined;
  const verifyOne = (input: unknown): Promise<VerificationReport> =>
    pool
      ? pool.verifyAll([input]).then((r) => r[0]!)
      : verify(input, {
          resolver,
          requireStatus: options.requireStatus ?? false,
          ...(clock ? { clock } : {}),
          ...(options.challenge !== undefined ? { challenge: options.challenge } : {}),
          ...(options.domain !== undefined ? { domain: options.domain } : {}),
          ...(disclosures.length > 0 ? { disclosures } : {}),
          ...logOptions,
        });
  // Bundles are verified here (never on workers): their trust comes from the verifier's own files.
  const verifyAny = (input: unknown): Promise<VerificationReport | BundleReport> =>
    isBundle(input)
      ? verifyBundle(input, {
          local: store,
          requireTrust: options.requireTrust ?? false,
          allowUntrusted: options.allowUntrusted ?? false,
          requireLog: options.requireLog ?? false,
          ...(maxStatusAgeMs !== undefined ? { maxStatusAgeMs } : {}),
          ...(trust ? { trust } : {}),
          ...(options.allowHttps ? { https: true } : {}),
          ...(clock ? { clock } : {}),
        })
      : verifyOne(input);
  const bound = options.challenge !== undefined || options.domain !== undefined;
  const startedAt = performance.now();
  const batch = new ClaimsBatch();
  const progress = progressBar(
    files.length,
    'verify',
    process.stderr,
    Boolean(process.stderr.isTTY) && !options.json && files.length > 1,
  );
  let seen = 0;
  let exit: number = EXIT_OK;
  const results: Array<{
    file: string;
    report?: VerificationReport | BundleReport;
    error?: string;
    claims?: ClaimFinding[];
  }> = [];
  // Files are read in order and printed in order; with --workers a bounded window of them is in flight.
  const window: Array<{
    file: string;
    input?: unknown;
    report?: Promise<VerificationReport | BundleReport>;
    error?: string;
  }> = [];
  const flush = async (keep: number) => {
    while (window.length > keep) {
      const item = window.shift()!;
      if (item.report === undefined) {
        results.push({ file: item.file, error: item.error! });
        if (!options.json) err(`✘ ${item.error!}`);
        continue;
      }
      const report = await item.report;
      if (!report.verified) exit = worstExit(exit, exitOfReport(report));
      results.push({ file: item.file, report });
      if (report.kind === 'bundle') batch.addBundle(item.file, report);
      else batch.addCredential(item.file, item.input, report);
      progress.clear();
      if (!options.json)
        out(
          report.kind === 'bundle'
            ? formatBundleReport(item.file, report)
            : formatVerificationReport(item.file, report),
        );
      progress.tick(++seen);
    }
  };
  try {
    for (const file of files) {
      try {
        for (const { label, input } of readInputs(file)) {
          if (bound && isBundle(input)) {
            // A bundle binds no challenge or domain: the flags cannot have been checked.
            exit = 2;
            window.push({
              file: label,
              error: `${label}: NOT_A_PRESENTATION: --challenge and --domain apply to presentations; this is a bundle`,
            });
          } else window.push({ file: label, input, report: verifyAny(input) });
        }
      } catch (error) {
        if (!(error instanceof UnreadableInputError)) throw error;
        exit = EXIT_USAGE;
        window.push({ file, error: error.message });
      }
      await flush(pool ? pool.size * 8 : 0);
    }
    await flush(0);
  } finally {
    progress.done();
    await pool?.close();
  }
  // Checks across inputs: the same serials retired twice, passports against the retirements given.
  if (batch.size > 0) {
    const claims = batch.finish(options.market !== undefined ? { market: options.market } : {});
    for (const result of results) {
      const found = claims.bySource.get(result.file);
      if (found) result.claims = found;
    }
    exit = worstExit(exit, exitForCheck(claims.ok));
    if (
      !options.json &&
      (claims.sweep.statements > 1 ||
        claims.passports.findings.length > 0 ||
        claims.passports.totals.length > 0 ||
        !claims.ok)
    )
      out(formatBatchClaims(claims));
  }
  const summary = batchSummary(
    {
      verified: results.filter((r) => r.report?.verified).length,
      failed: results.filter((r) => r.report && !r.report.verified).length,
      unreadable: results.filter((r) => r.error !== undefined).length,
    },
    startedAt,
  );
  if (options.json) out(JSON.stringify({ summary, results }, null, 2));
  else if (results.length > 1)
    out(summaryLine(summary, results.some((r) => r.file.startsWith('stdin:')) ? ['input', 'inputs'] : undefined));
  return exit;
}

/**
 * 1 for a report that did not verify; 2 when it failed because the flags do not apply to the input
 * (--challenge or --domain for a credential: a usage error, NOT_A_PRESENTATION).
 */
function exitOfReport(report: VerificationReport | BundleReport): number {
  const usage = report.steps.some((step) => !step.ok && step.code === 'NOT_A_PRESENTATION');
  return usage ? exitCodeOf(new UntpCreditsError('NOT_A_PRESENTATION', 'not a presentation')) : exitForCheck(false);
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'verify signed credentials, presentations and offline verification bundles; detect double claims and cross-check passports across all inputs',
    )
    .argument('<inputs...>', 'files, directories or - for stdin')
    .option('--did-doc <file>', 'a DID document to resolve issuers with (repeatable)', collect, [])
    .option('--did-dir <dir>', 'a directory of DID documents (repeatable)', collect, [])
    .option(
      '--allow-https',
      'resolve did:web over HTTPS when no local DID document is given (timeout, size cap, no redirects, public addresses only)',
    )
    .option('--require-status', 'fail when a credentialStatus cannot be checked')
    .option(
      '--challenge <challenge>',
      'presentations: the expected challenge (JOSE nonce); a credential given with it fails (NOT_A_PRESENTATION, exit 2)',
    )
    .option(
      '--domain <domain>',
      'presentations: the expected domain (JOSE aud); a credential given with it fails (NOT_A_PRESENTATION, exit 2)',
    )
    .option('--now <datetime>', 'check the validity window at this time instead of now')
    .option('--json', 'print { summary, results } as JSON')
    .option('--workers <n>', 'verify on n worker threads (large batches); reports stay in input order')
    .option(
      '--trust <file>',
      'bundles: a trust file pinning issuer keys / DID-document digests and anchor roots (docs/bundles.md)',
    )
    .option(
      '--require-trust',
      'bundles: fail when a key is only carried in the bundle, not pinned or anchored (the default now; kept for scripts)',
    )
    .option(
      '--allow-untrusted',
      'bundles: accept keys only carried in the bundle (no --trust, --did-dir or --did-doc pins them) as a loud warning, never ✔',
    )
    .option(
      '--require-log',
      "fail a credit credential whose inclusion in the registry's transparency log is not shown (needs a trust file naming the log key)",
    )
    .option(
      '--max-status-age <duration>',
      "bundles: refuse a status snapshot older than this (3600, 90m, 24h, 7d; default: the list's ttl) — STATUS_SNAPSHOT_STALE",
    )
    .option(
      '--log-proof <file>',
      "credentials: the credential's log evidence (the registry record's JSON with log: { index, treeSize, proof, checkpoint, entry })",
    )
    .option(
      '--disclosure <file>',
      'a disclosure release of a withheld field (compact JWS, or the JSON the registry answers), passed to verify (repeatable)',
      collect,
      [],
    )
    .option('--market <code>', 'passports: the market they are used in (ISO 3166), checked against each claim boundary')
    .addHelpText(
      'after',
      `
Bundles, many statements and passports:
  untp-credits trust add --registry https://registry.example --trust trust.json   # issuer keys and the log key
  untp-credits verify RET-2026-0007.bundle.json --trust trust.json --require-log
  untp-credits verify bundles/ passports/ --trust trust.json     # double claims across all, passports cross-checked
  cat statements.ndjson | untp-credits verify - --json           # a stream: one credential or bundle per line
Exit: 0 all verified and no cross-input finding, 1 something failed (including DOUBLE_CLAIM, DPP_*), 2 usage or unreadable input.`,
    )
    .action(async (inputs: string[], options: VerifyCliOptions) => {
      process.exitCode = await runVerify(inputs, options);
    });
}
