// The server side of bench/http.js, forked with IPC: the Express server (startServer, demo identity,
// the ledger on an in-memory PGlite) with one credit issuance credential issued through the ledger;
// on request it also times in-process verify() of that credential here, in the same process and
// with the same options the route uses (its DID document, its status lists), while HTTP is idle.
import { openDatabase } from '../dist/entry/registry.js';
import { verify } from '../dist/index.js';
import { readJson } from './lib/fixtures.js';

const send = (message) => process.send(message);
let started;
let db;
try {
  const { startServer } = await import('../dist/server/start.js');
  const { openLedger } = await import('../dist/server/ledger.js');
  db = await openDatabase();
  started = await startServer({
    db,
    demo: true,
    port: 0,
    host: '127.0.0.1',
    services: (identity) => openLedger(db, identity),
  });
  const ledger = started.context.ledger;
  const principal = { keyId: 'bench', scopes: ['*'] };
  await ledger.run('openAccount', readJson('examples/api/account-coop.json'), {
    principal,
    idempotencyKey: 'bench-coop',
  });
  const issued = await ledger.run('issue', readJson('examples/api/issuance.json'), {
    principal,
    idempotencyKey: 'bench-issue',
  });
  const options = await started.context.verifyOptions();
  const report = await verify(issued.credential, options);
  send({ t: 'ready', url: started.url, credential: issued.credential, steps: report.steps, verified: report.verified });
  process.on('message', async (message) => {
    if (message.t === 'inProcess') {
      // Sequential verify() for `ms` milliseconds: one core's worth, as the server's one event loop has.
      const cpu0 = process.cpuUsage();
      const start = performance.now();
      let count = 0;
      while (performance.now() - start < message.ms) {
        await verify(issued.credential, options);
        count++;
      }
      const seconds = (performance.now() - start) / 1000;
      const cpu = process.cpuUsage(cpu0);
      send({
        t: 'inProcess',
        perSecond: count / seconds,
        cpuMsPerVerification: (cpu.user + cpu.system) / 1000 / count,
      });
    } else if (message.t === 'cpu') {
      send({ t: 'cpu', usage: process.cpuUsage() });
    } else if (message.t === 'close') {
      await started.close();
      await db.close();
      process.exit(0);
    }
  });
} catch (error) {
  send({
    t: 'unavailable',
    reason:
      error?.code === 'ERR_MODULE_NOT_FOUND'
        ? `the server is not built (${error.message})`
        : String(error?.message ?? error),
  });
  process.exit(0);
}
