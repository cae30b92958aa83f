// httpVsInProcess: POST /credentials/verify throughput over loopback (autocannon, 4 connections,
// bounded duration) over in-process verify() of the same credential with the same options, one
// verification after another on one core. Both run in the server's process (bench/http-server.js);
// the load generator is this process. Rounds alternate ABBA; the ratio is the median of the
// per-round ratios. Target ≥ 0.6.
// The server is one event loop, so its throughput on one core is 1 / (its CPU per request): the
// ratio is taken from the server process's CPU per request against its CPU per in-process
// verification (robust on a loaded machine, where wall-clock rates mostly measure the scheduler and
// favour the side with more runnable threads). The wall-clock rates and their ratio are kept too.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fmt, median } from './lib/measure.js';

function child() {
  const proc = fork(fileURLToPath(new URL('./http-server.js', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = [];
  proc.on('message', (message) => waiting.shift()?.resolve(message));
  proc.on('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`the bench server exited (${code})`));
  });
  const next = () => new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  return {
    proc,
    next,
    ask: (message) => {
      const reply = next();
      proc.send(message);
      return reply;
    },
  };
}

export async function run({ quick = false } = {}) {
  let autocannon;
  try {
    autocannon = (await import('autocannon')).default;
  } catch {
    return na('autocannon is not installed (npm install)');
  }
  const server = child();
  const ready = await server.next();
  if (ready.t === 'unavailable') return na(ready.reason);
  try {
    if (!ready.verified)
      throw new Error(
        `the bench credential does not verify in the server's process: ${JSON.stringify(ready.steps.filter((s) => !s.ok))}`,
      );
    const url = `${ready.url}/credentials/verify`;
    const body = JSON.stringify({ verifiableCredential: ready.credential });
    const check = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const checked = await check.json();
    if (check.status !== 200 || checked.verified !== true)
      throw new Error(`POST /credentials/verify answered ${check.status}: ${JSON.stringify(checked).slice(0, 300)}`);

    const seconds = quick ? 3 : 8;
    const cpuOfServer = async () => {
      const { usage } = await server.ask({ t: 'cpu' });
      return (usage.user + usage.system) / 1000;
    };
    const http = async () => {
      const cpu0 = await cpuOfServer();
      const result = await autocannon({
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        connections: 4,
        pipelining: 1,
        duration: seconds,
      });
      const cpu = (await cpuOfServer()) - cpu0;
      if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0)
        throw new Error(`HTTP load: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
      return { perSecond: result.requests.total / seconds, cpuMs: cpu / result.requests.total };
    };
    const inProcess = async () => {
      const reply = await server.ask({ t: 'inProcess', ms: seconds * 1000 });
      return { perSecond: reply.perSecond, cpuMs: reply.cpuMsPerVerification };
    };

    // warm-up, both ways
    await server.ask({ t: 'inProcess', ms: 1000 });
    await autocannon({
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      connections: 4,
      duration: 1,
    });
    const rounds = quick ? 4 : 6;
    const per = [];
    for (let r = 0; r < rounds; r++) {
      let h;
      let p;
      if (r % 2 === 0) {
        p = await inProcess();
        h = await http();
      } else {
        h = await http();
        p = await inProcess();
      }
      per.push({
        httpPerSecond: h.perSecond,
        inProcessPerSecond: p.perSecond,
        httpCpuMs: h.cpuMs,
        inProcessCpuMs: p.cpuMs,
        ratio: p.cpuMs / h.cpuMs,
        wallRatio: h.perSecond / p.perSecond,
      });
    }
    const result = {
      ratio: median(per.map((x) => x.ratio)),
      oneCoreRequestsPerSecond: 1000 / median(per.map((x) => x.httpCpuMs)),
      oneCoreVerificationsPerSecond: 1000 / median(per.map((x) => x.inProcessCpuMs)),
      wallRatio: median(per.map((x) => x.wallRatio)),
      httpPerSecond: median(per.map((x) => x.httpPerSecond)),
      inProcessPerSecond: median(per.map((x) => x.inProcessPerSecond)),
      secondsPerRun: seconds,
      rounds,
      connections: 4,
      target: '≥ 0.6',
    };
    console.log(
      '\nHTTP (Express, loopback, autocannon 4 connections) vs in-process verify(), same credential and options (status from the ledger)',
    );
    console.log(
      `  httpVsInProcess  ${fmt(result.ratio)}×  one core: ${Math.round(result.oneCoreRequestsPerSecond)} requests/s vs ${Math.round(result.oneCoreVerificationsPerSecond)} verifications/s in process   (target ≥ 0.6)`,
    );
    console.log(
      `                   wall clock on this machine: ${Math.round(result.httpPerSecond)} requests/s vs ${Math.round(result.inProcessPerSecond)}/s (${fmt(result.wallRatio)}×)`,
    );
    return result;
  } finally {
    server.proc.send({ t: 'close' });
    await new Promise((resolve) => {
      if (server.proc.exitCode !== null) resolve();
      else server.proc.once('exit', resolve);
    });
  }
}

function na(reason) {
  console.log(`\nHTTP: n/a: ${reason}`);
  return { ratio: `n/a: ${reason}` };
}
