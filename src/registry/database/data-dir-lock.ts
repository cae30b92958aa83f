import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UntpCreditsError } from '../../errors.js';

/**
 * One process per PGlite data directory: `<dataDir>.lock` holds the pid of the process that has it
 * open. A lock whose process is gone is stale and taken over.
 */

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Takes `<dataDir>.lock` for this process; a stale lock (dead pid) is taken over. The lock file goes
 * next to the data directory, so its parent is created first (a fresh clone has no ./data).
 */
export function acquireLock(dataDir: string): string {
  const lockFile = `${dataDir.replace(/[/\\]+$/, '')}.lock`;
  mkdirSync(dirname(resolve(lockFile)), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return lockFile;
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readFileSync(lockFile, 'utf8').trim(), 10);
      if (Number.isInteger(holder) && holder !== process.pid && pidAlive(holder)) {
        throw new UntpCreditsError(
          'REGISTRY_LOCKED',
          `the registry data directory ${dataDir} is in use by process ${holder} (lock ${lockFile}); PGlite serves one process only — stop it, or use PostgreSQL for several processes`,
          { details: { dataDir, pid: holder, lockFile } },
        );
      }
      if (holder === process.pid) {
        throw new UntpCreditsError(
          'REGISTRY_LOCKED',
          `the registry data directory ${dataDir} is already open in this process (pid ${holder})`,
          { details: { dataDir, pid: holder, lockFile } },
        );
      }
      rmSync(lockFile, { force: true }); // stale: its process is gone
    }
  }
  throw new UntpCreditsError('REGISTRY_LOCKED', `could not take the lock ${lockFile}`, {
    details: { dataDir, lockFile },
  });
}

export function releaseLock(lockFile: string): void {
  try {
    if (readFileSync(lockFile, 'utf8').trim() === String(process.pid)) rmSync(lockFile, { force: true });
  } catch {
    // already gone
  }
}
