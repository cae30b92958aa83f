// Where full verify() spends its time: `node bench/profile-verify.js` (after npm run build) profiles
// warm verifications of the enveloped cobalt credit credential (inspector CPU profile, written to
// the temporary directory for a closer look) and prints each component's share, time inclusive.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify } from '../dist/index.js';
import { enveloped, verifyOptions } from './lib/fixtures.js';

const COMPONENTS = [
  ['JSON-LD safe check (src/jsonld)', (f) => f.functionName === 'checkFast' && f.url.includes('/jsonld/fast.js')],
  ['signature (node:crypto Ed25519)', (f) => f.functionName === 'verifyRawSignature'],
  [
    'JSON Schemas (W3C, UNTP DCC, credits extension)',
    (f) => f.functionName === 'validate' && f.url.includes('/artefacts/schemas.js'),
  ],
  ['JWS decode (base64url, UTF-8, JSON.parse)', (f) => f.functionName === 'decodeCompactJws'],
  [
    'status (local list: gunzip + bit)',
    (f) => f.functionName === 'checkStatus' || f.functionName === 'checkStatusEntry',
  ],
  ['garbage collector', (f) => f.functionName === '(garbage collector)'],
];

const options = verifyOptions();
const warm = Number(process.argv[2] ?? 3000);
for (let i = 0; i < warm; i++) await verify(enveloped, options);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
const count = Number(process.argv[3] ?? 4000);
for (let i = 0; i < count; i++) await verify(enveloped, options);
const { profile } = await session.post('Profiler.stop');
const file = join(tmpdir(), `untp-credits-verify-${process.pid}.cpuprofile`);
writeFileSync(file, JSON.stringify(profile));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const samples = new Map();
for (const id of profile.samples) samples.set(id, (samples.get(id) ?? 0) + 1);
const idle = [...samples]
  .filter(([id]) => ['(idle)', '(program)'].includes(byId.get(id).callFrame.functionName))
  .reduce((n, [, c]) => n + c, 0);
const total = profile.samples.length - idle;
const shares = new Map(COMPONENTS.map(([name]) => [name, 0]));
for (const [id, count] of samples) {
  const frames = [];
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) frames.push(byId.get(cur).callFrame);
  if (['(idle)', '(program)'].includes(frames[0].functionName)) continue;
  const hit = COMPONENTS.find(([, match]) => frames.some(match));
  if (hit) shares.set(hit[0], shares.get(hit[0]) + count);
}
const accounted = [...shares.values()].reduce((a, b) => a + b, 0);
console.log(`verify() of the enveloped cobalt credit credential, ${count} warm calls, ${total} busy samples:`);
for (const [name, n] of shares) console.log(`  ${((100 * n) / total).toFixed(1).padStart(5)}%  ${name}`);
console.log(
  `  ${((100 * (total - accounted)) / total).toFixed(1).padStart(5)}%  the pipeline itself (steps, reports, VCDM rules, validity, key lookup, promises)`,
);
console.log(`(profile written to ${file})`);
