import { bundleTsEntry } from '../../support/bundle-worker.js';

/** Bundles the registry worker (child processes run plain Node, without vitest). */
export function bundleWorker(): Promise<string> {
  return bundleTsEntry(new URL('./worker.ts', import.meta.url), 'registry-worker');
}
