// One of the four shards of the large differential run (vitest runs each in its own worker process); see diff-runner.ts.
import { defineShard } from './diff-runner.js';

defineShard(0, 4);
