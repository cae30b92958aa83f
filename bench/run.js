// Benchmark dispatcher: `node bench/run.js [name …] [--quick]` (via `npm run bench -- jsonld`).
// Each bench is a module in this folder exporting `run({ quick })`, which prints its table and
// returns its measurements; with no name, every known bench runs.
const BENCHES = {
  jsonld: './jsonld.js',
  'double-claim': './double-claim.js',
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const names = args.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !(n in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')} (known: ${Object.keys(BENCHES).join(', ')})`);
  process.exit(2);
}

const results = {};
for (const name of names.length > 0 ? names : Object.keys(BENCHES)) {
  const bench = await import(BENCHES[name]);
  results[name] = await bench.run({ quick });
}
export default results;
