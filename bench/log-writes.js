// The ledger's write path with the transparency log, on PostgreSQL (DATABASE_URL), side by side in
// one run. Writes are retirements (build, validate and sign a credit credential, move blocks, one
// transaction each), every stream on its own account and issuance (commands on one account run one
// after the other by design, so streams sharing one would measure that queue):
//   withVsWithout (sequential, 4 in flight)  writes/s with the log over writes/s without it, on two
//                      registries in two fresh schemas, measured in alternating rounds. Target ≥ 0.9.
//   inFlightVsSequential  writes/s with 4 in flight over sequential, with the log. Target ≥ 2.5
//                      (issue 23; on 2 shared cores the bound is the cores).
// "Without the log" is a registry without the sequencer: every command still writes its entry into
// the outbox (in the statement that stores its idempotency record), so a log enabled later finds
// every event's entry; the difference measured is the sequencer's rounds (append, tiles, one
// signed checkpoint per round) on top of the entry each command builds.
//   per-write CPU      this process (Node: commands, signing, the sequencer) + the PostgreSQL
//                      backends of its connections (read from /proc by pid), per write.
//   commit→checkpoint  from each write's commit (as the caller sees it) to the signing of the first
//                      checkpoint covering it (log_checkpoints.signed_at): median and max. Target ≤ 2 s.
//   twoVsOneProcess    two processes (each a registry with the log and its own pool, 4 in flight,
//                      both running the sequencer: one wins each round) over one process, writes/s;
//                      each process's CPU share. Reported, not targeted.
// Size: LOG_WRITES_N writes per measured case (default 60, --quick 24). `npm run bench -- log-writes`.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fmt, machine, median } from './lib/measure.js';
import { issuanceDetails, retirementDetails } from './lib/fixtures.js';

const ORIGIN = 'registry.mineral-credits.example/registry/log';
const BASE_URL = 'https://registry.mineral-credits.example/registry';

async function library() {
  return {
    ...(await import('../dist/entry/registry.js')),
    ...(await import('../dist/entry/credits.js')),
    ...(await import('../dist/log/index.js')),
  };
}

/** The URL with an application_name, so the PostgreSQL backends of one pool can be found. */
function taggedUrl(tag) {
  const url = new URL(process.env.DATABASE_URL);
  url.searchParams.set('application_name', tag);
  return url.toString();
}

/** Opens a registry on `schema` (with the log when `logSeed` is given: the same key in every process). */
async function openLedger(lib, { schema, tag, logSeed, poolSize = 8 }) {
  const keys = JSON.parse(process.env.LOG_WRITES_KEYS);
  const db = await lib.openDatabase({ url: taggedUrl(tag), schema, poolSize });
  const options = {
    db,
    baseUrl: BASE_URL,
    issuer: { id: keys.did, name: 'Bench Registry (fictional)' },
    secure: lib.joseSecurer(lib.createLocalSigner(keys.privateJwk, keys.keyId)),
    builders: lib.creditBuilders,
    ...(logSeed ? { log: { origin: ORIGIN, signer: lib.ed25519NoteSigner(ORIGIN, Buffer.from(logSeed, 'hex')) } } : {}),
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return { db, registry: await lib.Registry.open(options) };
    } catch (error) {
      // Migrating a fresh schema while others migrate theirs can deadlock on database-wide objects.
      if (attempt >= 5 || !/deadlock/i.test(String(error?.message))) throw error;
      await new Promise((wake) => setTimeout(wake, 200 * attempt));
    }
  }
}

/** CPU seconds of the PostgreSQL backends whose application_name is `tag` (pid → seconds). */
async function backendCpu(db, tag) {
  const { rows } = await db.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [tag]);
  const ticks = 100; // USER_HZ
  const out = new Map();
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) / ticks);
    } catch {
      /* the backend ended, or PostgreSQL is not on this machine */
    }
  }
  return out;
}

const processCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Accounts, each with an issuance of 1 000 000 credits to retire from: one per stream. */
async function prepareStreams(registry, prefix, count) {
  const streams = [];
  for (let i = 0; i < count; i++) {
    const accountId = `${prefix}-${i}`;
    await registry.openAccount({
      key: `${accountId}-open`,
      accountId,
      holder: { id: `did:web:${accountId}.example`, name: `Bench buyer ${i} (fictional)` },
    });
    const details = issuanceDetails();
    const { issuanceId } = await registry.issue({
      key: `${accountId}-iss`,
      issuanceId: `${accountId}-ISS`,
      prefix: `RCC-${accountId}`,
      start: 1,
      end: 1_000_000,
      holder: accountId,
      details,
    });
    streams.push({ accountId, issuanceId });
  }
  return streams;
}

/**
 * `count` retirements over `concurrency` streams; returns writes/s, CPU (process, backends) per
 * write, and each write's event seq with the time its commit was seen.
 */
async function runWrites({ registry, db, tag, streams, count, concurrency, label }) {
  const details = retirementDetails();
  const commits = [];
  const cpu0 = processCpu();
  const db0 = await backendCpu(db, tag);
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, s) => {
      const stream = streams[s];
      while (next < count) {
        const n = next++;
        const result = await registry.retire({
          key: `${label}-${s}-${n}`,
          account: stream.accountId,
          quantity: 25, // the example claim covers 25 t
          issuanceIds: [stream.issuanceId],
          details,
        });
        commits.push({ seq: result.event.seq, at: Date.now() });
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const cpu = processCpu() - cpu0;
  const db1 = await backendCpu(db, tag);
  let dbCpu = 0;
  for (const [pid, after] of db1) dbCpu += after - (db0.get(pid) ?? 0);
  return { rate: count / seconds, seconds, cpuPerWrite: cpu / count, dbCpuPerWrite: dbCpu / count, commits };
}

/** Commit → first covering checkpoint signed, in ms, for each commit (waits for the log to catch up). */
async function checkpointLatencies(db, commits) {
  const last = Math.max(...commits.map((c) => c.seq));
  for (let waited = 0; waited < 10_000; waited += 100) {
    const { rows } = await db.query(
      'SELECT 1 FROM log_entries e JOIN log_checkpoints c ON c.size > e.idx WHERE e.event_seq = $1 LIMIT 1',
      [last],
    );
    if (rows.length > 0) break;
    await new Promise((wake) => setTimeout(wake, 100));
  }
  const { rows } = await db.query(
    `SELECT e.event_seq AS seq, (SELECT extract(epoch FROM min(c.signed_at)) * 1000 FROM log_checkpoints c WHERE c.size > e.idx) AS signed
       FROM log_entries e WHERE e.event_seq = ANY($1::bigint[]) AND e.part = 0`,
    [commits.map((c) => c.seq)],
  );
  const signedAt = new Map(rows.map((r) => [Number(r.seq), Number(r.signed)]));
  return commits.map((c) => (signedAt.has(c.seq) ? signedAt.get(c.seq) - c.at : Number.POSITIVE_INFINITY));
}

// A child process of the two-process case: opens the shared schema, waits for "go", writes, reports.
async function child() {
  const lib = await library();
  const { schema, tag, logSeed, streams, count } = JSON.parse(process.env.LOG_WRITES_CHILD);
  const { registry, db } = await openLedger(lib, { schema, tag, logSeed });
  // A fresh process compiles its validators on first use: warm up before the clock starts.
  await runWrites({ registry, db, tag, streams, count: 8, concurrency: streams.length, label: `${tag}-warm` });
  process.send({ ready: true });
  await new Promise((go) => process.once('message', go));
  const result = await runWrites({ registry, db, tag, streams, count, concurrency: streams.length, label: `${tag}-w` });
  process.send({ result: { ...result, commits: undefined, cpu: result.cpuPerWrite * count }, commits: result.commits });
  await new Promise((done) => process.once('message', done));
  await registry.close();
  process.exit(0);
}

function spawnWriter(env) {
  const worker = fork(fileURLToPath(import.meta.url), ['--log-writes-child'], {
    env: { ...process.env, LOG_WRITES_CHILD: JSON.stringify(env) },
    stdio: 'inherit',
  });
  const messages = [];
  const waiters = [];
  worker.on('message', (m) => (waiters.length > 0 ? waiters.shift()(m) : messages.push(m)));
  const nextMessage = () =>
    new Promise((resolve) => (messages.length > 0 ? resolve(messages.shift()) : waiters.push(resolve)));
  return { worker, nextMessage };
}

export async function run({ quick = false } = {}) {
  if (!process.env.DATABASE_URL) {
    console.log('\nLog writes: n/a: DATABASE_URL is not set (this bench runs on PostgreSQL)');
    return { error: 'n/a: DATABASE_URL is not set' };
  }
  const lib = await library();
  const count = Number(process.env.LOG_WRITES_N ?? (quick ? 24 : 60));
  const rounds = quick ? 2 : 4;
  const { privateJwk, publicJwk } = lib.generateKeyPair('EdDSA');
  const { did, keyId } = lib.didKeyOf(publicJwk);
  process.env.LOG_WRITES_KEYS = JSON.stringify({ privateJwk, did, keyId });
  const logSeed = randomBytes(32).toString('hex');
  const id = randomBytes(4).toString('hex');
  const schemas = { with: `bench_lw_${id}_log`, without: `bench_lw_${id}_plain` };
  const opened = [];
  try {
    const withLog = { tag: `bench-lw-${id}-log`, schema: schemas.with };
    const withoutLog = { tag: `bench-lw-${id}-plain`, schema: schemas.without };
    Object.assign(withLog, await openLedger(lib, { ...withLog, logSeed }));
    opened.push(withLog);
    Object.assign(withoutLog, await openLedger(lib, withoutLog));
    opened.push(withoutLog);
    for (const side of [withLog, withoutLog]) side.streams = await prepareStreams(side.registry, 'buyer', 8);
    await withLog.registry.sequenceLog();

    // Warm-up, then alternating rounds (ABBA) of: sequential and 4 in flight, with and without the log.
    for (const side of [withLog, withoutLog])
      await runWrites({ ...side, streams: side.streams, count: 6, concurrency: 2, label: `warm-${side.tag}` });
    const cases = { seqWith: [], seqWithout: [], parWith: [], parWithout: [] };
    const commits = [];
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? [withLog, withoutLog] : [withoutLog, withLog];
      for (const side of order) {
        const isWith = side === withLog;
        const seq = await runWrites({
          ...side,
          streams: side.streams,
          count,
          concurrency: 1,
          label: `s${r}-${side.tag}`,
        });
        const par = await runWrites({
          ...side,
          streams: side.streams,
          count,
          concurrency: 4,
          label: `p${r}-${side.tag}`,
        });
        cases[isWith ? 'seqWith' : 'seqWithout'].push(seq);
        cases[isWith ? 'parWith' : 'parWithout'].push(par);
        if (isWith) commits.push(...seq.commits, ...par.commits);
      }
    }
    const per = (list, key) => median(list.map((c) => c[key]));
    const ratioPerRound = (a, b) => median(a.map((x, i) => x.rate / b[i].rate));
    const latencies = await checkpointLatencies(withLog.db, commits);

    // One process (4 in flight) against two processes (4 in flight each) on the shared with-log schema.
    const twoCount = count;
    const procStreams = [withLog.streams.slice(0, 4), withLog.streams.slice(4, 8)];
    const one = await runWrites({
      ...withLog,
      streams: procStreams[0],
      count: twoCount * 2,
      concurrency: 4,
      label: 'one',
    });
    const writers = procStreams.map((streams, i) =>
      spawnWriter({ schema: schemas.with, tag: `${withLog.tag}-p${i}`, logSeed, streams, count: twoCount }),
    );
    for (const w of writers) await w.nextMessage();
    const twoStart = performance.now();
    for (const w of writers) w.worker.send('go');
    const reports = [];
    for (const w of writers) reports.push(await w.nextMessage());
    const twoSeconds = (performance.now() - twoStart) / 1000;
    for (const w of writers) w.worker.send('stop');
    await Promise.all(writers.map((w) => new Promise((done) => w.worker.on('exit', done))));
    const twoRate = (twoCount * 2) / twoSeconds;
    const twoLatencies = await checkpointLatencies(
      withLog.db,
      reports.flatMap((r) => r.commits),
    );
    const invariants = await withLog.registry.checkInvariants();
    if (invariants.violations.length > 0)
      throw new Error(
        `log-writes bench left invariant violations: ${JSON.stringify(invariants.violations.slice(0, 3))}`,
      );
    const status = withLog.registry.logStatus();
    if (status.refused) throw new Error(`the sequencer refused: ${status.refused.message}`);

    const result = {
      writesPerCase: count,
      rounds,
      sequentialWithVsWithout: ratioPerRound(cases.seqWith, cases.seqWithout),
      inFlightWithVsWithout: ratioPerRound(cases.parWith, cases.parWithout),
      inFlightVsSequential: ratioPerRound(cases.parWith, cases.seqWith),
      inFlightVsSequentialWithoutLog: ratioPerRound(cases.parWithout, cases.seqWithout),
      rates: {
        sequentialWith: per(cases.seqWith, 'rate'),
        sequentialWithout: per(cases.seqWithout, 'rate'),
        inFlightWith: per(cases.parWith, 'rate'),
        inFlightWithout: per(cases.parWithout, 'rate'),
      },
      cpuMsPerWrite: {
        withLog: {
          node: per(cases.seqWith, 'cpuPerWrite') * 1000,
          postgres: per(cases.seqWith, 'dbCpuPerWrite') * 1000,
        },
        withoutLog: {
          node: per(cases.seqWithout, 'cpuPerWrite') * 1000,
          postgres: per(cases.seqWithout, 'dbCpuPerWrite') * 1000,
        },
      },
      commitToCheckpointMs: { median: median(latencies), max: Math.max(...latencies), writes: latencies.length },
      twoVsOneProcess: twoRate / one.rate,
      oneProcessRate: one.rate,
      twoProcessRate: twoRate,
      twoProcessCpuShare: reports.map((r) => r.result.cpu / twoSeconds),
      twoProcessEachRate: reports.map((r) => r.result.rate),
      oneProcessCpuShare: (one.cpuPerWrite * twoCount * 2) / one.seconds,
      twoProcessCommitToCheckpointMs: { median: median(twoLatencies), max: Math.max(...twoLatencies) },
      machine: machine(),
    };
    const { rates, cpuMsPerWrite: c } = result;
    console.log(
      `\nLog writes on PostgreSQL (retirements, ${count} per case, ${rounds} alternating rounds; load ${result.machine.loadavg.join(' ')})`,
    );
    console.log(
      `  with log vs without, sequential   ${fmt(result.sequentialWithVsWithout)}×  (${fmt(rates.sequentialWith, 1)} vs ${fmt(rates.sequentialWithout, 1)} writes/s)   (target ≥ 0.9)`,
    );
    console.log(
      `  with log vs without, 4 in flight  ${fmt(result.inFlightWithVsWithout)}×  (${fmt(rates.inFlightWith, 1)} vs ${fmt(rates.inFlightWithout, 1)} writes/s)   (target ≥ 0.9)`,
    );
    console.log(
      `  4 in flight vs sequential         ${fmt(result.inFlightVsSequential)}× with the log, ${fmt(result.inFlightVsSequentialWithoutLog)}× without   (target ≥ 2.5)`,
    );
    console.log(
      `  CPU per write (sequential)        with log ${fmt(c.withLog.node, 1)} ms Node + ${fmt(c.withLog.postgres, 1)} ms PostgreSQL; without ${fmt(c.withoutLog.node, 1)} + ${fmt(c.withoutLog.postgres, 1)} ms`,
    );
    console.log(
      `  commit → checkpoint signed        median ${fmt(result.commitToCheckpointMs.median, 0)} ms, max ${fmt(result.commitToCheckpointMs.max, 0)} ms over ${latencies.length} writes   (target ≤ 2000)`,
    );
    console.log(
      `  two processes vs one (4 in flight each)  ${fmt(result.twoVsOneProcess)}×  (${fmt(twoRate, 1)} vs ${fmt(one.rate, 1)} writes/s); CPU share ${result.twoProcessCpuShare.map((s) => `${fmt(s * 100, 0)}%`).join(' + ')} of a core (one process: ${fmt(result.oneProcessCpuShare * 100, 0)}%), each ${result.twoProcessEachRate.map((r) => fmt(r, 1)).join(' + ')} writes/s on its own; commit → checkpoint median ${fmt(result.twoProcessCommitToCheckpointMs.median, 0)} ms, max ${fmt(result.twoProcessCommitToCheckpointMs.max, 0)} ms   (reported)`,
    );
    return result;
  } finally {
    for (const side of opened) await side.registry.close().catch(() => undefined);
    const admin = await lib.openDatabase({ url: process.env.DATABASE_URL, poolSize: 1 });
    try {
      for (const schema of Object.values(schemas)) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await admin.close();
    }
  }
}

if (process.argv.includes('--log-writes-child')) await child();
else if (import.meta.url === `file://${process.argv[1]}`) await run({ quick: process.argv.includes('--quick') });
