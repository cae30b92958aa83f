// startupVsNode: CPU of a whole `untp-credits validate <one file>` process over a bare `node -e 0`
// (and the same for `verify` of one signed file, offline with its DID document), each process
// measured from its own getrusage at exit (bench/lib/cpu-at-exit.cjs, preloaded into every case
// alike), the cases interleaved in rounds with the order rotated, the ratio the median of the
// per-round ratios. Target ≤ 3 for both. Also the server: `serve --demo` (PGlite in memory) from
// spawn to its first /healthz answer and to its first POST /credentials/verify answer (wall time,
// and the server's CPU from /proc when there is one), reported, not targeted.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, median } from './lib/measure.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PRELOAD = fileURLToPath(new URL('./lib/cpu-at-exit.cjs', import.meta.url));
const MAIN = join(ROOT, 'dist/cli/main.js');
const DID = join(ROOT, 'examples/keys/registry.mineral-credits.example.did.json');

const CASES = {
  node: ['-e', '0'],
  validate: [MAIN, 'validate', join(ROOT, 'examples/cobalt/issuance.json')],
  verify: [MAIN, 'verify', join(ROOT, 'examples/cobalt/issuance.signed.json'), '--did-doc', DID],
  help: [MAIN, '--help'],
};
const EXPECTED_EXIT = { node: 0, validate: 0, verify: 0, help: 0 };

/** One process: its CPU ms (from its own rusage at exit) and wall ms. */
function once(name) {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['-r', PRELOAD, ...CASES[name]], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  const wall = performance.now() - started;
  if (result.status !== EXPECTED_EXIT[name])
    throw new Error(`${name} exited ${result.status}: ${result.stderr || result.stdout}`.slice(0, 400));
  const cpu = Number(result.output[3].trim());
  if (!Number.isFinite(cpu)) throw new Error(`${name}: no CPU time reported`);
  return { cpu, wall };
}

async function serverStartup() {
  const dir = mkdtempSync(join(tmpdir(), 'untp-startup-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const started = performance.now();
  const child = spawn(process.execPath, [MAIN, 'serve', '--demo', '--port', String(port), '--data-dir', dir], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, DATABASE_URL: '' },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const cpuMs = () => {
    try {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ = 100
    } catch {
      return undefined;
    }
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    let healthy;
    const deadline = performance.now() + 180_000; // PGlite's start on a busy machine
    while (!healthy && performance.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${stderr.slice(0, 400)}`);
      try {
        const response = await fetch(`${base}/healthz`);
        if (response.ok) healthy = { wall: performance.now() - started, cpu: cpuMs() };
      } catch {
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    if (!healthy) throw new Error('serve did not answer /healthz within 180 s');
    const credential = JSON.parse(readFileSync(join(ROOT, 'examples/cobalt/issuance.signed.json'), 'utf8'));
    const sent = performance.now();
    const response = await fetch(`${base}/credentials/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verifiableCredential: credential }),
    });
    const answered = await response.json();
    const first = { wall: performance.now() - sent, cpu: cpuMs(), status: response.status };
    // The demo server has its own issuer DID: it answers the example with a report stopping at the key
    // step (400) — a first request through routing, parsing and verify(), not through the schemas.
    if (!Array.isArray(answered?.steps))
      throw new Error(`first verify answered ${response.status}: ${JSON.stringify(answered).slice(0, 300)}`);
    return {
      healthzMs: healthy.wall,
      startupCpuMs: healthy.cpu,
      firstVerifyMs: first.wall,
      firstVerifyCpuMs: healthy.cpu !== undefined && first.cpu !== undefined ? first.cpu - healthy.cpu : undefined,
      verified: answered.verified,
      firstVerifyStatus: response.status,
      firstVerifySteps: answered.steps.map((step) => `${step.name}:${step.ok ? 'ok' : step.code}`).join(' '),
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run({ quick = false } = {}) {
  const rounds = quick ? 9 : 21;
  const names = Object.keys(CASES);
  for (const name of names) once(name); // warm the file cache
  const per = [];
  for (let r = 0; r < rounds; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length]);
    const round = {};
    for (const name of order) round[name] = once(name);
    per.push(round);
  }
  const ratioOf = (name, clock) => median(per.map((round) => round[name][clock] / round.node[clock]));
  const msOf = (name, clock) => median(per.map((round) => round[name][clock]));
  const server = await serverStartup().catch((error) => ({ error: `n/a: ${error.message}` }));
  const result = {
    startupVsNode: { ratio: ratioOf('validate', 'cpu'), target: '≤ 3' },
    verifyStartupVsNode: { ratio: ratioOf('verify', 'cpu'), target: '≤ 3' },
    helpStartupVsNode: { ratio: ratioOf('help', 'cpu') },
    cpuMs: Object.fromEntries(names.map((n) => [n, msOf(n, 'cpu')])),
    wallMs: Object.fromEntries(names.map((n) => [n, msOf(n, 'wall')])),
    wallRatios: Object.fromEntries(names.map((n) => [n, ratioOf(n, 'wall')])),
    server,
    rounds,
  };
  console.log(`\nStart-up (whole process CPU, median of ${rounds} interleaved rounds of per-round ratios)`);
  for (const [label, name, target] of [
    ['validate one file', 'validate', '(target ≤ 3)'],
    ['verify one file  ', 'verify', '(target ≤ 3)'],
    ['--help           ', 'help', ''],
  ])
    console.log(
      `  ${label}  ${fmt(ratioOf(name, 'cpu'))}× node -e 0   ${fmt(msOf(name, 'cpu'), 0)} ms vs ${fmt(msOf('node', 'cpu'), 0)} ms CPU; wall ${fmt(msOf(name, 'wall'), 0)} ms ${target}`,
    );
  const ms = (v) => (v === undefined ? 'n/a' : `${fmt(v, 0)} ms`);
  console.log(
    `  serve --demo: /healthz answers ${ms(server.healthzMs)} after spawn (${ms(server.startupCpuMs)} CPU); first POST /credentials/verify ${ms(server.firstVerifyMs)} (${ms(server.firstVerifyCpuMs)} CPU; ${server.firstVerifyStatus}, ${server.firstVerifySteps})${server.error ? ` ${server.error}` : ''}`,
  );
  return result;
}
