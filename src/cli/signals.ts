import type { Database } from '../registry/db.js';

/**
 * Closes the database (PGlite: checkpoint, close, release the lock) on SIGTERM or SIGINT, then
 * exits with `exitCode` (0 by default). Returns a function that removes the handlers.
 *
 * @example
 *   const db = await openDatabase({ dataDir }); closeOnSignals(db);
 */
export function closeOnSignals(db: Database, options: { exitCode?: number; onClosed?: () => void } = {}): () => void {
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    void db.close().then(
      () => {
        options.onClosed?.();
        process.exit(options.exitCode ?? 0);
      },
      (error: unknown) => {
        process.stderr.write(`closing the registry on ${signal} failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}
