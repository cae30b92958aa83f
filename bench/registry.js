// Registry throughput on the production path (credit builders, issue() validation, JOSE signing,
// status-list allocation, one transaction per command), on PGlite (in memory) and on PostgreSQL
// when DATABASE_URL is set (in a fresh schema, dropped afterwards):
//   blockSizeCost   issuing a 1 000 000-credit block over a 1-credit block, interleaved (the ledger
//                   keeps a block as one row and the credential names the range). Target ≤ 1.1.
//   issuances/s, retirements/s   sequential commands (PostgreSQL also with 4 in flight).
import { randomBytes } from 'node:crypto';
import { fmt, compare } from './lib/measure.js';
import { issuanceDetails, readJson, retirementDetails } from './lib/fixtures.js';

async function openRegistry(lib, engine) {
  const { privateJwk, publicJwk } = lib.generateKeyPair('EdDSA');
  const { did, keyId } = lib.didKeyOf(publicJwk);
  const schema = engine === 'postgres' ? `bench_${randomBytes(5).toString('hex')}` : undefined;
  const db = await lib.openDatabase(engine === 'postgres' ? { url: process.env.DATABASE_URL, schema } : {});
  const open = () =>
    lib.Registry.open({
      db,
      baseUrl: 'https://registry.mineral-credits.example/registry',
      issuer: { id: did, name: 'Bench Registry (fictional)' },
      secure: lib.joseSecurer(lib.createLocalSigner(privateJwk, keyId)),
      builders: lib.creditBuilders,
    });
  // Migrating a fresh schema while other processes migrate theirs in the same database can deadlock
  // on database-wide objects (PostgreSQL picks a victim): try again.
  let registry;
  for (let attempt = 1; !registry; attempt++) {
    try {
      registry = await open();
    } catch (error) {
      if (attempt >= 5 || !/deadlock/i.test(String(error?.message))) throw error;
      await new Promise((wake) => setTimeout(wake, 200 * attempt));
    }
  }
  const dispose = async () => {
    await db.close();
    if (!schema) return;
    // Dropped over a connection of its own once the registry's pool is closed (no lock of ours left to wait on).
    const admin = await lib.openDatabase({ url: process.env.DATABASE_URL, poolSize: 1 });
    try {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await admin.close();
    }
  };
  return { registry, dispose };
}

async function benchEngine(lib, engine, quick) {
  const { registry, dispose } = await openRegistry(lib, engine);
  try {
    const coop = readJson('examples/api/account-coop.json');
    const buyer = readJson('examples/api/account-buyer.json');
    await registry.openAccount({ key: 'bench-coop', ...coop });
    await registry.openAccount({ key: 'bench-buyer', ...buyer });
    const details = issuanceDetails();
    const retireDetails = retirementDetails();
    let n = 0;
    const issue = (size, holder = coop.accountId) => {
      n++;
      return registry.issue({
        key: `bench-i-${n}`,
        issuanceId: `BENCH-${n}`,
        prefix: `RCC-BENCH-${n}`,
        start: 1,
        end: size,
        holder,
        details,
      });
    };

    // PGlite runs in this thread, so its CPU time is the command's cost; PostgreSQL works in its own processes: wall time.
    const k = quick ? 8 : 20;
    const blockSizeCost = await compare(
      { fn: () => issue(1), iterations: k },
      { fn: () => issue(1_000_000), iterations: k },
      { rounds: quick ? 5 : 9, warmup: 3, clock: engine === 'pglite' ? 'cpu' : 'wall' },
    );

    const rate = async (count, concurrency, fn) => {
      const start = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async (_, stream) => {
          while (next < count) {
            next++;
            await fn(stream);
          }
        }),
      );
      return count / ((performance.now() - start) / 1000);
    };
    const count = quick ? 30 : 100;
    const issuancesPerSecond = await rate(count, 1, () => issue(120));
    // Each retiring stream is its own buyer account with its own issuance: commands on one account
    // run one after the other (the ledger locks its row first), so streams sharing one account would
    // measure that queue, not throughput.
    const buyers = [
      buyer.accountId,
      ...(await Promise.all(
        [1, 2, 3].map(async (i) => {
          const accountId = `${buyer.accountId}-${i}`;
          await registry.openAccount({ key: `bench-buyer-${i}`, ...buyer, accountId });
          return accountId;
        }),
      )),
    ];
    const streams = await Promise.all(buyers.map(async (account) => (await issue(1_000_000, account)).issuanceId));
    let r = 0;
    const retire = (stream = 0) => {
      r++;
      return registry.retire({
        key: `bench-r-${r}`,
        account: buyers[stream],
        retirementId: `BENCH-RET-${r}`,
        quantity: 25,
        issuanceIds: [streams[stream]],
        details: retireDetails,
      });
    };
    await retire();
    const retirementsPerSecond = await rate(count, 1, () => retire(0));
    const result = {
      blockSizeCost: blockSizeCost.ratio,
      oneCreditMs: blockSizeCost.aMs,
      millionCreditMs: blockSizeCost.bMs,
      clock: blockSizeCost.clock,
      issuancesPerSecond,
      retirementsPerSecond,
    };
    if (engine === 'postgres') {
      result.issuancesPerSecond4InFlight = await rate(count, 4, () => issue(120));
      result.retirementsPerSecond4InFlight = await rate(count, 4, (stream) => retire(stream));
    }
    const invariants = await registry.checkInvariants();
    if (invariants.violations.length > 0)
      throw new Error(`registry bench left invariant violations: ${JSON.stringify(invariants.violations.slice(0, 3))}`);
    return result;
  } finally {
    await dispose();
  }
}

export async function run({ quick = false } = {}) {
  let lib;
  try {
    lib = { ...(await import('../dist/entry/registry.js')), ...(await import('../dist/entry/credits.js')) };
    if (
      typeof lib.Registry?.open !== 'function' ||
      typeof lib.creditBuilders === 'undefined' ||
      typeof lib.joseSecurer !== 'function'
    )
      throw new Error('the registry API is not exported');
  } catch (error) {
    const reason = `n/a: ${error.message}`;
    console.log(`\nRegistry: ${reason}`);
    return { blockSizeCost: reason, pglite: reason, postgres: reason };
  }
  const pglite = await benchEngine(lib, 'pglite', quick);
  let postgres;
  if (process.env.DATABASE_URL) {
    try {
      postgres = await benchEngine(lib, 'postgres', quick);
    } catch (error) {
      postgres = `n/a: PostgreSQL at DATABASE_URL failed: ${error.message}`;
      console.error(error);
    }
  } else {
    postgres = 'n/a: DATABASE_URL is not set';
  }
  console.log('\nRegistry (credit builders + issue() + JOSE signing + status lists, one transaction per command)');
  console.log(
    `  blockSizeCost  ${fmt(pglite.blockSizeCost, 3)}×  1 000 000-credit block ${fmt(pglite.millionCreditMs)} ms vs 1-credit ${fmt(pglite.oneCreditMs)} ms (PGlite, ${pglite.clock} time)   (target ≤ 1.1)`,
  );
  console.log(
    `  PGlite         ${fmt(pglite.issuancesPerSecond, 1)} issuances/s, ${fmt(pglite.retirementsPerSecond, 1)} retirements/s (sequential)`,
  );
  if (typeof postgres === 'string') console.log(`  PostgreSQL     ${postgres}`);
  else {
    console.log(
      `  PostgreSQL     ${fmt(postgres.issuancesPerSecond, 1)} issuances/s, ${fmt(postgres.retirementsPerSecond, 1)} retirements/s (sequential); ${fmt(postgres.issuancesPerSecond4InFlight, 1)} / ${fmt(postgres.retirementsPerSecond4InFlight, 1)} with 4 in flight`,
    );
    console.log(`                 blockSizeCost ${fmt(postgres.blockSizeCost, 3)}× (wall time)`);
  }
  return { blockSizeCost: pglite.blockSizeCost, pglite, postgres };
}
