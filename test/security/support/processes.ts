import { spawn, type ChildProcess } from 'node:child_process';
import { bundleTsEntry } from '../../support/bundle-worker.js';

/** Bundles the fault worker (as test/registry/support/bundle.ts does for the ledger's worker). */
export function bundleFaultWorker(): Promise<string> {
  return bundleTsEntry(new URL('./fault-worker.ts', import.meta.url), 'fault-worker');
}

export interface Worker {
  child: ChildProcess;
  /** Complete lines only: a line cut by a kill is not an acknowledgement. */
  lines: string[];
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor(predicate: (lines: string[]) => boolean, timeoutMs: number): Promise<void>;
}

export function startWorker(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Worker {
  const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const lines: string[] = [];
  let buffer = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => {
    for (const wake of waiters.splice(0)) wake();
    resolve({ code, signal });
  }));
  return {
    child, lines, exited,
    stderr: () => stderr,
    async waitFor(predicate, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(lines)) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`worker exited early (${child.exitCode ?? child.signalCode}): ${stderr}`);
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`worker timed out; stderr: ${stderr}`);
        }
        await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 250); });
      }
    },
  };
}

export interface Outcome { acked: Map<string, { seq: number; kind: string; retired: Array<{ start: number; end: number }> }>; refused: Map<string, string>; started: Set<string> }

export function outcomeOf(lines: readonly string[]): Outcome {
  const acked = new Map<string, { seq: number; kind: string; retired: Array<{ start: number; end: number }> }>();
  const refused = new Map<string, string>();
  const started = new Set<string>();
  for (const line of lines) {
    const ack = /^ACK (\S+) (.*)$/.exec(line);
    if (ack) acked.set(ack[1]!, JSON.parse(ack[2]!) as { seq: number; kind: string; retired: Array<{ start: number; end: number }> });
    const ref = /^REFUSED (\S+) (\S+)$/.exec(line);
    if (ref) refused.set(ref[1]!, ref[2]!);
    const start = /^START (\S+)$/.exec(line);
    if (start) started.add(start[1]!);
  }
  return { acked, refused, started };
}
