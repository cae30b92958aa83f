// Benchmark dispatcher: `node bench/run.js [name …] [--quick]` (via `npm run bench -- jsonld`).
// Each bench is a module in this folder exporting `run({ quick })`, which prints its table and
// returns its measurements; with no name, every known bench runs, and the headline ratios go to
// bench/results.json (how to read them: bench/RESULTS.md).
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { machine } from './lib/measure.js';

const BENCHES = {
  startup: './startup.js',
  jsonld: './jsonld.js',
  floors: './floors.js',
  workers: './workers.js',
  registry: './registry.js',
  http: './http.js',
  log: './log.js',
  'log-writes': './log-writes.js',
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const names = args.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !(n in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')} (known: ${Object.keys(BENCHES).join(', ')})`);
  process.exit(2);
}

async function runHere(name) {
  const bench = await import(BENCHES[name]);
  try {
    return await bench.run({ quick });
  } catch (error) {
    // One failing bench does not hide the others' numbers; its metrics read n/a with the reason.
    console.error(`\n${name}: failed: ${error?.stack ?? error}`);
    return { error: `n/a: ${error?.message ?? error}` };
  }
}

// With several benches each runs in a process of its own, so one bench's heap (jsonld.js caches,
// a database) does not tax the next one's garbage collector and timings.
function runIsolated(name) {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(import.meta.url), [name, '--child', ...(quick ? ['--quick'] : [])], {
      stdio: 'inherit',
    });
    let result = { error: `n/a: the ${name} bench process ended without a result` };
    child.on('message', (message) => {
      result = message;
    });
    child.on('exit', () => resolve(result));
  });
}

if (args.includes('--child')) {
  process.send(await runHere(names[0]));
  process.exit(0);
}

const started = new Date();
const before = machine();
const results = {};
const selected = names.length > 0 ? names : Object.keys(BENCHES);
for (const name of selected) results[name] = selected.length > 1 ? await runIsolated(name) : await runHere(name);

if (names.length === 0) {
  const pick = (value, na) => (typeof value === 'number' ? Number(value.toFixed(3)) : (value ?? na));
  const naOf = (name) => results[name]?.error ?? `n/a: ${name} did not run`;
  const ratio = (name, key) => pick(results[name]?.[key]?.ratio ?? results[name]?.[key], naOf(name));
  const summary = {
    startupVsNode: ratio('startup', 'startupVsNode'),
    verifyStartupVsNode: ratio('startup', 'verifyStartupVsNode'),
    verifyVsJose: ratio('floors', 'verifyVsJose'),
    jsonldSpeedup: ratio('floors', 'jsonldSpeedup'),
    dataIntegritySpeedup: ratio('floors', 'dataIntegritySpeedup'),
    batchWorkers: pick(results.workers?.ratio, naOf('workers')),
    blockSizeCost: pick(results.registry?.blockSizeCost, naOf('registry')),
    httpVsInProcess: pick(results.http?.ratio, naOf('http')),
    logAppendRatio: pick(results.log?.logAppendRatio, naOf('log')),
    inclusionVsEd25519: pick(results.log?.inclusionVsEd25519, naOf('log')),
    logWritesSequential: pick(results['log-writes']?.sequentialWithVsWithout, naOf('log-writes')),
    logWritesInFlight: pick(results['log-writes']?.inFlightWithVsWithout, naOf('log-writes')),
    writesInFlightVsSequential: pick(results['log-writes']?.inFlightVsSequential, naOf('log-writes')),
  };
  const rates = (engine) =>
    typeof engine === 'object' && engine !== null
      ? {
          issuancesPerSecond: pick(engine.issuancesPerSecond),
          retirementsPerSecond: pick(engine.retirementsPerSecond),
          ...(engine.issuancesPerSecond4InFlight !== undefined
            ? {
                issuancesPerSecond4InFlight: pick(engine.issuancesPerSecond4InFlight),
                retirementsPerSecond4InFlight: pick(engine.retirementsPerSecond4InFlight),
              }
            : {}),
        }
      : (engine ?? naOf('registry'));
  const targets = {
    startupVsNode: ['<=', 3],
    verifyStartupVsNode: ['<=', 3],
    verifyVsJose: ['<=', 2],
    jsonldSpeedup: ['>=', 100],
    dataIntegritySpeedup: ['>=', 50],
    batchWorkers: ['>=', 1.8],
    blockSizeCost: ['<=', 1.1],
    httpVsInProcess: ['>=', 0.6],
    logAppendRatio: ['<=', 1.2],
    logWritesSequential: ['>=', 0.9],
    logWritesInFlight: ['>=', 0.9],
    writesInFlightVsSequential: ['>=', 2.5],
  };
  const met = Object.fromEntries(
    Object.entries(targets).map(([k, [op, t]]) => [
      k,
      typeof summary[k] !== 'number' ? 'n/a' : op === '<=' ? summary[k] <= t : summary[k] >= t,
    ]),
  );
  const out = {
    generatedAt: started.toISOString(),
    durationSeconds: Math.round((Date.now() - started.getTime()) / 1000),
    quick,
    machine: { ...before, loadavg: { start: before.loadavg, end: machine().loadavg } },
    ...summary,
    registry: { pglite: rates(results.registry?.pglite), postgres: rates(results.registry?.postgres) },
    targets: Object.fromEntries(Object.entries(targets).map(([k, [op, t]]) => [k, `${op} ${t}`])),
    met,
    details: results,
  };
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
  console.log(
    `\nSummary (${quick ? 'quick' : 'full'} run, ${out.durationSeconds} s; load average ${out.machine.loadavg.start.join(' ')} → ${out.machine.loadavg.end.join(' ')} on ${before.cores} × ${before.cpu})`,
  );
  for (const [k, [op, t]] of Object.entries(targets)) {
    const v = summary[k];
    console.log(
      `  ${k.padEnd(22)}${(typeof v === 'number' ? v.toFixed(v >= 100 ? 0 : 2) : v).toString().padStart(10)}   target ${op} ${t}   ${met[k] === 'n/a' ? 'n/a' : met[k] ? 'met' : 'NOT met'}`,
    );
  }
  console.log('  written to bench/results.json');
}
export default results;
