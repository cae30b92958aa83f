// Double-claim sweep: detectDoubleClaims over n retirement statements (one range each, 1 000
// issuances, ~1 % of them overlapping another), sort and sweep. Prints time and comparisons per n;
// the comparison bound itself is asserted in test/claims/double-claim.test.ts.
import { detectDoubleClaims } from '../dist/entry/bundle.js';

function statements(n, seed = 42) {
  let s = seed;
  const random = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const issuance = `https://registry.example/credentials/issuance/ISS-${i % 1000}`;
    // Each issuance holds disjoint 100-serial slots; one statement in a hundred reuses a neighbour's slot.
    const slot = Math.floor(i / 1000) - (random() < 0.01 && i >= 1000 ? 1 : 0);
    const start = slot * 100 + 1;
    out[i] = {
      credentialId: `https://registry.example/credentials/retirement/RET-${i}`,
      valid: true,
      ranges: [{ issuance, prefix: `P-${i % 1000}`, start, end: start + Math.floor(random() * 99) }],
    };
  }
  return out;
}

export async function run({ quick = false } = {}) {
  const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
  const rows = [];
  for (const n of sizes) {
    const input = statements(n);
    const start = performance.now();
    const result = detectDoubleClaims(input);
    const ms = performance.now() - start;
    rows.push({
      n,
      ms: Math.round(ms),
      comparisons: result.comparisons,
      perNLogN: +(result.comparisons / (n * Math.log2(n))).toFixed(3),
      doubleClaims: result.doubleClaims.length,
    });
  }
  console.log('\ndouble-claim sweep (detectDoubleClaims)');
  console.table(rows);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await run({ quick: process.argv.includes('--quick') });
