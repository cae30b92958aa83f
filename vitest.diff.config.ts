// The large differential run of the fast JSON-LD path against jsonld.js: JSONLD_DIFF_N=10000 npm run test:diff
// Each shard file runs in its own worker process (JSONLD_DIFF_WORKERS at a time, default 2 for 2 cores);
// progress is checkpointed in .diff-checkpoint/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.diff.test.ts'],
    exclude: ['node_modules/**'],
    pool: 'forks',
    maxWorkers: Number(process.env.JSONLD_DIFF_WORKERS ?? 2),
    fileParallelism: true,
    testTimeout: 6 * 60 * 60 * 1000,
    hookTimeout: 60_000,
  },
});
