// batchWorkers: 10 000 verifications of the enveloped cobalt credit credential (full verify, status
// from the local list) on a VerifyPool of two workers over the same on one: wall-clock time, since
// the point is parallelism. Rounds alternate 1-2-2-1 after each pool has warmed up. Target ≥ 1.8 on
// an otherwise idle 2-core machine; it cannot be reached when other processes hold the cores, so
// the load average before and after is printed with it.
import { availableParallelism, loadavg } from 'node:os';
import { VerifyPool } from '../dist/entry/bundle.js';
import { NOW, assertFullyVerified, enveloped, registryDidDocument, statusLists } from './lib/fixtures.js';
import { fmt, median } from './lib/measure.js';

async function timeBatch(pool, count) {
  const inputs = {
    *[Symbol.iterator]() {
      for (let i = 0; i < count; i++) yield enveloped;
    },
  };
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const start = performance.now();
  let verified = 0;
  for await (const report of pool.verifyStream(inputs)) if (report.verified) verified++;
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  if (verified !== count) throw new Error(`batchWorkers: ${count - verified} of ${count} did not verify`);
  // CPU of every thread per verification, and how busy the dispatching main thread was.
  return {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000 / count,
    mainThreadBusy: performance.eventLoopUtilization(elu0).utilization,
  };
}

export async function run({ quick = false } = {}) {
  const count = 10_000;
  const rounds = quick ? 2 : 3;
  const verify = { didDocuments: [registryDidDocument], statusLists, now: NOW };
  const pools = { 1: new VerifyPool({ workers: 1, verify }), 2: new VerifyPool({ workers: 2, verify }) };
  const load = { before: loadavg().map((l) => Number(l.toFixed(2))) };
  try {
    for (const pool of Object.values(pools)) {
      assertFullyVerified((await pool.verifyAll([enveloped]))[0], 'pool verify');
      await timeBatch(pool, quick ? 500 : 2000); // warm-up: schemas compiled, JIT settled, in every worker
    }
    const runs = { 1: [], 2: [] };
    for (let r = 0; r < rounds; r++) {
      for (const n of r % 2 === 0 ? [1, 2] : [2, 1]) runs[n].push(await timeBatch(pools[n], count));
    }
    const times = { 1: runs[1].map((x) => x.ms), 2: runs[2].map((x) => x.ms) };
    const ratios = times[1].map((t, i) => t / times[2][i]);
    load.after = loadavg().map((l) => Number(l.toFixed(2)));
    const result = {
      ratio: median(ratios),
      oneWorkerPerSecond: count / (median(times[1]) / 1000),
      twoWorkersPerSecond: count / (median(times[2]) / 1000),
      cpuMsPerVerification: {
        oneWorker: median(runs[1].map((x) => x.cpuMs)),
        twoWorkers: median(runs[2].map((x) => x.cpuMs)),
      },
      mainThreadBusy: {
        oneWorker: median(runs[1].map((x) => x.mainThreadBusy)),
        twoWorkers: median(runs[2].map((x) => x.mainThreadBusy)),
      },
      verifications: count,
      rounds,
      cores: availableParallelism(),
      loadavg: load,
      target: '≥ 1.8',
    };
    console.log('\nBatch verification on worker threads (VerifyPool, wall clock, 10 000 full verifications per run)');
    console.log(
      `  batchWorkers  ${fmt(result.ratio)}×  two workers ${Math.round(result.twoWorkersPerSecond)}/s vs one ${Math.round(result.oneWorkerPerSecond)}/s   (target ≥ 1.8; load average ${load.before.join(' ')} → ${load.after.join(' ')} on ${result.cores} cores)`,
    );
    console.log(
      `                CPU per verification (all threads) ${fmt(result.cpuMsPerVerification.oneWorker, 3)} ms on one worker, ${fmt(result.cpuMsPerVerification.twoWorkers, 3)} ms on two; main thread busy ${Math.round(result.mainThreadBusy.twoWorkers * 100)}% dispatching for two`,
    );
    return result;
  } finally {
    await Promise.all(Object.values(pools).map((p) => p.close()));
  }
}
