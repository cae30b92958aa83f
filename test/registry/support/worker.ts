// A registry process for the crash and lock tests, run as a child process (bundled by bundleWorker).
import { closeOnSignals } from '../../../src/cli/signals.js';
import { openDatabase } from '../../../src/registry/db.js';
import { Registry } from '../../../src/registry/registry.js';
import { BASE_URL, ISSUER, testBuilders, testSecurer } from './registry.js';

const [mode, targetArg, schema] = process.argv.slice(2);
// The data directory or database URL: every test that starts this worker gives it.
if (targetArg === undefined) throw new Error('usage: worker MODE TARGET [SCHEMA]');
const target = targetArg;

async function main(): Promise<void> {
  if (mode === 'pg-ops') {
    // A long run of operations on PostgreSQL; every acknowledged one is printed as `ACK <key> <json>`.
    const db = await openDatabase({ url: target, ...(schema ? { schema } : {}), poolSize: 2 });
    const registry = await Registry.open({
      db,
      baseUrl: BASE_URL,
      issuer: ISSUER,
      secure: testSecurer(),
      builders: testBuilders,
    });
    for (let i = 0; ; i++) {
      const key = `crash-op-${i}`;
      const result =
        i % 3 === 2
          ? await registry.retire({ key, account: 'crash-b', quantity: 1, details: { i } })
          : await registry.transfer({ key, from: 'crash-a', to: 'crash-b', quantity: 1 });
      process.stdout.write(`ACK ${key} ${JSON.stringify({ seq: result.event.seq, blocks: result.blocks })}\n`);
    }
  }
  if (mode === 'pglite-hold') {
    // Holds a PGlite data directory open until SIGTERM/SIGINT, then checkpoints and closes.
    const db = await openDatabase({ dataDir: target });
    closeOnSignals(db, { onClosed: () => process.stdout.write('CLOSED\n') });
    const registry = await Registry.open({
      db,
      baseUrl: BASE_URL,
      issuer: ISSUER,
      secure: testSecurer(),
      builders: testBuilders,
    });
    await registry.openAccount({
      key: 'hold-a',
      accountId: 'hold-coop',
      holder: { id: 'did:web:hold.example', name: 'Hold' },
    });
    await registry.issue({
      key: 'hold-i',
      issuanceId: 'HOLD-1',
      prefix: 'HOLD',
      start: 1,
      end: 500,
      holder: 'hold-coop',
      details: {},
    });
    process.stdout.write('READY\n');
    setInterval(() => undefined, 1000);
    return;
  }
  if (mode === 'pglite-load') {
    // Sustained load on a PGlite data directory (four lanes of transfers back and forth, no pause),
    // closed by SIGTERM in the middle of it: new work is refused with REGISTRY_CLOSING while the
    // close checkpoints. Each lane ends at its first refusal.
    const db = await openDatabase({ dataDir: target });
    closeOnSignals(db, { onClosed: () => process.stdout.write('CLOSED\n') });
    const registry = await Registry.open({
      db,
      baseUrl: BASE_URL,
      issuer: ISSUER,
      secure: testSecurer(),
      builders: testBuilders,
    });
    await registry.openAccount({
      key: 'load-a',
      accountId: 'load-a',
      holder: { id: 'did:web:load-a.example', name: 'A' },
    });
    await registry.openAccount({
      key: 'load-b',
      accountId: 'load-b',
      holder: { id: 'did:web:load-b.example', name: 'B' },
    });
    await registry.issue({
      key: 'load-i',
      issuanceId: 'LOAD-1',
      prefix: 'LOAD',
      start: 1,
      end: 1000,
      holder: 'load-a',
      details: {},
    });
    let ops = 0;
    await Promise.all(
      [0, 1, 2, 3].map(async (lane) => {
        for (let i = 0; ; i++) {
          try {
            await registry.transfer({
              key: `load-${lane}-${i}`,
              from: lane % 2 ? 'load-b' : 'load-a',
              to: lane % 2 ? 'load-a' : 'load-b',
              quantity: 1,
            });
          } catch (error) {
            if ((error as { code?: string }).code === 'INSUFFICIENT_HOLDING') continue;
            process.stdout.write(
              `LANE ${lane} STOPPED ${(error as { code?: string }).code ?? (error as Error).message}\n`,
            );
            return;
          }
          if (++ops === 200) process.stdout.write('READY\n');
        }
      }),
    );
    setInterval(() => undefined, 1000); // the signal handler exits
    return;
  }
  throw new Error(`unknown mode ${String(mode)}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(3);
});
