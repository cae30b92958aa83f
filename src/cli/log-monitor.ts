// `untp-credits log monitor --log URL|DIR --vkey … --state FILE`: one monitoring step over a log
// (the registry's, or a static mirror's). It verifies the checkpoint's signature, proves it
// consistent with the checkpoint verified last time (kept in the state file with the leaf hash of
// every entry verified so far), reads the new entries from the entry bundles (each checked against
// the tree), replays the ledger's rules over them and saves the new state. Exit 1 with a report
// naming the entries when anything fails (the state is then left as it was); equivocation prints
// both signed notes as portable evidence.
import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { checkFollowState, followLog, type FollowReport, type FollowState } from '../log/replay-follow.js';
import { endOnError, exitForCheck } from './exit.js';
import { logSource, logVerifiers } from './log-source.js';
import { progressBar } from './progress.js';

type Out = (line: string) => void;

export interface LogMonitorOptions {
  log: string;
  vkey: string[];
  state?: string;
  /** A checkpoint file to check instead of the one the log serves (e.g. one a witness or a buyer was shown). */
  checkpoint?: string;
  recheck?: boolean;
  json?: boolean;
}

/** The report as text: one line per check, failures naming their entries, evidence in full. */
export function formatFollowReport(verb: string, report: FollowReport): string {
  const lines: string[] = [];
  const size = report.size === undefined ? '?' : String(report.size);
  if (report.ok) {
    lines.push(`✔ ${verb}: ${report.origin} at size ${size}`);
    lines.push(`  ✔ checkpoint signed by the log key`);
    if (report.previousSize > 0) lines.push(`  ✔ consistent with the size ${report.previousSize} verified before`);
    lines.push(`  ✔ ${report.newEntries} new entries read, each hashing to the tree, and replayed: ledger rules hold`);
  } else {
    lines.push(`✘ ${verb}: ${report.origin} at size ${size} (verified before: ${report.previousSize})`);
    for (const f of report.failures) {
      const where = f.index === undefined ? '' : `entry ${f.index}${f.seq === undefined ? '' : ` (seq ${f.seq})`}: `;
      lines.push(`  ✘ ${where}${f.code}: ${f.message}`);
    }
    if (report.equivocation) {
      lines.push('', `Equivocation evidence (${report.equivocation.kind}): both notes are signed by the log key.`);
      report.equivocation.notes.forEach((note, i) => {
        lines.push('', `--- signed note ${i + 1} (size ${report.equivocation!.sizes[i]}) ---`, note.trimEnd());
      });
      if (report.equivocation.proof) lines.push('', `consistency proof served: ${report.equivocation.proof.join(' ')}`);
    }
  }
  return lines.join('\n');
}

/** The report as JSON (without the state's hashes). */
export function followReportJson(report: FollowReport): Record<string, unknown> {
  const { state: _state, ...rest } = report;
  return rest;
}

export async function saveState(path: string, state: FollowState): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, JSON.stringify(state));
  await rename(temporary, path);
}

export async function runLogMonitor(
  options: LogMonitorOptions,
  out: Out = (l) => process.stdout.write(`${l}\n`),
  err: Out = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  try {
    const { origin, verifiers } = logVerifiers(options.vkey);
    const source = logSource(options.log);
    const state =
      options.state && existsSync(options.state)
        ? checkFollowState(JSON.parse(readFileSync(options.state, 'utf8')), origin, verifiers)
        : undefined;
    const note = options.checkpoint ? readFileSync(options.checkpoint, 'utf8') : await source.checkpoint();
    let progress: ReturnType<typeof progressBar> | undefined;
    const report = await followLog({
      origin,
      verifiers,
      note,
      reader: source,
      ...(state ? { state } : {}),
      ...(options.recheck ? { recheck: true } : {}),
      onProgress: (done, total) => {
        progress ??= progressBar(
          total,
          'log monitor',
          process.stderr,
          Boolean(process.stderr.isTTY) && !options.json && total > 256,
        );
        progress.tick(done);
      },
    });
    progress?.done();
    if (report.ok && options.state && report.state) await saveState(options.state, report.state);
    out(options.json ? JSON.stringify(followReportJson(report), null, 2) : formatFollowReport('log monitor', report));
    return exitForCheck(report.ok);
  } catch (error) {
    return endOnError('log monitor', error, err);
  }
}
