import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A child process the crash and lock tests drive through its stdout lines (a bundled worker run
 * with plain Node; see bundle-worker.ts).
 */
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
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      for (const wake of waiters.splice(0)) wake();
      resolve({ code, signal });
    }),
  );
  return {
    child,
    lines,
    exited,
    stderr: () => stderr,
    async waitFor(predicate, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(lines)) {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`worker exited early (${child.exitCode ?? child.signalCode}): ${stderr}`);
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`worker timed out; stderr: ${stderr}`);
        }
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 250);
        });
      }
    },
  };
}
