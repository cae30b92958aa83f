// The large differential run of the fast JSON-LD path against jsonld.js: JSONLD_DIFF_N=10000 npm run test:diff
// Each shard file runs in its own worker process; progress is checkpointed in .diff-checkpoint/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.diff.test.ts'],
    exclude: ['node_modules/**'],
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    testTimeout: 6 * 60 * 60 * 1000,
    hookTimeout: 60_000,
  },
});
