// A registry process for the crash and lock tests, run as a child process (bundled by bundleWorker).
import { closeOnSignals, openDatabase } from '../../../src/registry/db.js';
import { Registry } from '../../../src/registry/registry.js';
import { BASE_URL, ISSUER, testBuilders, testSecurer } from './registry.js';

const [mode, target, schema] = process.argv.slice(2);

async function main(): Promise<void> {
  if (mode === 'pg-ops') {
    // A long run of operations on PostgreSQL; every acknowledged one is printed as `ACK <key> <json>`.
    const db = await openDatabase({ url: target, schema, poolSize: 2 });
    const registry = await Registry.open({ db, baseUrl: BASE_URL, issuer: ISSUER, secure: testSecurer(), builders: testBuilders });
    for (let i = 0; ; i++) {
      const key = `crash-op-${i}`;
      const result = i % 3 === 2
        ? await registry.retire({ key, account: 'crash-b', quantity: 1, details: { i } })
        : await registry.transfer({ key, from: 'crash-a', to: 'crash-b', quantity: 1 });
      process.stdout.write(`ACK ${key} ${JSON.stringify({ seq: result.event.seq, blocks: result.blocks })}\n`);
    }
  }
  if (mode === 'pglite-hold') {
    // Holds a PGlite data directory open until SIGTERM/SIGINT, then checkpoints and closes.
    const db = await openDatabase({ url: '', dataDir: target });
    closeOnSignals(db, { onClosed: () => process.stdout.write('CLOSED\n') });
    const registry = await Registry.open({ db, baseUrl: BASE_URL, issuer: ISSUER, secure: testSecurer(), builders: testBuilders });
    await registry.openAccount({ key: 'hold-a', accountId: 'hold-coop', holder: { id: 'did:web:hold.example', name: 'Hold' } });
    await registry.issue({ key: 'hold-i', issuanceId: 'HOLD-1', prefix: 'HOLD', start: 1, end: 500, holder: 'hold-coop', details: {} });
    process.stdout.write('READY\n');
    setInterval(() => undefined, 1000);
    return;
  }
  throw new Error(`unknown mode ${String(mode)}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(3);
});
