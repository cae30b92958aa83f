// A registry process for the fault tests, run as a child process (bundled by bundleFaultWorker).
// Prints `START <key>` before each command and `ACK <key> <json>` / `REFUSED <key> <code>` after.
import { runServe } from '../../../src/cli/serve.js';
import { openDatabase } from '../../../src/registry/db.js';
import { openServerDatabase } from '../../../src/server/bootstrap.js';
import { openLedger } from '../../../src/server/ledger.js';
import { startServer } from '../../../src/server/start.js';
import { Registry } from '../../../src/registry/registry.js';
import { BASE_URL, ISSUER, testBuilders, testSecurer } from '../../registry/support/registry.js';
import { commandOf, run } from './fault-load.js';

const [mode, targetArg, schema, tag = 'f', lanesText = '6'] = process.argv.slice(2);
// The data directory or database URL: every test that starts this worker gives it.
if (targetArg === undefined) throw new Error('usage: worker MODE TARGET [SCHEMA]');
const target = targetArg;
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function load(registry: Registry, lanes: number, maxPerLane: number): Promise<void> {
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let i = 0; i < maxPerLane; i++) {
        const command = commandOf(tag, lane, i);
        out(`START ${command.key}`);
        try {
          out(`ACK ${command.key} ${JSON.stringify(await run(registry, command))}`);
        } catch (error) {
          out(`REFUSED ${command.key} ${(error as { code?: string }).code ?? 'UNKNOWN'}`);
        }
      }
    }),
  );
}

async function main(): Promise<void> {
  if (mode === 'pg-load') {
    const db = await openDatabase({ url: target, ...(schema ? { schema } : {}), poolSize: 8 });
    const registry = await Registry.open({
      db,
      baseUrl: BASE_URL,
      issuer: ISSUER,
      secure: testSecurer(),
      builders: testBuilders,
    });
    out('READY');
    await load(registry, Number(lanesText), 10_000); // killed long before the end
    return;
  }
  if (mode === 'serve-pg') {
    // The server as `untp-credits serve` builds it (same database opener, ledger and factory), on a
    // PostgreSQL schema of its own. Killed with SIGKILL by the test.
    const db = await openServerDatabase({ url: target, ...(schema ? { schema } : {}) });
    // A short idempotency lease (default 15 s) so retries after the kill settle quickly.
    const started = await startServer({
      db,
      port: 0,
      host: '127.0.0.1',
      publicUrl: 'https://registry.example.test',
      ...(process.env.UNTP_CREDITS_ADMIN_KEY ? { adminKey: process.env.UNTP_CREDITS_ADMIN_KEY } : {}),
      idempotencyLeaseMs: 3000,
      services: (identity) => openLedger(db, identity),
    });
    out(`LISTENING ${started.port}`);
    return;
  }
  if (mode === 'serve-pglite') {
    // `untp-credits serve` itself (runServe) on a PGlite data directory; stops on SIGTERM.
    const code = await runServe(
      { dataDir: target, port: '0', host: '127.0.0.1', publicUrl: 'https://registry.example.test' },
      process.env,
      (line) => {
        const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line)?.[1];
        if (port) out(`LISTENING ${port}`);
      },
    );
    out(`EXIT ${code}`);
    process.exit(code);
  }
  throw new Error(`unknown mode ${String(mode)}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`fault worker failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(3);
});
