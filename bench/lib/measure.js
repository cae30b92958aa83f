// Side-by-side timing for ratios on a shared, noisy machine: the cases of one comparison run
// interleaved in rounds (ABBA order, so a load drift hits both alike), each round after warm-up;
// the ratio is the median of the per-round ratios, and every case's median time is kept too.
// In-process comparisons use the process's CPU time (every thread: GC, libuv's crypto pool) by
// default: on an oversubscribed machine wall time mostly measures the scheduler, and it punishes the
// longer operation more (it spans more time slices). Wall time is kept alongside.
import { cpus, loadavg, totalmem, platform, release, arch } from 'node:os';

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Milliseconds per call of `fn` over `iterations` sequential calls: { wall, cpu }. */
export async function perCall(fn, iterations) {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  const wall = (performance.now() - start) / iterations;
  const used = process.cpuUsage(cpu0);
  return { wall, cpu: (used.user + used.system) / 1000 / iterations };
}

/**
 * Runs `a` and `b` (each `{ fn, iterations }`, or `{ fn, timed: true }` when `fn` times itself and
 * returns ms per operation) for `rounds` rounds in ABBA order after `warmup` untimed calls each.
 * `clock`: 'cpu' (default) or 'wall'. Returns { ratio: median(b/a per round), aMs, bMs (medians),
 * wallRatio, rounds }.
 */
export async function compare(a, b, { rounds = 5, warmup = 1, clock = 'cpu' } = {}) {
  const measure = async (c) => {
    if (c.timed) {
      const t = await c.fn();
      return { wall: t, cpu: t };
    }
    return perCall(c.fn, c.iterations);
  };
  for (let i = 0; i < warmup; i++) {
    await (a.timed ? a.fn() : a.fn());
    await (b.timed ? b.fn() : b.fn());
  }
  const per = [];
  for (let r = 0; r < rounds; r++) {
    let am;
    let bm;
    if (r % 2 === 0) {
      am = await measure(a);
      bm = await measure(b);
    } else {
      bm = await measure(b);
      am = await measure(a);
    }
    per.push({ aMs: am[clock], bMs: bm[clock], ratio: bm[clock] / am[clock], wallRatio: bm.wall / am.wall });
  }
  return {
    ratio: median(per.map((p) => p.ratio)),
    aMs: median(per.map((p) => p.aMs)),
    bMs: median(per.map((p) => p.bMs)),
    wallRatio: median(per.map((p) => p.wallRatio)),
    clock,
    rounds: per,
  };
}

/** What the numbers were measured on, and how busy it was. */
export function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    loadavg: loadavg().map((l) => Number(l.toFixed(2))),
  };
}

export const fmt = (v, digits = 2) => (typeof v === 'number' ? v.toFixed(digits) : String(v));
