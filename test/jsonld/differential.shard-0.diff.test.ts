// One of the two shards of the large differential run (one worker process each); see diff-runner.ts.
import { defineShard } from './diff-runner.js';

defineShard(0, 2);
