import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/registry/db.js';
import { openTestDatabase } from '../support/database.js';
import { startServer } from '../../src/server/start.js';
import { ROOT } from '../helpers.js';
import { freePort, spawnCollecting } from '../support/child.js';

const MAIN = join(ROOT, 'dist/cli/main.js');
const dirs: string[] = [];
function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'untp-credits-startup-'));
  dirs.push(dir);
  return join(dir, 'registry');
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

type Probe = { outcome: 'refused' } | { outcome: 'answered'; status: number; retryAfter?: string; ms: number };

/** One raw connection: GET /healthz, the status line (and Retry-After) of the answer, or 'refused'. */
function probe(port: number, timeoutMs: number): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let connected = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`a connection accepted during start-up got no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', () => {
      connected = true;
      socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const head = /^HTTP\/1\.1 (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n/.exec(text);
      if (!head) return;
      clearTimeout(timer);
      socket.destroy();
      const retryAfter = /^retry-after: *(\S+)/im.exec(head[2] as string)?.[1];
      resolve({
        outcome: 'answered',
        status: Number(head[1]),
        ...(retryAfter ? { retryAfter } : {}),
        ms: Date.now() - started,
      });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (!connected && error.code === 'ECONNREFUSED') resolve({ outcome: 'refused' });
      else reject(error);
    });
  });
}

function run(args: string[]) {
  return spawnCollecting(process.execPath, [MAIN, 'serve', ...args], {
    env: { ...process.env, DATABASE_URL: '', UNTP_CREDITS_ADMIN_KEY: '', PORT: '' },
  });
}

describe.skipIf(!existsSync(MAIN))('serve start-up (built CLI; run npm run build first)', () => {
  it('answers every connection it accepts while starting (503 + Retry-After, then 200), prints one ready line, stops with a message', async () => {
    const port = await freePort();
    const dataDir = tmp();
    const server = run(['--demo', '--port', String(port), '--data-dir', dataDir]);
    const probes: Promise<Probe>[] = [];
    try {
      // Many overlapping connections, 25 ms apart, from before the port opens until well after ready.
      let readyAt: number | undefined;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && server.child.exitCode === null) {
        probes.push(probe(port, 5_000));
        if (readyAt === undefined && /ready/.test(server.output())) readyAt = Date.now();
        if (readyAt !== undefined && Date.now() - readyAt > 500) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(server.output(), server.output()).toMatch(/ready/);
      const results = await Promise.all(probes);
      const answered = results.filter((r) => r.outcome === 'answered');
      const starting = answered.filter((r) => r.status === 503);
      // The run crossed the start-up window: answers while preparing, then the real health check.
      expect(starting.length, JSON.stringify(results.slice(0, 5))).toBeGreaterThan(0);
      expect(starting.every((r) => r.retryAfter === '2')).toBe(true);
      expect(answered.filter((r) => r.status === 200).length).toBeGreaterThan(0);
      expect(answered.every((r) => r.status === 200 || r.status === 503)).toBe(true);
      expect(Math.max(...answered.map((r) => r.ms))).toBeLessThan(5_000);
      expect(server.output().match(/ready/g)).toHaveLength(1);
      expect(server.output()).toContain(`listening on http://127.0.0.1:${port};`);
    } finally {
      server.child.kill('SIGINT');
    }
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/stopping \(SIGINT\)[\s\S]*stopped\n$/);
  }, 90_000);

  it('names the port in use and what to do (EADDRINUSE)', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    // Reported before the database is touched.
    const untouched = () => Promise.reject(new Error('the database was used before the port was bound'));
    const db = { query: untouched, exec: untouched, transaction: untouched, close: untouched } as unknown as Database;
    try {
      await expect(startServer({ db, demo: true, port, host: '127.0.0.1' })).rejects.toMatchObject({
        code: 'PORT_IN_USE',
        message: expect.stringMatching(
          new RegExp(`^port ${port} on 127.0.0.1 is already in use .*--port N or PORT=N$`),
        ),
      });
    } finally {
      holder.close();
    }
  });

  it('shows the address it is bound to, not localhost, when bound to all interfaces', async () => {
    const db = await openTestDatabase();
    const started = await startServer({ db, port: 0, host: '0.0.0.0', publicUrl: 'https://registry.example.test' });
    try {
      expect(started.listenUrl).toBe(`http://0.0.0.0:${started.port}`);
      expect(started.url).toBe(`http://localhost:${started.port}`);
    } finally {
      await started.close();
      await db.close();
    }
  });
});
